"""What follows once an announcement is public, and the emails of publication (through kipp.mail): the innovators'
outcomes, the answer to an objection. Records hear of a public announcement through
judging.publication.signals.announcement_published."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from judging.models import Announcement
from judging.publication.queries import is_visible, visible_announcements
from judging.publication.signals import announcement_published
from kipp.mail import absolute_url, send_templated_mails, templated_message
from kipp.models import User
from kipp.outbox import context as mail_context
from kipp.outbox.enums import NotificationKind
from kipp.services import record_event


def went_public(*, announcement, now=None):
    """What follows once an announcement is visible to the public (at approval, or from `publish_due` after the
    embargo): the innovators hear their outcome, then `announcement_published` tells the layers above (records
    builds or refreshes the innovation records of the catalogue). Both steps are idempotent. Returns the number of
    emails queued."""
    sent = notify_outcomes(announcement=announcement, now=now)
    announcement_published.send(sender=Announcement, announcement=announcement, now=now)
    return sent


def _public_url(announcement):
    return absolute_url(reverse("judging:public_announcement", args=[announcement.pk]))


def _innovators_by_agency(rows):
    """{agency id: [(id, email, language) of its active, confirmed innovators with an email]} for these rows."""
    people = {}
    for user_id, email, language, agency_id in (
        User.objects.filter(
            role="innovator",
            is_active=True,
            agency_confirmed_at__isnull=False,
            agency_id__in={r.entry.agency_id for r in rows},
        )
        .exclude(email="")
        .values_list("id", "email", "language", "agency_id")
    ):
        people.setdefault(agency_id, []).append((user_id, email, language))
    return people


def notify_outcomes(*, announcement, now=None):
    """Queue for every entry's innovators (active users of the entry's agency) their outcome and a link, each in
    their language, in the transaction that marks the announcement notified. Only for a visible announcement, and
    once (notified_at; and each mail's key "outcome:<announcement version>:<row>:<user>" is unique in the outbox).
    The worker renders and sends them (kipp.outbox); returns the number of mails queued."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().select_related("round").get(pk=announcement.pk)
        if locked.notified_at is not None or not is_visible(locked, now):
            return 0
        locked.notified_at = now
        locked.save(update_fields=["notified_at"])
        rows = list(locked.rows.select_related("entry"))
        people = _innovators_by_agency(rows)
        context = {"announcement": locked, "url": _public_url(locked)}
        entry_urls = {row.pk: absolute_url(reverse("entries:detail", args=[row.entry_id])) for row in rows}
        messages = [
            templated_message(
                to=email,
                template="judging/publication/email/outcome",
                context={**context, "person": mail_context.ref("kipp.user", user_id), "row": row, "entry_url": url},
                language=language,
                kind=NotificationKind.OUTCOME,
                competition=locked.round.competition_id,
                key=f"outcome:{locked.pk}:{row.pk}:{user_id}",
                user=user_id,
                about=locked,
            )
            for row in rows
            for url in [entry_urls[row.pk]]
            for user_id, email, language in people.get(row.entry.agency_id, [])
        ]
        queued = send_templated_mails(messages)
        record_event(actor=None, action="publication.notified", obj=locked, details={"emails": queued})
    return queued


def mail_objection_answer(objection):
    """The objector hears the organiser's answer (in their language when they were signed in)."""
    send_templated_mails(
        [
            templated_message(
                to=objection.email,
                template="judging/publication/email/objection_answered",
                context={"objection": objection, "url": _public_url(objection.announcement)},
                language=objection.filed_by.language if objection.filed_by else None,
                kind=NotificationKind.OBJECTION_ANSWER,
                competition=objection.announcement.round.competition,
                user=objection.filed_by,
                about=objection.announcement,
            )
        ]
    )


def send_due_notifications(now=None):
    """For announcements whose embargo has passed since approval (the periodic job judging.tasks.publish_due, and
    manage.py publish_due)."""
    now = now or timezone.now()
    sent = 0
    for announcement in visible_announcements(now).filter(notified_at__isnull=True):
        sent += went_public(announcement=announcement, now=now)
    return sent
