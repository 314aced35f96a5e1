"""Send the outcome emails of announcements whose embargo time has passed since approval (the periodic job
judging.tasks.publish_due does this every minute; the command is for operators). Approval sends them at once when
there is no embargo left."""

from django.core.management.base import BaseCommand

from judging.publication.services import send_due_notifications


class Command(BaseCommand):
    help = "Email innovators their outcome for announcements that became public since the last run."

    def handle(self, *args, **options):
        sent = send_due_notifications()
        self.stdout.write(f"{sent} email(s) sent.")
