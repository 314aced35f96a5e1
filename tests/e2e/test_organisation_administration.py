"""Issue 13 in Chromium: the portal administrator creates an organisation in the admin and invites its first
organiser, who sets a password, sets up a competition and invites their own judge; an organiser of another
organisation finds none of it (the permission matrix checks every URL; here the pages a person would try)."""

import re

import pytest

from kipp.models import Competition, Membership, Organisation, User
from tests.e2e.conftest import login
from tests.factories import PASSWORD, OrganiserFactory, UserFactory
from tests.outbox import sent_mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Kopi-Toraja-Pagi-2027"


def _submit(page, selector="main form button[type=submit]"):
    with page.expect_navigation():
        page.locator(selector).first.click()


def test_the_administrator_creates_an_organisation_whose_organiser_sets_up_a_competition(page, live_server):
    administrator = UserFactory(email="admin@example.org", agency=None, is_staff=True, is_superuser=True)
    other = OrganiserFactory(email="organiser-lain@example.org")  # of the tests' Sulawesi Selatan organisation

    # 1. The administrator creates the organisation in the admin.
    login(page, live_server, administrator.email, PASSWORD)
    page.goto(f"{live_server.url}/admin/kipp/organisation/add/")
    page.locator("#id_name").fill("Biro Organisasi Setda Provinsi Jawa Barat")
    page.locator("#id_level").select_option("provinsi")
    jawa_barat = page.locator("#id_province option", has_text="Jawa Barat").first.get_attribute("value")
    page.locator("#id_province").select_option(jawa_barat)
    page.locator("#id_city").fill("Bandung")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    organisation = Organisation.objects.get(name="Biro Organisasi Setda Provinsi Jawa Barat")  # slug from the name
    assert (organisation.province.code, organisation.city) == ("32", "Bandung")

    # 2. ... and invites its first organiser.
    page.goto(f"{live_server.url}/akun/undang/")
    page.locator("#id_organisation").select_option(str(organisation.pk))
    page.get_by_label("Email").fill("kabag@jabar.example.org")
    page.get_by_label("Nama lengkap (dengan gelar)").fill("Rina Kusumawati, S.IP.")
    page.get_by_label("Penyelenggara (staf organisasi)").check()
    _submit(page)
    assert "Undangan terkirim ke kabag@jabar.example.org" in page.content()
    page.context.clear_cookies()

    # 3. The organiser sets a password through the emailed link and signs in.
    link = re.search(r"https?://\S+/undangan/\S+", sent_mail()[-1].body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", live_server.url, link))
    page.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    page.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    _submit(page)
    login(page, live_server, "kabag@jabar.example.org", NEW_PASSWORD)
    organiser = User.objects.get(email="kabag@jabar.example.org")
    assert list(Membership.objects.filter(user=organiser).values_list("organisation__slug", "kind")) == [
        (organisation.slug, "organiser")
    ]

    # 4. ... sets up a competition of their organisation ...
    page.goto(f"{live_server.url}/kompetisi/baru/")
    page.get_by_label("Nama").first.fill("KIPP Jawa Barat 2027")
    page.locator("#id_slug").fill("kipp-jabar-2027")
    page.locator("#id_year").fill("2027")
    page.locator("#id_organisation").select_option(str(organisation.pk))
    page.locator("#id_code_prefix").fill("JABAR-2027")
    page.locator("#id_opens_at").fill("2027-02-01T08:00")
    page.locator("#id_closes_at").fill("2027-04-30T23:59")
    _submit(page)
    competition = Competition.objects.get(slug="kipp-jabar-2027")
    assert competition.organisation == organisation
    assert "KIPP Jawa Barat 2027" in page.locator("main").inner_text()

    # 5. ... and invites a judge of their own: the page lists only their organisation's people.
    page.goto(f"{live_server.url}/akun/undang/")
    assert "Biro Organisasi Setda Provinsi Jawa Barat" in page.locator("#invite-organisation").inner_text()
    page.get_by_label("Email").fill("juri@jabar.example.org")
    page.get_by_label("Nama lengkap (dengan gelar)").fill("Dr. Juri Jabar")
    page.get_by_label("Juri (evaluator/panelis)").check()
    _submit(page)
    people = page.locator("#people-heading + *").inner_text()
    assert "Dr. Juri Jabar" in people and "Rina Kusumawati" in people
    assert other.full_name not in people
    page.context.clear_cookies()

    # 6. The organiser of another organisation sees none of it.
    login(page, live_server, other.email, PASSWORD)
    page.goto(f"{live_server.url}/kompetisi/")
    assert "KIPP Jawa Barat 2027" not in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/akun/undang/")
    assert "Dr. Juri Jabar" not in page.locator("main").inner_text()
    response = page.goto(f"{live_server.url}/o/{organisation.slug}/kop/")
    assert response.status in (403, 404)
