"""Emails about an entry's lifecycle: one plain-text message per person, in the person's language (kipp.mail)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from kipp.mail import absolute_url, send_templated_mails, templated_message
from kipp.models import User

EVENTS = ("submitted", "returned", "forwarded", "decided", "withdrawn", "extended")


def format_wita(value):
    return date_format(timezone.localtime(value), "j F Y, H:i") + " WITA"


def _recipients(entry, *, agency=True, verifiers=False):
    users = User.objects.none()
    if agency:
        users = users | User.objects.filter(
            agency_id=entry.agency_id, role="innovator", agency_confirmed_at__isnull=False
        )
    if verifiers:
        users = users | User.objects.filter(region_id=entry.agency.region_id, role="verifier")
    return list(users.filter(is_active=True).exclude(email="").distinct())


def notify(entry, event, *, agency=True, verifiers=False, note="", deadline=None):
    """One plain-text email per person (no addresses shared), in the person's language (templates
    entries/email/status_changed_subject.txt and status_changed.txt)."""
    if event not in EVENTS:
        raise ValueError(f"unknown entry event {event!r}")
    # Callables, not strings: the template calls them while it renders in the person's language (month names,
    # status and reason labels).
    context = {
        "entry": entry,
        "event": event,
        "note": note,
        "url": absolute_url(reverse("entries:detail", args=[entry.pk])),
        "deadline": (lambda: format_wita(deadline)) if deadline else "",
        "status": entry.get_status_display,
        "reason": entry.get_decision_reason_display if entry.decision_reason else "",
    }
    send_templated_mails(
        templated_message(
            to=person.email,
            template="entries/email/status_changed",
            context={**context, "person": person},
            language=person.language,
        )
        for person in _recipients(entry, agency=agency, verifiers=verifiers)
    )
