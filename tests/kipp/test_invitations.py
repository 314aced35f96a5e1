"""Organisers invite regional verifiers and judges; the emailed link sets a password."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kipp.models import AuditEvent, Membership, User
from kipp.permissions import is_innovator, is_judge
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    InnovatorFactory,
    JudgeFactory,
    OrganisationFactory,
    OrganiserFactory,
    VerifierFactory,
    kinds_of,
    region,
)
from tests.outbox import sent_mail

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Penilai-Jujur-2027"


def _path(message):
    return re.sub(r"^https?://[^/]+", "", re.search(r"https?://\S+/undangan/\S+", message.body).group(0))


def _invite(client, **data):
    payload = {"email": "verifikator@example.org", "full_name": "Andi Verifikator", "role": "verifier"}
    payload.update(data)
    return client.post(reverse("kipp:invite"), payload, follow=True)


@pytest.mark.parametrize("factory", [InnovatorFactory, VerifierFactory, JudgeFactory])
def test_only_organisers_may_invite(client, factory):
    client.force_login(factory())
    assert client.get(reverse("kipp:invite")).status_code == 403
    assert _invite(client).status_code == 403
    assert not User.objects.filter(email="verifikator@example.org").exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("kipp:invite"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("kipp:login"))


def test_organiser_invites_a_verifier_who_sets_a_password_and_logs_in(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "kipp.example.org"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client.defaults.update({"HTTP_HOST": "kipp.example.org", "HTTP_X_FORWARDED_PROTO": "https"})  # links: the request's
    organiser = OrganiserFactory(full_name="Ibu Organiser")
    client.force_login(organiser)
    response = _invite(client, region=region("73.04").pk, position="Kepala Bagian Organisasi")
    assert "Undangan terkirim ke verifikator@example.org" in response.content.decode()

    user = User.objects.get(email="verifikator@example.org")
    assert kinds_of(user) == {(OrganisationFactory().slug, "verifier", "73.04")}
    assert (user.is_active, user.has_usable_password()) == (True, False)
    assert len(sent_mail()) == 1
    assert "Ibu Organiser" in sent_mail()[0].body
    assert "https://kipp.example.org/akun/undangan/" in sent_mail()[0].body
    event = AuditEvent.objects.get(action="account.invited", object_id=str(user.pk))
    assert event.actor == organiser

    client.logout()
    response = client.get(_path(sent_mail()[0]), follow=True)
    assert "Buat kata sandi" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert "Kata sandi tersimpan" in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert AuditEvent.objects.filter(action="account.invitation_accepted", object_id=str(user.pk)).exists()

    response = client.post(
        reverse("kipp:login"), {"username": "verifikator@example.org", "password": NEW_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("kipp:dashboard")
    assert "Andi Verifikator" in response.content.decode()

    # the link worked once; now it is spent
    client.logout()
    response = client.get(_path(sent_mail()[0]))
    assert "tidak berlaku lagi" in response.content.decode()


def test_judge_invitation_with_agency_region_and_expertise(client):
    client.force_login(OrganiserFactory())
    agency = AgencyFactory(name="Dinas Kesehatan Kabupaten Gowa", region=region("73.06"))
    _invite(
        client,
        email="panelis@example.org",
        full_name="Prof. Panelis",
        role="judge",
        region=region("73.06").pk,
        agency=agency.pk,
        expertise="Kebijakan publik",
    )
    judge = User.objects.get(email="panelis@example.org")
    assert kinds_of(judge) == {(OrganisationFactory().slug, "judge", None)}
    assert (judge.agency, judge.region.name, judge.expertise) == (agency, "Gowa", "Kebijakan publik")
    # working at a participating agency does not make the judge one who speaks for it, nor an innovator at all
    assert (judge.agency_confirmed_at, judge.agency_declined_at is not None) == (None, True)
    assert not is_innovator(judge) and not judge.agency_pending
    client.force_login(judge)
    page = client.get(reverse("kipp:dashboard")).content.decode()
    assert "ditolak" not in page and "Buat proposal" not in page


def test_verifier_needs_a_region(client):
    client.force_login(OrganiserFactory())
    response = _invite(client)
    assert "Pilih daerah yang akan diverifikasi" in response.content.decode()
    assert not User.objects.filter(email="verifikator@example.org").exists()
    assert sent_mail() == []


def test_an_existing_account_is_asked_and_the_membership_counts_only_once_accepted(client):
    person = InnovatorFactory(email="sudah@example.org", full_name="Nama Asli")
    client.force_login(OrganiserFactory(full_name="Ibu Organiser"))
    response = _invite(client, email="sudah@example.org", role="judge", full_name="Nama Lain")
    assert "pemiliknya diminta menerima peran ini" in response.content.decode()
    person.refresh_from_db()
    assert kinds_of(person) == set()  # nothing counts before the owner says yes
    assert not is_judge(person)
    assert (person.full_name, person.check_password(PASSWORD)) == ("Nama Asli", True)  # profile and password kept
    assert len(sent_mail()) == 1 and "/undangan/" not in sent_mail()[0].body
    assert "mengundang Anda menjadi Juri" in sent_mail()[0].body and "/akun/profil/" in sent_mail()[0].body
    assert AuditEvent.objects.filter(action="account.asked", object_id=str(person.pk)).exists()
    response = _invite(client, email="sudah@example.org", role="judge")
    assert "belum menjawab" in response.content.decode()
    assert len(sent_mail()) == 1

    # the owner accepts on their profile page: now it counts
    client.force_login(person)
    page = client.get(reverse("kipp:profile")).content.decode()
    assert "Ibu Organiser mengundang Anda menjadi Juri" in page
    asked = Membership.everything.get(user=person)
    response = client.post(reverse("kipp:membership_answer", args=[asked.pk, "terima"]), follow=True)
    assert "Anda kini Juri" in response.content.decode()
    person = User.objects.get(pk=person.pk)
    assert kinds_of(person) == {(OrganisationFactory().slug, "judge", None)} and is_judge(person)
    assert person.agency_confirmed_at is not None  # still the innovator they were, now a judge too
    assert AuditEvent.objects.filter(action="membership.accepted", object_id=str(person.pk)).exists()


def test_a_declined_membership_is_removed_and_nobody_answers_for_another(client):
    person = InnovatorFactory(email="sudah@example.org")
    other = InnovatorFactory(email="lain@example.org")
    client.force_login(OrganiserFactory())
    _invite(client, email="sudah@example.org", role="judge")
    asked = Membership.everything.get(user=person)
    client.force_login(other)
    assert client.post(reverse("kipp:membership_answer", args=[asked.pk, "terima"])).status_code == 404
    assert client.get(reverse("kipp:membership_answer", args=[asked.pk, "terima"])).status_code == 405
    client.force_login(person)
    client.post(reverse("kipp:membership_answer", args=[asked.pk, "tolak"]))
    assert not Membership.everything.filter(user=person).exists()
    assert AuditEvent.objects.filter(action="membership.declined", object_id=str(person.pk)).exists()


def test_nobody_invites_themself(client):
    organiser = OrganiserFactory(email="saya@example.org")
    client.force_login(organiser)
    response = _invite(client, email="SAYA@example.org", role="judge")
    assert "mengundang diri sendiri" in response.content.decode()
    assert kinds_of(organiser) == {(OrganisationFactory().slug, "organiser", None)}


def test_another_organisations_pending_invitation_is_not_rewritten(client):
    jatim = OrganisationFactory(slug="jatim-uji", level="nasional")
    client.force_login(OrganiserFactory())
    _invite(client, email="juri@example.org", role="judge", full_name="Juri Sulsel", position="Dosen Unhas")
    first_link = _path(sent_mail()[0])
    client.force_login(OrganiserFactory(organisation=jatim))
    response = _invite(client, email="juri@example.org", role="judge", full_name="DIAMBIL ALIH", position="x")
    assert "pemiliknya diminta menerima" in response.content.decode()
    judge = User.objects.get(email="juri@example.org")
    assert (judge.full_name, judge.position) == ("Juri Sulsel", "Dosen Unhas")
    assert kinds_of(judge) == {(OrganisationFactory().slug, "judge", None)}  # the other is only asked
    client.logout()
    assert "Buat kata sandi" in client.get(first_link, follow=True).content.decode()  # Sulsel's link still works


def test_reinviting_a_pending_invitation_sends_a_new_link_and_voids_the_old(client):
    client.force_login(OrganiserFactory())
    _invite(client, email="juri@example.org", role="judge")
    response = _invite(client, email="juri@example.org", role="judge", full_name="Juri Baru")
    assert "Undangan dikirim ulang" in response.content.decode()
    assert len(sent_mail()) == 2
    assert User.objects.filter(email="juri@example.org").count() == 1
    client.logout()
    assert "tidak berlaku lagi" in client.get(_path(sent_mail()[0])).content.decode()
    assert "Buat kata sandi" in client.get(_path(sent_mail()[1]), follow=True).content.decode()


def test_expired_invitation_link_says_what_to_do(client, settings):
    client.force_login(OrganiserFactory())
    _invite(client, email="juri@example.org", role="judge")
    client.logout()
    settings.INVITATION_MAX_AGE = -1
    html = client.get(_path(sent_mail()[0])).content.decode()
    assert "kedaluwarsa" in html
    assert "mengirim ulang undangan" in html


def test_invite_page_lists_verifiers_and_judges_with_a_constant_number_of_queries(client):
    client.force_login(OrganiserFactory())
    VerifierFactory()
    client.get(reverse("kipp:invite"))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("kipp:invite"))
    assert response.status_code == 200
    for n in range(5):
        JudgeFactory(agency=AgencyFactory(name=f"Universitas {n}"), region=region("73.71"))
        VerifierFactory()
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("kipp:invite"))
    assert response.content.decode().count("<tr>") == 1 + 1 + 11  # header, the organiser, 6 verifiers, 5 judges
    assert len(many) == len(one)


def test_password_set_link_and_login_for_a_judge(client):
    organiser = OrganiserFactory()
    client.force_login(organiser)
    _invite(client, email="evaluator@example.org", role="judge")
    client.logout()
    response = client.get(_path(sent_mail()[0]), follow=True)
    client.post(response.redirect_chain[-1][0], {"new_password1": PASSWORD + "x", "new_password2": PASSWORD + "x"})
    response = client.post(reverse("kipp:login"), {"username": "evaluator@example.org", "password": PASSWORD + "x"})
    assert response.status_code == 302
    assert response.url == reverse("kipp:dashboard")
