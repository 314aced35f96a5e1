"""Schemathesis against the served OpenAPI description (/api/v1/openapi.json), through the WSGI app: every
generated request (valid and invalid parameters, unknown ids and slugs, other methods) gets an answer that the
description allows, never a server error. Bounded (few examples per operation) to keep the suite fast; runs
offline (the schema and the calls go through the WSGI app in this process)."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from kipp.wsgi import application
from tests.judging.records.helpers import published_world

# The description is fetched from the running app (no database needed for it); the data comes per test.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _published(db, settings):
    """Data for the calls; the WSGI handler must not close the test's connection after each request (Django's
    test Client disconnects the same handlers)."""
    settings.ALLOWED_HOSTS = ["*"]
    published_world(show_totals=True)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_answers_as_described(case):
    case.call_and_validate()
