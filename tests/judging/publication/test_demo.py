"""seed_demo with the publication seeder: the 2023 Top 50 and Top 30, the schedule, field verification, an answered
objection; idempotent."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from judging.models import Announcement, FieldCheck, Objection, Round, ScheduleSlot
from judging.publication.demo import TOP30_NUMBER, TOP50_NUMBER
from judging.publication.queries import visible_announcements
from kipp.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_publication(client, media_root):
    call_command("seed_demo", password="kata-sandi-demo-1", stdout=io.StringIO())
    top50 = Announcement.objects.get(number=TOP50_NUMBER)
    assert top50.prepared_by.email == "organiser@demo.kipp.id"
    assert top50.approved_by.email == "organiser2@demo.kipp.id"
    assert top50.state == "published" and top50 in visible_announcements()
    selected = dict(top50.rows.filter(outcome="selected").values_list("title", "outcome"))
    assert len(selected) == 50
    assert "Sapa Masyarakat Sekitar (SMS)" in selected and "Transportation Smart" in selected
    objection = Objection.objects.get(announcement=top50)
    assert objection.answered_at and objection.answered_by.email == "organiser2@demo.kipp.id"

    presentation = Round.objects.get(competition__slug="kipp-sulsel-2023", slug="presentasi-wawancara")
    slots = ScheduleSlot.objects.filter(round=presentation, kind="presentation")
    assert slots.count() == 50
    assert {s.date.day for s in slots} <= {6, 7, 8, 9} and {s.date.month for s in slots} == {3}
    assert all(s.venue == "Four Points by Sheraton Makassar" for s in slots)
    assert presentation.state == "closed"

    field = Round.objects.get(competition__slug="kipp-sulsel-2023", slug="verifikasi-lapangan")
    assert field.state == "published"
    assert FieldCheck.objects.filter(round=field).values("entry").distinct().count() == 30
    top30 = Announcement.objects.get(number=TOP30_NUMBER)
    assert top30.kind == "final" and top30.state == "published"
    assert top30.rows.filter(outcome="selected").count() == 30

    sms = top50.rows.get(title="Sapa Masyarakat Sekitar (SMS)")
    client.force_login(User.objects.get(email="sms@demo.kipp.id"))
    body = client.get(reverse("entries:detail", args=[sms.entry_id])).content.decode()
    assert 'data-outcome="selected"' in body and "Four Points by Sheraton Makassar" in body

    before = (Announcement.objects.count(), ScheduleSlot.objects.count(), FieldCheck.objects.count())
    out = io.StringIO()
    call_command("seed_demo", password="kata-sandi-demo-1", stdout=out)
    assert (Announcement.objects.count(), ScheduleSlot.objects.count(), FieldCheck.objects.count()) == before
