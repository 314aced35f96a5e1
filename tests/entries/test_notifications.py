"""The emails of an entry's lifecycle (entries/notifications.py, through kipp.mail): one a person, in their language."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from entries import services
from tests.factories import InnovatorFactory
from tests.outbox import sent_mail

pytestmark = pytest.mark.django_db


def _extend(entry, organiser, day):
    deadline = timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 30)))
    sent_mail().clear()
    services.extend_deadline(entry=entry, user=organiser, deadline=deadline, reason="Banjir")
    return {m.to[0]: m for m in sent_mail()}


def test_each_person_gets_one_email_in_their_own_language(entry, innovator, organiser):
    english = InnovatorFactory(agency=entry.agency, language="en")
    day = timezone.localdate() + datetime.timedelta(days=40)
    by_address = _extend(entry, organiser, day)
    assert sorted(by_address) == sorted([innovator.email, english.email])
    ours, theirs = by_address[innovator.email], by_address[english.email]
    assert ours.from_email == settings.DEFAULT_FROM_EMAIL and ours.to == [innovator.email]
    assert ours.subject == f"Batas waktu proposal {entry.code} diperpanjang"
    assert theirs.subject == f"Deadline of proposal {entry.code} extended"
    assert ours.body.startswith("Yth. Suhaedir Bahtiar,\n")
    assert "Banjir" in ours.body and "16:30 WITA" in ours.body
    assert f"{settings.SITE_URL}{reverse('entries:detail', args=[entry.pk])}\n" in ours.body
    months = {
        "id": [
            "Januari",
            "Februari",
            "Maret",
            "April",
            "Mei",
            "Juni",
            "Juli",
            "Agustus",
            "September",
            "Oktober",
            "November",
            "Desember",
        ],
        "en": [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
    }
    assert f"{day.day} {months['id'][day.month - 1]} {day.year}, 16:30 WITA" in ours.body
    assert f"{day.day} {months['en'][day.month - 1]} {day.year}, 16:30 WITA" in theirs.body
