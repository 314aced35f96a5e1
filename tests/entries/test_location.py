"""An entry's location: a kecamatan and desa/kelurahan of the agency's region, chosen through a search on the
server (no JavaScript needed), refused outside the region or the kecamatan by the form, the service and the
database, shown by name; the data migration that maps typed names to the areas."""

import importlib

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from entries import services
from entries.models import Entry
from kipp.errors import Invalid
from kipp.models import District, Village
from tests.entries.test_views import edit_post
from tests.factories import AgencyFactory, EntryFactory, InnovatorFactory, region
from tests.pages import page_body

pytestmark = pytest.mark.django_db

RUMBIA, TOMPOBULU = "73.04.10", "73.04.10.2006"
BINAMU = "73.04.03"


def _edit(client, entry, **fields):
    return client.post(reverse("entries:edit", args=[entry.pk]), edit_post(entry, **fields))


def test_the_search_works_without_javascript_choose_save_reload_save_again(client, entry, innovator):
    client.force_login(innovator)
    url = reverse("entries:edit", args=[entry.pk])
    page = page_body(client.get(url))
    assert 'name="profile-area_q"' in page and "Desa Tompobulu" not in page

    # "Cari": the matches are listed, nothing is saved, what was typed stays in the form
    response = _edit(
        client, entry, **{"profile-title": "Judul yang diketik", "profile-area_q": "tompo", "area_find": "1"}
    )
    assert response.status_code == 200
    page = page_body(response)
    assert f'value="{TOMPOBULU}"' in page and "Desa Tompobulu, Kecamatan Rumbia" in page
    assert "Pilih salah satu hasil pencarian di bawah, lalu simpan." in page
    assert 'value="Judul yang diketik"' in page and 'value="tompo"' in page
    # a search, not a failed save: no "not saved" alarm
    assert "Hasil pencarian wilayah ada di bawah" in page and "Draf belum tersimpan" not in page
    entry.refresh_from_db()
    assert entry.district_id is None and entry.title == "Sapa Masyarakat Sekitar" and entry.version == 1

    # choose one of the matches and save (the query is still in its box)
    response = _edit(client, entry, **{"profile-area_q": "tompo", "profile-area": TOMPOBULU, "save": "1"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.district_id, entry.village_id, entry.version) == (RUMBIA, TOMPOBULU, 2)

    # reload: the saved choice is checked; saving again as the page stands keeps it
    page = page_body(client.get(url))
    assert f'value="{TOMPOBULU}" checked' in page and "Desa Tompobulu, Kecamatan Rumbia" in page
    entry.refresh_from_db()
    assert _edit(client, entry, **{"profile-area": TOMPOBULU, "profile-area_q": ""}).status_code == 302
    entry.refresh_from_db()
    assert (entry.district_id, entry.village_id, entry.version) == (RUMBIA, TOMPOBULU, 3)

    # a kecamatan alone, then no location at all
    assert _edit(client, entry, **{"profile-area": BINAMU}).status_code == 302
    entry.refresh_from_db()
    assert (entry.district_id, entry.village_id) == (BINAMU, None)
    assert _edit(client, entry, **{"profile-area": ""}).status_code == 302
    entry.refresh_from_db()
    assert (entry.district_id, entry.village_id) == (None, None)


def test_a_search_without_matches_says_so_and_an_enter_in_the_search_box_searches(client, entry, innovator):
    client.force_login(innovator)
    page = page_body(_edit(client, entry, **{"profile-area_q": "Tidakada", "save": "1"}))
    assert "Tidak ada kecamatan atau desa/kelurahan di Kabupaten Jeneponto yang cocok dengan “Tidakada”." in page
    entry.refresh_from_db()
    assert entry.version == 1


def test_the_search_stays_in_the_agencys_region(client, entry, innovator):
    """Rumbia is also a kecamatan of Lampung Tengah (18.02) and of Bombana (74.06): only Jeneponto's is offered."""
    client.force_login(innovator)
    page = page_body(_edit(client, entry, **{"profile-area_q": "Rumbia", "area_find": "1"}))
    assert f'value="{RUMBIA}"' in page and 'value="74.06.04"' not in page and 'value="18.02.09"' not in page


def test_an_area_outside_the_region_is_refused_by_the_form(client, entry, innovator):
    client.force_login(innovator)
    response = _edit(client, entry, **{"profile-area": "74.06.04"})  # Kecamatan Rumbia of Bombana
    assert response.status_code == 200
    assert "Pilih kecamatan atau desa/kelurahan di Kabupaten Jeneponto dari hasil pencarian." in page_body(response)
    entry.refresh_from_db()
    assert entry.district_id is None and entry.version == 1


def test_a_village_of_another_district_is_refused_by_the_service_and_the_database(entry, innovator):
    rumbia = District.objects.get(code=RUMBIA)
    of_binamu = Village.objects.filter(district_id=BINAMU).first()
    with pytest.raises(Invalid, match="tidak termasuk kecamatan yang dipilih"):
        services.save_draft(
            entry=entry, user=innovator, version=entry.version, profile={"district": rumbia, "village": of_binamu}
        )
    bombana_rumbia = District.objects.get(code="74.06.04")
    with pytest.raises(Invalid, match="tidak termasuk Kabupaten Jeneponto"):
        services.save_draft(
            entry=entry, user=innovator, version=entry.version, profile={"district": bombana_rumbia, "village": None}
        )
    entry.refresh_from_db()
    assert entry.district_id is None and entry.version == 1
    with pytest.raises(IntegrityError, match="entry_village_in_district"), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(district_id=RUMBIA, village_id=of_binamu.code)
    with pytest.raises(IntegrityError, match="entry_village_in_district"), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(village_id=TOMPOBULU)  # a village without its kecamatan
    with pytest.raises(IntegrityError, match="is not in the region of agency"), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(district_id="74.06.04")


def test_an_agency_of_the_province_chooses_anywhere_in_the_province(client, competition):
    agency = AgencyFactory(region=region("73"), name="Biro Organisasi Setda Provinsi")
    user = InnovatorFactory(agency=agency)
    entry = EntryFactory(competition=competition, agency=agency, created_by=user)
    client.force_login(user)
    assert _edit(client, entry, **{"profile-area": TOMPOBULU}).status_code == 302
    entry.refresh_from_db()
    assert entry.village_id == TOMPOBULU
    assert _edit(client, entry, **{"profile-area": "74.06.04"}).status_code == 200  # another province
    entry.refresh_from_db()
    assert entry.district_id == RUMBIA


def test_the_location_reads_naturally_in_each_language(client, entry, innovator):
    Entry.objects.filter(pk=entry.pk).update(district_id=RUMBIA, village_id=TOMPOBULU)
    client.force_login(innovator)
    url = reverse("entries:detail", args=[entry.pk])
    assert "Desa Tompobulu, Kecamatan Rumbia" in page_body(client.get(url))
    client.cookies["django_language"] = "en"
    assert "Tompobulu Village, Rumbia District" in page_body(client.get(url))
    kelurahan = Village.objects.filter(district_id=BINAMU, kind="kelurahan").first()
    entry.refresh_from_db()
    entry.district_id, entry.village = BINAMU, kelurahan
    with translation.override("id"):
        assert entry.location == f"Kelurahan {kelurahan.name}, Kecamatan Binamu"


def test_text_typed_before_the_areas_is_shown_until_an_area_is_chosen(client, entry, innovator):
    Entry.objects.filter(pk=entry.pk).update(kecamatan="Rumbya", desa="Tompo Bulu")
    client.force_login(innovator)
    page = page_body(client.get(reverse("entries:edit", args=[entry.pk])))
    assert "Tertulis sebelumnya (belum dipilih dari daftar): Desa/Kel. Tompo Bulu, Kecamatan Rumbya" in page
    entry.refresh_from_db()
    assert _edit(client, entry, **{"profile-area": TOMPOBULU}).status_code == 302
    entry.refresh_from_db()
    assert (entry.kecamatan, entry.desa, entry.village_id) == ("", "", TOMPOBULU)


def test_the_json_search_lists_matches_of_the_region(client):
    data = client.get(reverse("kipp:area_search"), {"wilayah": "73.04", "q": "tompo", "format": "json"}).json()
    assert {"code": TOMPOBULU, "label": "Desa Tompobulu, Kecamatan Rumbia"} in data["results"]
    assert all(result["code"].startswith("73.04.") for result in data["results"])
    by_code = client.get(reverse("kipp:area_search"), {"wilayah": "73.04", "q": "73.04.10", "format": "json"}).json()
    assert by_code["total"] == 1 + Village.objects.filter(district_id=RUMBIA).count()
    page = page_body(client.get(reverse("kipp:area_search"), {"wilayah": "73.04", "q": "tompo"}))
    assert "Desa Tompobulu, Kecamatan Rumbia" in page and TOMPOBULU in page and "idn-area-data 4.0.1 (ODbL)" in page
    nothing = client.get(reverse("kipp:area_search"), {"wilayah": "99.99", "q": "a", "format": "json"}).json()
    assert nothing["results"] == [] and nothing["region"] is None


def test_the_data_migration_maps_typed_names_within_the_region(entry, competition, innovator):
    migration = importlib.import_module("entries.migrations.0008_entry_area")
    makassar = AgencyFactory(region=region("73.71"), name="Dinas Kota")
    cases = {
        "prefixed": EntryFactory(
            competition=competition, agency=entry.agency, kecamatan="Kec. rumbia", desa="Desa  Tompobulu"
        ),
        "village only": EntryFactory(competition=competition, agency=entry.agency, kecamatan="", desa="tompobulu"),
        "unknown": EntryFactory(competition=competition, agency=entry.agency, kecamatan="Rumbya", desa="Tompo Bulu"),
        "other region": EntryFactory(competition=competition, agency=makassar, kecamatan="Rumbia", desa="Tompobulu"),
    }
    with connection.cursor() as cursor:
        cursor.execute(migration.MAP_DISTRICTS)
        cursor.execute(migration.MAP_VILLAGES)
    rows = {
        key: Entry.objects.values_list("district_id", "village_id", "kecamatan", "desa").get(pk=e.pk)
        for key, e in cases.items()
    }
    assert rows["prefixed"] == (RUMBIA, TOMPOBULU, "", "")
    assert rows["village only"] == (RUMBIA, TOMPOBULU, "", "")
    assert rows["unknown"] == (None, None, "Rumbya", "Tompo Bulu")
    assert rows["other region"] == (None, None, "Rumbia", "Tompobulu")
