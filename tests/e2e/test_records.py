"""The innovation records journey: a visitor searches "putus sekolah", opens the SMS record and sees its impact
chart; an innovator of an agency in another region asks to replicate it; sms@demo.kipp.id agrees; the record shows
the replication."""

import pytest
from django.utils import timezone

from tests.e2e.conftest import _new_page, login
from tests.factories import PASSWORD, AgencyFactory, InnovatorFactory, region
from tests.judging.records.helpers import add_kind_indicators, published_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_search_open_replicate_agree(browser, page, live_server):
    world = published_world()
    sms_agency = world["entries"]["E1"].agency
    InnovatorFactory(email="sms@demo.kipp.id", full_name="Dr. Suhaedir Bahtiar", agency=sms_agency)
    makassar = AgencyFactory(region=region("73.71"), name="Dinas Pendidikan Kota Makassar")
    requester = InnovatorFactory(email="rina@example.org", full_name="Rina Paramitha", agency=makassar)

    # A visitor finds the innovation.
    page.goto(f"{live_server.url}/inovasi/")
    page.get_by_label("Cari").fill("putus sekolah")
    with page.expect_navigation():
        page.get_by_role("button", name="Terapkan").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Sapa Masyarakat Sekitar (SMS)").click()
    assert page.locator("h1").inner_text().startswith("Sapa Masyarakat Sekitar (SMS)")
    chart = page.locator("#impact svg.impact-chart")
    assert chart.count() == 1 and chart.is_visible()
    assert "Angka putus sekolah" in page.locator("#impact figcaption").inner_text()
    record_url = page.url
    assert "Belum ada instansi yang mereplikasi" in page.locator("#replication").inner_text()

    # An innovator of Kota Makassar asks to replicate it.
    context, other = _new_page(browser, viewport={"width": 1280, "height": 900})
    login(other, live_server, requester.email, PASSWORD)
    other.goto(record_url)
    other.get_by_text("Ajukan replikasi inovasi ini").click()
    other.get_by_label("Rencana replikasi").fill("Kunjungan rumah guru di tiga SMP negeri Kota Makassar.")
    with other.expect_navigation():
        other.get_by_role("button", name="Kirim permintaan").click()
    assert "Permintaan replikasi terkirim" in other.locator("body").inner_text()
    context.close()

    # The owner agrees.
    context, owner = _new_page(browser, viewport={"width": 1280, "height": 900})
    login(owner, live_server, "sms@demo.kipp.id", PASSWORD)
    owner.goto(record_url)
    answer = owner.locator("form.replication-answer")
    assert "Kunjungan rumah guru" in answer.inner_text()
    answer.get_by_label("Setujui").check()
    with owner.expect_navigation():
        answer.get_by_role("button", name="Kirim jawaban").click()
    context.close()

    # Everyone sees who replicated it.
    page.goto(record_url)
    replicated = page.locator("#replicated-by")
    assert "Dinas Pendidikan Kota Makassar" in replicated.inner_text()
    assert "Disetujui pemilik" in replicated.inner_text()


def test_an_impossible_indicator_value_is_refused_by_the_update_form_on_a_phone(phone_page, live_server):
    world = published_world()
    add_kind_indicators(world["entries"]["E1"])
    page = login(phone_page, live_server, world["owner"].email, PASSWORD)
    page.goto(f"{live_server.url}/inovasi/sapa-masyarakat-sekitar-sms/perbarui/")
    page.locator("select[name=values-0-name]").select_option("Siswa kembali bersekolah")
    page.locator("input[name=values-0-value]").fill("23.69")
    page.locator("input[name=values-0-measured_on]").fill(timezone.localdate().isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan pembaruan").click()
    error = page.locator("#id_values-0-value-error")
    assert error.is_visible() and "bilangan bulat" in error.inner_text()
    assert not world["records"]["E1"].indicator_values.exists()
    page.locator("input[name=values-0-value]").fill("24")
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan pembaruan").click()
    assert "Catatan inovasi diperbarui." in page.locator("body").inner_text()
    assert [str(v) for v in world["records"]["E1"].indicator_values.values_list("value", flat=True)] == ["24.0000"]


def test_the_older_record_addresses_lead_to_the_catalogue_and_the_record(page, live_server):
    world = published_world(kind="final")
    page.goto(f"{live_server.url}/penilaian/inovasi/")
    assert page.locator("h1").inner_text() == "Katalog inovasi"
    assert page.locator("#f-outcome").input_value() == "final"
    with page.expect_navigation():
        page.get_by_role("link", name="Sapa Masyarakat Sekitar (SMS)").click()
    assert page.url.endswith("/inovasi/sapa-masyarakat-sekitar-sms/")
    page.goto(f"{live_server.url}/penilaian/inovasi/{world['entries']['E1'].pk}/")
    assert page.url.endswith("/inovasi/sapa-masyarakat-sekitar-sms/")
    assert page.locator("h1").inner_text().startswith("Sapa Masyarakat Sekitar (SMS)")
