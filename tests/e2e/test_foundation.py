"""First browser journeys: the home page, the language switch, an organiser logging in; an innovator signing up."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import login
from tests.factories import PASSWORD, AgencyFactory, OrganiserFactory
from tests.outbox import sent_mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_switch_to_english_and_organiser_logs_in(page, live_server):
    organiser = OrganiserFactory(email="organiser@example.org", full_name="Andi Organiser")

    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="Kompetisi dibuka").is_visible()

    with page.expect_navigation():
        page.locator("#language-form button[value=en]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Open calls").is_visible()

    login(page, live_server, organiser.email, PASSWORD)
    assert page.url.endswith("/dasbor/")
    assert page.get_by_role("heading", name="Welcome, Andi Organiser").is_visible()


def test_innovator_signs_up_on_a_phone_verifies_the_email_and_logs_in(phone_page, live_server, mailoutbox):
    page = phone_page
    AgencyFactory(name="UPT SMPN 2 Rumbia", kind="upt")

    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("link", name="Daftar").click()
    page.get_by_label("Email dinas").fill("suhaedir@example.org")
    page.get_by_label("Nama lengkap (dengan gelar)").fill("Dr. Suhaedir Bahtiar")
    page.get_by_label("Jabatan").fill("Kepala UPT SMPN 2 Rumbia")
    page.get_by_label("Instansi / unit pelayanan").select_option(label="UPT SMPN 2 Rumbia")
    page.locator("#id_password1").fill("Sapa-Masyarakat-2023")
    page.locator("#id_password2").fill("Sapa-Masyarakat-2023")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.get_by_role("heading", name="Periksa email Anda").is_visible()

    link = re.search(r"https?://\S+", sent_mail()[0].body).group(0)
    page.goto(live_server.url + re.sub(r"^https?://[^/]+", "", link))
    assert page.get_by_text("Email Anda sudah terverifikasi").is_visible()
    page.locator("input[name=password]").fill("Sapa-Masyarakat-2023")  # the address is already filled in
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.get_by_role("heading", name="Selamat datang, Dr. Suhaedir Bahtiar").is_visible()


def _serious_violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_foundation_pages_have_no_serious_accessibility_violations(page, live_server):
    organiser = OrganiserFactory(email="organiser@example.org")
    AgencyFactory(name="UPT SMPN 2 Rumbia", kind="upt")
    found = {}
    for path in ("/", "/akun/masuk/", "/akun/daftar/", "/akun/lupa-sandi/", "/tidak-ada/"):
        page.goto(live_server.url + path)
        found[path] = _serious_violations(page)
    page.goto(live_server.url + "/akun/daftar/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()  # every error message shown
    found["signup with errors"] = _serious_violations(page)
    login(page, live_server, organiser.email, PASSWORD)
    for path in ("/dasbor/", "/akun/profil/", "/akun/undang/", "/kompetisi/", "/kompetisi/baru/"):
        page.goto(live_server.url + path)
        found[path] = _serious_violations(page)
    assert {path: v for path, v in found.items() if v} == {}
