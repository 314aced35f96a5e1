"""The per-request session and user lookups (kipp/sessions.py, kipp.auth.EmailBackend.get_user) run as prepared
statements and behave as Django's own: an expired session is no session, an inactive or unknown user is nobody."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from kipp.auth import EmailBackend
from tests.factories import InnovatorFactory, OrganiserFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_request_reads_session_and_user(client):
    organiser = OrganiserFactory(full_name="Andi Rahmawati")
    client.force_login(organiser)
    page = client.get(reverse("kipp:dashboard"))
    assert page.status_code == 200 and "Andi Rahmawati" in page.content.decode()


def test_an_expired_session_is_no_session(client):
    client.force_login(OrganiserFactory())
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("kipp:dashboard"))
    assert response.status_code == 302 and reverse("kipp:login") in response["Location"]


def test_get_user_as_django_does():
    backend = EmailBackend()
    user = InnovatorFactory(full_name="Nur Aisyah")
    found = backend.get_user(str(user.pk))
    assert found == user and found.full_name == "Nur Aisyah" and found.agency_id == user.agency_id
    assert backend.get_user("not-a-number") is None
    assert backend.get_user(user.pk + 10_000) is None
    user.is_active = False
    user.save()
    assert backend.get_user(user.pk) is None
