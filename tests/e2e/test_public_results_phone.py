"""The public results on a phone (390 px): every column of a row is readable without sideways scrolling (rows
stack into labelled cards); on a desktop the list is a labelled region the keyboard can reach."""

import pytest
from django.urls import reverse

from entries.models import Entry
from tests.judging.publication.helpers import closed_round, organisers, published

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_TITLE = "Layanan Administrasi Kependudukan Jemput Bola Terpadu Berbasis Desa Kepulauan Selayar"
LONG_AGENCY = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Pangkajene dan Kepulauan"


def _announcement():
    round_, _next, entries, _judges = closed_round(top_n=2, reserve_n=1)
    Entry.objects.filter(pk__in=[e.pk for e in entries.values()]).update(title=LONG_TITLE)
    for number, entry in enumerate(entries.values(), start=1):
        entry.agency.name = f"{LONG_AGENCY} {number}"
        entry.agency.save(update_fields=["name"])
    a, b = organisers()
    return published(round_, a, b, show_totals=True)


def test_top_list_on_a_phone_shows_every_column_of_a_row(phone_page, live_server):
    announcement = _announcement()
    phone_page.goto(live_server.url + _public_url(announcement))
    row = phone_page.locator('#selected-list tr[data-entry="E1"]')
    cells = row.locator("td")
    assert cells.count() == 6
    for index in range(cells.count()):
        box = cells.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 + 0.5, f"cell {index} is cut off"
    last = cells.nth(5)
    assert last.is_visible()
    label = last.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert "Nilai" in label
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    region = phone_page.locator("#selected-list").locator("xpath=..")
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth")


def test_top_list_on_a_desktop_is_a_labelled_region_reached_by_keyboard(page, live_server):
    announcement = _announcement()
    page.goto(live_server.url + _public_url(announcement))
    region = page.get_by_role("region", name="Daftar 2 inovasi (dapat digeser ke samping)")
    assert region.count() == 1 and region.get_attribute("tabindex") == "0"
    region.focus()
    assert page.evaluate("document.activeElement.contains(document.getElementById('selected-list'))")


def _public_url(announcement):
    return reverse("judging:public_announcement", args=[announcement.pk])
