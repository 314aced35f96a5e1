"""Emails about an entry's lifecycle: one plain-text message per person, in the person's language."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from kipp.mail import absolute_url
from kipp.models import User

SUBJECTS = {
    "submitted": gettext_lazy("Proposal %(code)s diajukan"),
    "returned": gettext_lazy("Proposal %(code)s dikembalikan untuk diperbaiki"),
    "forwarded": gettext_lazy("Proposal %(code)s diteruskan ke penyelenggara"),
    "decided": gettext_lazy("Hasil seleksi administrasi proposal %(code)s"),
    "withdrawn": gettext_lazy("Proposal %(code)s ditarik"),
    "extended": gettext_lazy("Batas waktu proposal %(code)s diperpanjang"),
}


def format_wita(value):
    return date_format(timezone.localtime(value), "j F Y, H:i") + " WITA"


# --------------------------------------------------------------------------------------


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
    """One plain-text email per person (no addresses shared), in the person's language."""
    url = absolute_url(reverse("entries:detail", args=[entry.pk]))
    messages = []
    for person in _recipients(entry, agency=agency, verifiers=verifiers):
        with translation.override(person.language or settings.LANGUAGE_CODE):
            context = {
                "person": person,
                "entry": entry,
                "event": event,
                "note": note,
                "url": url,
                "deadline": format_wita(deadline) if deadline else "",
                "status": entry.get_status_display(),
                "reason": entry.get_decision_reason_display() if entry.decision_reason else "",
            }
            body = render_to_string("entries/email/status_changed.txt", context)
            subject = str(SUBJECTS[event]) % {"code": entry.code}
            messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email]))
    if messages:
        get_connection(fail_silently=True).send_messages(messages)
