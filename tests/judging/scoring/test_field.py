"""Field verification checklists: who may fill them, photos cleaned and served only to the team."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from judging.models import FieldCheck, Round, RoundEntry
from tests.factories import InnovatorFactory, JudgeFactory, OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    round_ = make_round([("lokasi", 1, 1, 10)], kind="field", slug="verifikasi-lapangan", state="open")
    entry = add_entry(round_, "F1")
    judge = add_judge(round_)
    add_sheet(round_, entry, judge, {}, assign_only=True)
    url = reverse("judging:field_entry", args=[round_.competition.slug, round_.slug, entry.pk])
    return round_, entry, judge, url


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 50, 50)).save(buffer, "PNG")
    return SimpleUploadedFile("lokasi.png", buffer.getvalue(), content_type="image/png")


def test_the_assigned_judge_fills_the_checklist_with_a_photo(client, scene, media_root):
    round_, entry, judge, url = scene
    client.force_login(judge)
    body = client.get(url).content.decode()
    assert "Layanan inovasi berjalan di lokasi sesuai proposal" in body
    check = FieldCheck.objects.filter(round=round_, entry=entry).order_by("order").first()
    client.post(url, {"check": check.pk, "verified": "yes", "note": "Sesuai.", "photo": _png()})
    check.refresh_from_db()
    assert check.verified is True and check.note == "Sesuai." and check.checked_by == judge and check.photo
    assert client.get(reverse("judging:field_photo", args=[check.pk])).status_code == 200
    photo_url = reverse("judging:field_photo", args=[check.pk])
    client.force_login(JudgeFactory())
    assert client.get(photo_url).status_code == 404
    client.logout()
    assert client.get(photo_url).status_code == 302
    client.force_login(judge)
    client.post(url, {"new_item": "Papan informasi layanan terpasang"})
    assert FieldCheck.objects.filter(round=round_, entry=entry, item="Papan informasi layanan terpasang").exists()
    index = reverse("judging:field_index", args=[round_.competition.slug, round_.slug])
    assert "F1" in client.get(index).content.decode()


def test_a_fake_photo_is_refused_and_nothing_changes(client, scene, media_root):
    round_, entry, judge, url = scene
    client.force_login(judge)
    client.get(url)
    check = FieldCheck.objects.filter(round=round_, entry=entry).first()
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(url, {"check": check.pk, "verified": "no", "photo": fake}, follow=True)
    assert "bukan gambar" in response.content.decode()
    check.refresh_from_db()
    assert check.verified is None and not check.photo


@pytest.mark.parametrize("who", ["other_judge", "innovator"])
def test_others_are_refused(client, scene, who):
    round_, entry, judge, url = scene
    user = JudgeFactory() if who == "other_judge" else InnovatorFactory(agency=entry.agency)
    client.force_login(user)
    assert client.get(url).status_code == 403
    assert not FieldCheck.objects.exists()


def test_the_organiser_sees_every_entry(client, scene):
    round_, entry, judge, url = scene
    client.force_login(OrganiserFactory())
    assert client.get(url).status_code == 200
    assert Round.objects.get(pk=round_.pk).kind == "field"
    assert RoundEntry.objects.filter(round=round_).count() == 1


def test_the_field_photo_is_served_as_a_private_file(client, scene, media_root):
    round_, entry, judge, url = scene
    client.force_login(judge)
    client.get(url)
    check = FieldCheck.objects.filter(round=round_, entry=entry).order_by("order").first()
    client.post(url, {"check": check.pk, "verified": "yes", "photo": _png()})
    response = client.get(reverse("judging:field_photo", args=[check.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("image/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("inline")
