"""What follows once an announcement is public, and the emails of publication (through kipp.mail): the innovators'
outcomes, the answer to an objection. Records hear of a public announcement through
judging.publication.signals.announcement_published.

The approval never does this work in its request: it defers the job GO_PUBLIC_TASK (judging/tasks.py) in its own
transaction (defer_going_public), and the worker runs went_public, which queues one outcome mail per innovator (one
INSERT) and sends the signal. The time of an approval is therefore the same at 141 and at 3,500 entrants."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from judging.models import Announcement, AnnouncementRow
from judging.publication.enums import AnnouncementState
from judging.publication.queries import is_visible, visible_announcements
from judging.publication.signals import announcement_published
from kipp.mail import absolute_url, send_templated_mails, templated_message
from kipp.models import User
from kipp.outbox import context as mail_context
from kipp.outbox.enums import NotificationKind
from kipp.outbox.queries import mail_progress
from kipp.queue import deferrer
from kipp.services import record_event

GO_PUBLIC_TASK = "judging.publication.go_public"
QUEUE = "publication"


def defer_going_public(*, announcement, now):
    """Defer went_public(announcement, now) to the worker, in the caller's transaction (a rolled back approval
    defers nothing). `now` is the moment the approval found the announcement visible."""
    deferrer(GO_PUBLIC_TASK, queue=QUEUE).defer(announcement_id=announcement.pk, now=now.isoformat())


def went_public_job(*, announcement_id, now):
    """The worker's side of defer_going_public (judging.tasks.go_public)."""
    announcement = Announcement.objects.filter(pk=announcement_id).first()
    if announcement is None:
        return 0
    return went_public(announcement=announcement, now=datetime.datetime.fromisoformat(now))


def went_public(*, announcement, now=None):
    """What follows once an announcement is visible to the public (at approval, or from `publish_due` after the
    embargo): the innovators hear their outcome, then `announcement_published` tells the layers above (records
    defers the build of this announcement's innovation records), in one transaction. Both steps are idempotent.
    Returns the number of emails queued."""
    with transaction.atomic():
        sent = notify_outcomes(announcement=announcement, now=now)
        announcement_published.send(sender=Announcement, announcement=announcement, now=now)
    return sent


def _public_url(announcement):
    return absolute_url(reverse("judging:public_announcement", args=[announcement.pk]))


def _recipients():
    """The people an entry's outcome mail goes to: the active innovators of its agency who were confirmed as its
    members, with an email address."""
    return User.objects.filter(agency__isnull=False, is_active=True, agency_confirmed_at__isnull=False).exclude(
        email=""
    )


def innovators_of_agencies(agency_ids):
    """{agency id: [(id, email, language) of its active, confirmed innovators with an email]}. One query; the people
    every mail about an agency's entry goes to (outcomes here, nominations in forwarding)."""
    people = {}
    for user_id, email, language, agency_id in (
        _recipients().filter(agency_id__in=set(agency_ids)).values_list("id", "email", "language", "agency_id")
    ):
        people.setdefault(agency_id, []).append((user_id, email, language))
    return people


def _innovators_by_agency(rows):
    return innovators_of_agencies({r.entry.agency_id for r in rows})


def rows_without_recipient(announcement):
    """The rows of an announcement whose entry's agency has nobody to mail (no confirmed innovator with an email):
    their outcome mail is not sent, and the organiser sees them on the announcement's page. In list order."""
    return (
        announcement.rows.exclude(Exists(_recipients().filter(agency_id=OuterRef("entry__agency_id"))))
        .order_by("rank", "id")
        .only("id", "entry_id", "entry_code", "title", "outcome", "rank")
    )


def outcome_mail_status(announcement):
    """What the announcement's page shows of its outcome mails: `outcome_mail` (their progress, once queued),
    `outcome_mail_pending` (approved, the worker has not queued them yet: judging.tasks.go_public; the page shows
    it only when the announcement is visible) and `without_recipient` (rows_without_recipient, once published)."""
    published = announcement.state == AnnouncementState.PUBLISHED
    competition = announcement.round.competition
    return {
        "outcome_mail": mail_progress(announcement, kind=NotificationKind.OUTCOME, competition=competition)
        if announcement.notified_at
        else None,
        "outcome_mail_pending": published and not announcement.notified_at,
        "without_recipient": list(rows_without_recipient(announcement)) if published else [],
    }


def _earlier_rows(announcement):
    """{entry id: row id} of the version a correction corrects (empty for a first version)."""
    if not announcement.previous_id:
        return {}
    return dict(AnnouncementRow.objects.filter(announcement_id=announcement.previous_id).values_list("entry_id", "id"))


def notify_outcomes(*, announcement, now=None):
    """Queue for every entry's innovators (active users of the entry's agency) their outcome and a link, each in
    their language, in the transaction that marks the announcement notified. Only for a visible announcement, and
    once (notified_at; and each mail's key "outcome:<announcement version>:<row>:<user>" is unique in the outbox).
    A correction's mail says which version it corrects and the entry's place there (`before`, None when it was not
    in it). Rows with nobody to mail are counted in the audit event (rows_without_recipient lists them). The worker
    renders and sends them (kipp.outbox); returns the number of mails queued."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Announcement.objects.select_for_update(of=("self",))
            .select_related("round", "previous")
            .get(pk=announcement.pk)
        )
        if locked.notified_at is not None or not is_visible(locked, now):
            return 0
        locked.notified_at = now
        locked.save(update_fields=["notified_at"])
        rows = list(locked.rows.select_related("entry"))
        people = _innovators_by_agency(rows)
        earlier = _earlier_rows(locked)
        context = {
            "announcement": locked,
            "url": _public_url(locked),
            "corrects": locked.previous.version if locked.previous_id else None,
        }
        messages, unmailed = [], 0
        for row in rows:
            recipients = people.get(row.entry.agency_id, [])
            unmailed += not recipients
            before = earlier.get(row.entry_id)
            row_context = {
                **context,
                "row": row,
                "before": mail_context.ref("judging.announcementrow", before) if before else None,
                "entry_url": absolute_url(reverse("entries:detail", args=[row.entry_id])),
            }
            messages += [
                templated_message(
                    to=email,
                    template="judging/publication/email/outcome",
                    context={**row_context, "person": mail_context.ref("kipp.user", user_id)},
                    language=language,
                    kind=NotificationKind.OUTCOME,
                    competition=locked.round.competition_id,
                    key=f"outcome:{locked.pk}:{row.pk}:{user_id}",
                    user=user_id,
                    about=locked,
                )
                for user_id, email, language in recipients
            ]
        queued = send_templated_mails(messages)
        record_event(
            actor=None,
            action="publication.notified",
            obj=locked,
            details={"emails": queued, "entries_without_recipient": unmailed},
        )
    return queued


def mail_objection_answer(objection, *, previous_answer=""):
    """The objector hears the organiser's answer (in their language when they were signed in). The answer is kept in
    the mail as it was saved (a later revision mails again, saying it replaces `previous_answer`)."""
    send_templated_mails(
        [
            templated_message(
                to=objection.email,
                template="judging/publication/email/objection_answered",
                context={
                    "objection": objection,
                    "answer": objection.answer,
                    "previous_answer": previous_answer,
                    "url": _public_url(objection.announcement),
                },
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
