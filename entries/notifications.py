"""Emails about an entry's lifecycle: one plain-text message per person, in the person's language (kipp.mail)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from kipp.mail import absolute_url, send_templated_mails, templated_message
from kipp.models import User
from kipp.organisations.queries import verifiers_of
from kipp.outbox import context as mail_context

EVENTS = ("submitted", "returned", "forwarded", "decided", "withdrawn", "extended")


def format_wita(value):
    return date_format(timezone.localtime(value), "j F Y, H:i") + " WITA"


def _recipients(entry, *, agency=True, verifiers=False):
    users = User.objects.none()
    if agency:
        users = users | User.objects.filter(agency_id=entry.agency_id, agency_confirmed_at__isnull=False)
    if verifiers:
        users = users | verifiers_of(entry.agency.region_id, entry.competition.organisation_id)
    return list(users.filter(is_active=True).exclude(email="").distinct())


def notify(entry, event, *, agency=True, verifiers=False, note="", deadline=None):
    """One plain-text email per person (no addresses shared), in the person's language (templates
    entries/email/status_changed_subject.txt and status_changed.txt)."""
    if event not in EVENTS:
        raise ValueError(f"unknown entry event {event!r}")
    # Ids and plain values (the worker renders the mail later, in each person's language, kipp.outbox.context): the
    # status and reason labels as they are now, the deadline shown in WITA with the person's month names.
    context = {
        "entry": entry,
        "event": event,
        "note": note,
        "url": absolute_url(reverse("entries:detail", args=[entry.pk])),
        "deadline": mail_context.wita(deadline) if deadline else "",
        "status": mail_context.label(entry, "status"),
        "reason": mail_context.label(entry, "decision_reason") if entry.decision_reason else "",
    }
    send_templated_mails(
        templated_message(
            to=person.email,
            template="entries/email/status_changed",
            context={**context, "person": person},
            language=person.language,
            kind=f"entry_{event}",
            competition=entry.competition_id,
            user=person,
            about=entry,
        )
        for person in _recipients(entry, agency=agency, verifiers=verifiers)
    )
