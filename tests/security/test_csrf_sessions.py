"""CSRF on every URL of the project (admin included), session fixation, login throttling."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, InnovatorFactory, OrganiserFactory
from tests.urlwalk import project_routes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["anonymous", "organiser"])
def test_every_post_without_a_csrf_token_is_refused(who):
    """CsrfViewMiddleware runs before any view: a POST without the token is refused (403) on every URL of the
    project, admin included, signed in or not, whatever the object in the URL. The only csrf_exempt views (the
    read-only JSON API) refuse any POST (405)."""
    client = Client(enforce_csrf_checks=True)
    if who == "organiser":
        client.force_login(OrganiserFactory())
    routes = project_routes(include_admin=True)
    assert len(routes) > 50
    accepted = []
    for route in routes:
        response = client.post(route.url(), {"reason": "x", "username": "a@b.c", "password": "x"})
        exempt = getattr(route.callback, "csrf_exempt", False)
        # a csrf_exempt view (the read-only JSON API) must not take a POST at all: 405
        if response.status_code != (405 if exempt else 403):
            accepted.append(f"{route.name} {route.url()} -> {response.status_code}")
    assert not accepted, "POST without a CSRF token not refused:\n" + "\n".join(accepted)


def test_the_login_form_works_with_its_token_and_not_without():
    user = InnovatorFactory(email="inovator@example.org")
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("kipp:login"))
    token = page.cookies["csrftoken"].value
    refused = client.post(reverse("kipp:login"), {"username": user.email, "password": PASSWORD})
    assert refused.status_code == 403
    accepted = client.post(
        reverse("kipp:login"), {"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_session_key_changes_at_login_and_the_old_one_is_dead(client):
    """Session fixation: a key planted before login (an attacker's) is not the key of the logged-in session."""
    user = InnovatorFactory(email="korban@example.org")
    session = client.session
    session["planted"] = "by-attacker"
    session.save()
    planted_key = session.session_key
    client.cookies["sessionid"] = planted_key
    response = client.post(reverse("kipp:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    new_key = client.cookies["sessionid"].value
    assert new_key != planted_key
    assert not Session.objects.filter(session_key=planted_key).exists()
    attacker = Client()
    attacker.cookies["sessionid"] = planted_key
    assert attacker.get(reverse("kipp:dashboard")).status_code == 302  # sent to the login page


def test_logout_ends_the_session_on_the_server(client):
    user = InnovatorFactory(email="keluar@example.org")
    client.post(reverse("kipp:login"), {"username": user.email, "password": PASSWORD})
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("kipp:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get(reverse("kipp:dashboard")).status_code == 302


def test_login_throttling_locks_after_the_limit_even_for_the_right_password(client, settings):
    user = InnovatorFactory(email="ditebak@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("kipp:login"), {"username": user.email, "password": "tebakan-salah-1"})
    response = client.post(reverse("kipp:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_throttling_counts_one_address_across_case_variants_of_the_email(client, settings):
    """Trying the same account as Upper@... and upper@... does not get twice the attempts."""
    user = InnovatorFactory(email="variasi@example.org")
    for i in range(settings.AXES_FAILURE_LIMIT):
        email = user.email.upper() if i % 2 else user.email
        client.post(reverse("kipp:login"), {"username": email, "password": "tebakan-salah-1"})
    response = client.post(reverse("kipp:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 429
