from django.core import mail
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import override_settings

from kipp.demo import DemoContext
from kipp.hooks import seeders
from kipp.models import Notification


class Command(BaseCommand):
    help = "Load idempotent, deterministic demo data (KIPP Sulawesi Selatan 2023 and an open 2027 call)."

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, default=141, help="entries in kipp-sulsel-2023 (default 141)")
        parser.add_argument("--judges", type=int, default=9, help="evaluators in the desk round (default 9)")
        parser.add_argument("--seed", type=int, default=2023, help="random seed (default 2023)")
        parser.add_argument("--password", default="kipp-demo-2023", help="password of every demo account")

    def handle(self, *args, **options):
        ctx = DemoContext(
            options={key: options[key] for key in ("entries", "judges", "seed", "password")},
            stdout=self.stdout,
        )
        # Seeders go through the real services, which send notifications: keep those emails in memory (demo
        # addresses do not exist, and SMTP must not be used for them) and only say how many there were. The
        # in-memory outbox is our own, put back as it was afterwards (a process has none until a first email).
        outer_outbox = getattr(mail, "outbox", None)
        mail.outbox = []
        last_queued = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                for _name, func in seeders():
                    before = sum(ctx.created.values())
                    with transaction.atomic():
                        func(ctx)
                    if sum(ctx.created.values()) != before:
                        # Bulk-loaded tables need fresh planner statistics before the next layer queries them.
                        _analyze_app_tables()
            # The outbox queues mail for the worker: the demo's are taken out of it again (kipp.outbox).
            held_back = len(mail.outbox) + Notification.objects.filter(pk__gt=last_queued, state="queued").delete()[0]
        finally:
            if outer_outbox is None:
                del mail.outbox
            else:
                mail.outbox = outer_outbox
        if held_back:
            self.stdout.write(f"{held_back} notification emails of the demo data were not sent.")
        if ctx.created:
            self.stdout.write(
                self.style.SUCCESS("Created: " + ", ".join(f"{k} {v}" for k, v in sorted(ctx.created.items())))
            )
        else:
            self.stdout.write(self.style.SUCCESS("Nothing to create: the demo data is already there."))
        self.stdout.write(f"\nDemo accounts (password: {ctx.password})")
        for email, role, description in ctx.accounts:
            self.stdout.write(f"  {email:<36} {role:<28} {description}")


def _analyze_app_tables():
    """ANALYZE the portal's own tables only: a bare ANALYZE also analyses the shared catalogs, and waits there on any
    open transaction of any database of the server."""
    from django.apps import apps

    tables = sorted({model._meta.db_table for model in apps.get_models() if model._meta.managed})
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ANALYZE "{table}"')
