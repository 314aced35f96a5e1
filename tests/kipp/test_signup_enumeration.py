"""No enumeration, no mail flood (issue 17, item 7): a sign-up with a registered address answers exactly as a new
one and mails the owner instead; account mails (verification, password reset, the owner's notice) are limited per
address, and over the limit the pages still answer the same."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from kipp.models import AuditEvent, User
from tests.factories import PASSWORD, AgencyFactory, InnovatorFactory
from tests.outbox import sent_mail

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Inovasi-Rumbia-2027"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _signup_data(agency, email):
    return {
        "email": email,
        "full_name": "Dr. Suhaedir Bahtiar",
        "position": "Kepala UPT SMPN 2 Rumbia",
        "phone": "0812 3456 7890",
        "agency": str(agency.pk),
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }


def _sign_up(agency, email):
    """(status, redirect, text of the page it leads to with the address blanked) of one sign-up, new client."""
    client = Client()
    response = client.post(reverse("kipp:signup"), _signup_data(agency, email))
    page = client.get(response["Location"]).content.decode()
    return response.status_code, response["Location"], CSRF.sub("", page).replace(email.lower(), "EMAIL")


def test_signup_with_a_registered_address_answers_as_a_new_one_and_mails_the_owner():
    owner = InnovatorFactory(email="suhaedir@example.org", full_name="Dr. Suhaedir")
    agency = AgencyFactory()

    registered = _sign_up(agency, "SUHAEDIR@example.org")
    new = _sign_up(agency, "baru@example.org")

    assert registered == new
    assert registered[0] == 302
    assert "Periksa email Anda" in registered[2]
    assert "sudah terdaftar" not in registered[2]
    # no second account, the owner's unchanged; the owner was told, the new address got its verification link
    assert User.objects.filter(email__iexact="suhaedir@example.org").count() == 1
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    assert [m.to for m in sent_mail()] == [["suhaedir@example.org"], ["baru@example.org"]]
    notice = sent_mail()[0]
    assert "Seseorang mencoba mendaftar" in notice.body
    assert "/akun/masuk/?email=suhaedir@example.org" in notice.body
    assert "/akun/lupa-sandi/" in notice.body
    assert "/akun/verifikasi/" not in notice.body
    assert AuditEvent.objects.filter(action="account.signup_for_registered_address", object_id=str(owner.pk)).exists()


def test_signup_with_an_unverified_address_sends_the_owner_a_fresh_verification_link(client):
    agency = AgencyFactory()
    client.post(reverse("kipp:signup"), _signup_data(agency, "lambat@example.org"))
    client.post(reverse("kipp:signup"), _signup_data(agency, "lambat@example.org"))
    assert User.objects.filter(email="lambat@example.org").count() == 1
    assert len(sent_mail()) == 2
    assert "Akun Anda belum diverifikasi" in sent_mail()[1].body
    link = re.search(r"https?://\S+/akun/verifikasi/\S+", sent_mail()[1].body).group(0)
    response = client.get(re.sub(r"^https?://[^/]+", "", link))
    assert response.status_code == 302
    assert User.objects.get(email="lambat@example.org").is_active


def test_ten_password_reset_requests_send_three_mails_and_answer_the_same(client):
    user = InnovatorFactory(email="korban@example.org")
    answers = set()
    for _ in range(10):
        response = client.post(reverse("kipp:password_reset"), {"email": "korban@example.org"})
        answers.add((response.status_code, response["Location"]))
    unknown = client.post(reverse("kipp:password_reset"), {"email": "tidak-ada@example.org"})
    answers.add((unknown.status_code, unknown["Location"]))

    assert answers == {(302, reverse("kipp:password_reset_done"))}
    assert len(sent_mail()) == 3
    assert all(m.to == ["korban@example.org"] for m in sent_mail())
    withheld = AuditEvent.objects.filter(action="account.mail_withheld", object_id=str(user.pk))
    assert withheld.count() == 7
    assert withheld.first().details == {"kind": "password_reset", "email": "korban@example.org"}
    assert withheld.first().ip_address == "127.0.0.1"
    # the page says, the same for every address, that such mails are limited (no one waits for a mail in vain)
    done = client.get(reverse("kipp:password_reset_done")).content.decode()
    assert "paling banyak 3 email seperti ini dikirim ke satu alamat dalam satu jam" in done


def test_verification_mails_are_limited_per_address_and_the_page_says_the_same(client):
    agency = AgencyFactory()
    client.post(reverse("kipp:signup"), _signup_data(agency, "ulang@example.org"))  # the first link
    messages = set()
    for _ in range(5):
        response = client.post(reverse("kipp:resend_verification"), {"email": "ulang@example.org"}, follow=True)
        messages.add("Jika ulang@example.org terdaftar" in response.content.decode())
    assert messages == {True}
    assert "paling banyak 3 email seperti ini" in response.content.decode()
    assert len(sent_mail()) == 3  # the sign-up's link and two resends, then nothing within the hour
    assert AuditEvent.objects.filter(action="account.mail_withheld", details__kind="verification").count() == 3


def test_owner_notices_of_repeated_signups_are_limited_too():
    InnovatorFactory(email="terkenal@example.org")
    agency = AgencyFactory()
    for _ in range(5):
        assert _sign_up(agency, "terkenal@example.org")[0] == 302
    assert len(sent_mail()) == 3
    assert AuditEvent.objects.filter(action="account.mail_withheld", details__kind="signup_registered").count() == 2


def test_the_mail_limit_is_per_address(client):
    InnovatorFactory(email="satu@example.org")
    InnovatorFactory(email="dua@example.org")
    for _ in range(4):
        client.post(reverse("kipp:password_reset"), {"email": "satu@example.org"})
    client.post(reverse("kipp:password_reset"), {"email": "dua@example.org"})
    assert [m.to[0] for m in sent_mail()].count("satu@example.org") == 3
    assert [m.to[0] for m in sent_mail()].count("dua@example.org") == 1
