"""CACHE_URL=redis://... uses kipp.cache_backends.ResilientRedisCache: when Redis does not answer, pages that read
the cache still answer from the database, limits let requests through, and the outage is logged."""

import logging
import socket

import pytest
from django.core.cache import cache
from django.urls import reverse

from judging.models import Objection
from kipp.env import cache_settings
from tests.factories import OrganiserFactory
from tests.judging.publication.helpers import closed_round, organisers, published
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = pytest.mark.django_db


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": cache_settings(f"redis://127.0.0.1:{_closed_port()}/0")}
    assert settings.CACHES["default"]["BACKEND"] == "kipp.cache_backends.ResilientRedisCache"
    yield
    settings.CACHES = {"default": cache_settings("")}


def test_reads_miss_writes_are_skipped_and_limits_let_through(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="kipp.cache_backends"):
        cache.set("k", 1)
        assert cache.get("k") is None
        assert cache.get("k", "default") == "default"
        assert cache.add("k", 1) is True
        with pytest.raises(ValueError):
            cache.incr("k")
        assert cache.get_or_set("k", lambda: "computed") == "computed"
        assert cache.get_many(["a", "b"]) == {}
        cache.delete_many(["a"])
    assert "cache unavailable" in caplog.text
    assert caplog.text.count("cache unavailable") == 1  # logged once a minute, not per call


def test_dashboard_public_page_and_objections_work_without_redis(client, redis_down):
    round_ = make_round([("a", 1, 1, 10)], top_n=1, reserve_n=0)
    judge = add_judge(round_)
    add_sheet(round_, add_entry(round_, "E1"), judge, {"a": 7})
    client.force_login(OrganiserFactory())
    dashboard = client.get(reverse("judging:round_dashboard", args=[round_.competition.slug, round_.slug]))
    assert dashboard.status_code == 200 and 'data-entry="E1"' in dashboard.content.decode()
    client.logout()

    closed, _next, entries, _judges = closed_round()
    first, second = organisers()
    announcement = published(closed, first, second)
    page = client.get(reverse("judging:public_announcement", args=[announcement.pk]))
    assert page.status_code == 200 and entries["E1"].title in page.content.decode()
    response = client.post(
        reverse("judging:public_objection", args=[announcement.pk]),
        {"entry": entries["E1"].pk, "reason": "Belum berjalan dua tahun", "name": "Warga", "email": "w@example.org"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    assert Objection.objects.filter(announcement=announcement).count() == 1


def test_a_working_redis_is_used(settings):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379 on this machine")
    settings.CACHES = {"default": {**cache_settings("redis://127.0.0.1:6379/15"), "KEY_PREFIX": "kipp-test"}}
    cache.set("kipp-test-key", {"a": 1}, 30)
    assert cache.get("kipp-test-key") == {"a": 1}
    cache.delete("kipp-test-key")
    settings.CACHES = {"default": cache_settings("")}
