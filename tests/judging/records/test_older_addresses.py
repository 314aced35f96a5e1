"""The older entry-numbered addresses of public records (/penilaian/inovasi/...) answer through the one record
stack: the list is the catalogue of final outcomes, an entry's address leads to its record page, a photo is served
by the record's photo view (nosniff, sandbox) and only while the record page shows it."""

import pytest
from django.urls import reverse

from judging.models import PublicProfile
from tests.judging.records.helpers import published_world
from tests.judging.records.test_photos import _attachment, _png

pytestmark = pytest.mark.django_db


def test_the_older_list_is_the_catalogue_of_final_outcomes(client):
    published_world(kind="final")
    html = client.get(reverse("judging:records")).content.decode()
    assert 'id="records"' in html and "Sapa Masyarakat Sekitar (SMS)" in html
    assert reverse("records:detail", args=["sapa-masyarakat-sekitar-sms"]) in html
    assert 'value="final" selected' in html
    assert client.get(reverse("judging:records"), {"outcome": "round"}).content.decode().count('data-record="') == 0


def test_a_round_announcement_has_no_older_record_address(client):
    world = published_world()  # a round's Top 2: records in the catalogue, no final outcome
    assert "Sapa Masyarakat" not in client.get(reverse("judging:records")).content.decode()
    assert client.get(reverse("judging:record", args=[world["entries"]["E1"].pk])).status_code == 404


def test_an_entry_address_leads_to_its_record_and_its_photo_is_served_safely(client, media_root):
    world = published_world(kind="final")
    entry = world["entries"]["E1"]
    photo = _attachment(entry, "photo", _png(), "image/png", "kegiatan.png")
    decree = _attachment(entry, "decree", b"%PDF-1.4 rahasia", "application/pdf", "sk.pdf")
    response = client.get(reverse("judging:record", args=[entry.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("records:detail", args=["sapa-masyarakat-sekitar-sms"])
    response = client.get(reverse("judging:record_photo", args=[entry.pk, photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert client.get(reverse("judging:record_photo", args=[entry.pk, decree.pk])).status_code == 404
    PublicProfile.objects.create(entry=entry, show_photos=False)
    assert client.get(reverse("judging:record_photo", args=[entry.pk, photo.pk])).status_code == 404


def test_the_display_choices_are_saved_by_the_agency_only(client):
    world = published_world(kind="final")
    entry = world["entries"]["E1"]
    url = reverse("judging:record_settings", args=[entry.pk])
    client.force_login(world["owner"])
    response = client.post(url, {"show_contacts": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("entries:detail", args=[entry.pk])
    profile = PublicProfile.objects.get(entry=entry)
    assert (profile.show_contacts, profile.show_photos) == (True, False)
    client.force_login(world["organisers"][0])
    assert client.post(url, {"show_photos": "on"}).status_code == 404
    profile.refresh_from_db()
    assert profile.show_photos is False
