"""Health endpoints (issue 19 item 6, kipp/health.py): /health/ answers without the database or a session,
/health/ready/ names what failed. The database gone for real (a cut TCP proxy): tests/faults/test_outage_logs.py."""

import json
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import OrganiserFactory
from tests.faults.servers import BASE_DIR, child_env, free_port

pytestmark = pytest.mark.django_db

LIVE = reverse("kipp:health")
READY = reverse("kipp:health_ready")


def test_the_paths_are_the_ones_a_load_balancer_is_given():
    assert (LIVE, READY) == ("/health/", "/health/ready/")


def test_liveness_answers_ok_without_a_query_even_to_a_signed_in_session(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(LIVE)
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]
    client.force_login(OrganiserFactory())
    with django_assert_num_queries(0):  # the session is not read, so an outage cannot reach this page
        response = client.get(LIVE)
    assert response.status_code == 200 and response.content == b"ok"
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_readiness_reports_the_database_and_the_cache(client):
    response = client.get(READY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok"},
        "failed": [],
    }


def test_readiness_is_503_naming_the_cache_when_redis_does_not_answer(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "kipp.cache_backends.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    response = client.get(READY)
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "failed"},
        "failed": ["cache"],
    }
    assert client.get(LIVE).status_code == 200  # alive all the same: nobody should restart the server for it


def test_no_csrf_token_is_needed_and_only_get_and_head_are_answered():
    client = Client(enforce_csrf_checks=True)
    for url in (LIVE, READY):
        assert client.head(url).status_code == 200
        response = client.post(url)
        assert response.status_code == 405  # not 403: the CSRF check is never reached
        assert response["Allow"] == "GET, HEAD"


def test_the_second_factor_does_not_stand_in_the_way(client, settings):
    settings.STAFF_2FA = "required"
    client.force_login(OrganiserFactory())
    assert client.get(reverse("kipp:dashboard")).status_code == 302  # this session owes a code
    assert client.get(LIVE).status_code == 200
    assert client.get(READY).status_code == 200


def test_bad_input_is_still_refused(client):
    assert client.get(LIVE, {"q": "a\x00b"}).status_code == 400
    assert client.get(READY, {"q": "a\x00b"}).status_code == 400


def test_in_production_a_load_balancer_asks_over_plain_http_with_its_own_host_name():
    """DEBUG=0 redirects every page to HTTPS and checks the Host header; a load balancer's check comes over plain
    HTTP to the server's address: /health/ answers it (a separate process with production settings)."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "print(c.get('/health/', HTTP_HOST='10.0.0.7').status_code, c.get('/health/ready/').status_code,"
        " c.get('/', HTTP_HOST='kipp.example.org').status_code)\n"
    )
    env = child_env(DEBUG="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS="kipp.example.org")
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "200", "301"]
