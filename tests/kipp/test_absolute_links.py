"""Links in emails and in the API point to the address the portal was reached at (issue 11, item 11): built from
the request where there is one (its Host checked against ALLOWED_HOSTS), from SITE_URL outside a request."""

import re

import pytest
from django.urls import reverse

from kipp.mail import absolute_url
from kipp.models import User
from kipp.services_accounts import send_verification_email
from tests.factories import AgencyFactory, InnovatorFactory
from tests.outbox import sent_mail

pytestmark = pytest.mark.django_db

PASSWORD = "Inovasi-Rumbia-2027"


def _signup(client, **extra):
    agency = AgencyFactory(name="UPT SMPN 2 Rumbia")
    data = {
        "email": "baru@example.org",
        "full_name": "Pendaftar Baru",
        "position": "Staf",
        "phone": "0812 3456 7890",
        "agency": str(agency.pk),
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return client.post(reverse("kipp:signup"), data, **extra)


def _links(message):
    return re.findall(r"https?://\S+", message.body)


def test_the_verification_email_links_to_the_host_and_port_the_sign_up_came_to(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    _signup(client, HTTP_HOST="127.0.0.1:8123")
    assert len(sent_mail()) == 1
    links = _links(sent_mail()[0])
    assert links and all(link.startswith("http://127.0.0.1:8123") for link in links)
    assert any(link.startswith("http://127.0.0.1:8123/akun/verifikasi/") for link in links)


def test_a_mail_sent_outside_a_request_links_to_site_url(settings):
    settings.SITE_URL = "https://kipp.example.org"
    user = InnovatorFactory(email="job@example.org", is_active=False)
    send_verification_email(user)  # as a job or a command sends it: no request
    assert _links(sent_mail()[0])[0].startswith("https://kipp.example.org/akun/verifikasi/")
    assert absolute_url("/inovasi/") == "https://kipp.example.org/inovasi/"


def test_a_forged_host_is_refused_and_no_mail_goes_out(client):
    response = _signup(client, HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert sent_mail() == []
    assert not User.objects.filter(email="baru@example.org").exists()
