"""Names of regions and places read naturally in each language: "Kabupaten Jeneponto" / "Jeneponto Regency",
"Desa Tompobulu, Kecamatan Rumbia" / "Tompobulu Village, Rumbia District", and one announcement is "Announcement"."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kipp.enums import region_label
from kipp.models import Region
from tests.factories import EntryFactory
from tests.judging.publication.helpers import closed_round, organisers, published

pytestmark = pytest.mark.django_db


def test_region_names_put_the_kind_where_each_language_puts_it():
    with translation.override("id"):
        assert region_label("kabupaten", "Jeneponto") == "Kabupaten Jeneponto"
        assert region_label("kota", "Makassar") == "Kota Makassar"
    with translation.override("en"):
        assert region_label("kabupaten", "Jeneponto") == "Jeneponto Regency"
        assert region_label("kota", "Makassar") == "Makassar City"
        assert str(Region(kind="kabupaten", name="Jeneponto")) == "Jeneponto Regency"


def test_the_location_of_an_entry_reads_naturally_in_english():
    entry = EntryFactory(district_id="73.04.10", village_id="73.04.10.2006")  # the factory's agency: Jeneponto
    with translation.override("en"):
        html = render_to_string("entries/_proposal.html", {"entry": entry, "data": {}})
    assert "Tompobulu Village, Rumbia District" in html
    with translation.override("id"):
        html = render_to_string("entries/_proposal.html", {"entry": entry, "data": {}})
    assert "Desa Tompobulu, Kecamatan Rumbia" in html


def test_one_announcement_is_called_announcement_in_english(client):
    round_, _next, _entries, _judges = closed_round()
    a, b = organisers()
    announcement = published(round_, a, b)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("judging:public_announcement", args=[announcement.pk])).content.decode()
    assert "<title>Announcement 065/134/II/B" in html and '<h1 class="h3">Announcement</h1>' in html
    assert "Announcements 065/134/II/B" not in html
    client.cookies["django_language"] = "id"
    html = client.get(reverse("judging:public_announcement", args=[announcement.pk])).content.decode()
    assert "<title>Pengumuman 065/134/II/B" in html
