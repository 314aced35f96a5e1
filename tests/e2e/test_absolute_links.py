"""Issue 11, item 11: the portal run on another address (here the live server's own port, not SITE_URL's :8000)
sends a verification link that opens as it is, and its API links and index point to the same address."""

import json
import re

import pytest

from tests.factories import AgencyFactory
from tests.outbox import sent_mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_emailed_verification_link_opens_on_the_address_the_person_signed_up_at(
    page, live_server, mailoutbox, settings
):
    settings.SITE_URL = "http://127.0.0.1:8000"  # not where this portal runs
    AgencyFactory(name="UPT SMPN 2 Rumbia", kind="upt")
    page.goto(live_server.url + "/akun/daftar/")
    page.get_by_label("Email dinas").fill("suhaedir@example.org")
    page.get_by_label("Nama lengkap (dengan gelar)").fill("Dr. Suhaedir Bahtiar")
    page.get_by_label("Jabatan").fill("Kepala UPT SMPN 2 Rumbia")
    page.get_by_label("Instansi / unit pelayanan").select_option(label="UPT SMPN 2 Rumbia")
    page.locator("#id_password1").fill("Sapa-Masyarakat-2023")
    page.locator("#id_password2").fill("Sapa-Masyarakat-2023")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    link = re.search(r"https?://\S+", sent_mail()[0].body).group(0)
    assert link.startswith(live_server.url + "/akun/verifikasi/")
    page.goto(link)  # as the person clicks it in the email
    assert page.get_by_text("Email Anda sudah terverifikasi").is_visible()

    page.goto(live_server.url + "/api/v1/")
    index = json.loads(page.locator("body").inner_text())
    assert index["openapi"] == live_server.url + "/api/v1/openapi.json"
    page.goto(index["openapi"])
    assert json.loads(page.locator("body").inner_text())["servers"] == [{"url": live_server.url + "/api/v1"}]
