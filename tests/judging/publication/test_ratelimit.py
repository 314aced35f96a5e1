"""Limits of objections on the public results page (judging/publication/ratelimit.py): anonymous ones per client
address and announcement (settings.ANONYMOUS_OBJECTIONS_PER_HOUR), signed-in ones per person and announcement
(SIGNED_IN_OBJECTIONS_PER_HOUR, SIGNED_IN_OBJECTIONS_PER_ANNOUNCEMENT), counted in the database by kipp.limits so that
every process shares the count (issue 17 finding 13)."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from judging.models import Objection
from judging.publication import services as pub
from kipp.models import LimitCount
from tests.factories import InnovatorFactory
from tests.judging.publication.helpers import closed_round, organisers, published

pytestmark = pytest.mark.django_db

REASON = "Inovasi ini belum berjalan dua tahun menurut laporan dinas"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def scene():
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    return published(round_, a, b), entries


def _object(client, announcement, entry, address, reason=REASON, **extra):
    return client.post(
        reverse("judging:public_objection", args=[announcement.pk]),
        {"entry": entry.pk, "reason": reason, "name": "Warga Rumbia", "email": "warga@example.org"},
        REMOTE_ADDR=address,
        **extra,
    )


def test_the_sixth_anonymous_objection_from_one_address_is_refused_with_the_form_kept(client, scene):
    announcement, entries = scene
    for n in range(5):
        response = _object(client, announcement, entries["E1"], "203.0.113.7", reason=f"{REASON} {n}")
        assert response.status_code == 302
    assert Objection.objects.count() == 5

    response = _object(client, announcement, entries["E2"], "203.0.113.7")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600  # until the hour's count ends
    assert Objection.objects.count() == 5  # nothing stored
    body = response.content.decode()
    assert 'id="objection-refused"' in body
    assert "batas sanggahan per jam untuk pengumuman ini dari alamat jaringan Anda (5) sudah tercapai" in body
    form = body.split('id="objection-form"', 1)[1].split("</form>", 1)[0]
    assert REASON in form
    assert 'value="Warga Rumbia"' in form and 'value="warga@example.org"' in form
    assert f'value="{entries["E2"].pk}" selected' in form


def test_another_address_still_passes(client, scene):
    announcement, entries = scene
    for _n in range(6):
        _object(client, announcement, entries["E1"], "203.0.113.7")
    assert _object(client, announcement, entries["E1"], "198.51.100.20").status_code == 302
    assert Objection.objects.count() == 6


def test_the_limit_is_per_announcement(client, scene):
    announcement, entries = scene
    other_round, _next, other_entries, _judges = closed_round()
    other = published(other_round, *organisers())
    for _n in range(6):
        _object(client, announcement, entries["E1"], "203.0.113.7")
    assert _object(client, other, other_entries["E1"], "203.0.113.7").status_code == 302
    assert Objection.objects.filter(announcement=other).count() == 1


def test_the_count_is_in_the_database_not_in_a_cache(client, scene):
    """One count for every process: clearing the (per-process, local-memory) cache opens nothing."""
    announcement, entries = scene
    for _n in range(5):
        _object(client, announcement, entries["E1"], "203.0.113.7")
    assert LimitCount.objects.get(key=f"objection:anonymous:{announcement.pk}:203.0.113.7").count == 5
    cache.clear()
    assert _object(client, announcement, entries["E1"], "203.0.113.7").status_code == 429
    assert Objection.objects.count() == 5


def test_the_limit_ends_with_the_hour(scene, settings):
    announcement, entries = scene
    settings.ANONYMOUS_OBJECTIONS_PER_HOUR = 2
    now = timezone.now()
    kwargs = {"announcement": announcement, "entry": entries["E1"], "name": "W", "email": "w@x.id"}
    for n in range(2):
        pub.file_objection(reason=f"{REASON} {n}", client_address="203.0.113.7", now=now, **kwargs)
    with pytest.raises(pub.ObjectionRateLimited):
        pub.file_objection(reason=REASON, client_address="203.0.113.7", now=now, **kwargs)
    later = now + datetime.timedelta(hours=1)
    pub.file_objection(reason=REASON, client_address="203.0.113.7", now=later, **kwargs)
    assert Objection.objects.count() == 3


def test_the_limit_comes_from_settings(client, scene, settings):
    announcement, entries = scene
    settings.ANONYMOUS_OBJECTIONS_PER_HOUR = 2
    assert [_object(client, announcement, entries["E1"], "203.0.113.7").status_code for _n in range(3)] == [
        302,
        302,
        429,
    ]
    settings.ANONYMOUS_OBJECTIONS_PER_HOUR = 0  # off
    assert _object(client, announcement, entries["E1"], "203.0.113.7").status_code == 302
    assert Objection.objects.count() == 3


def test_x_forwarded_for_is_ignored_unless_a_proxy_is_trusted(client, scene, settings):
    announcement, entries = scene
    settings.ANONYMOUS_OBJECTIONS_PER_HOUR = 1
    assert _object(client, announcement, entries["E1"], "10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code
    refused = _object(client, announcement, entries["E1"], "10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert refused.status_code == 429  # a client cannot pick a fresh address by sending a header
    settings.TRUSTED_PROXY_COUNT = 1  # behind one reverse proxy: its X-Forwarded-For names the client
    passed = _object(client, announcement, entries["E1"], "10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.3")
    assert passed.status_code == 302
    assert Objection.objects.count() == 2


def _object_signed_in(client, announcement, entry, n):
    return client.post(
        reverse("judging:public_objection", args=[announcement.pk]),
        {"entry": entry.pk, "reason": f"{REASON} {n}"},
        REMOTE_ADDR="203.0.113.7",
    )


def test_signed_in_objections_are_limited_per_person_and_hour(client, scene):
    announcement, entries = scene
    client.force_login(InnovatorFactory(agency=entries["E1"].agency))
    assert [_object_signed_in(client, announcement, entries["E1"], n).status_code for n in range(5)] == [302] * 5
    response = _object_signed_in(client, announcement, entries["E1"], 5)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    body = response.content.decode()
    assert "Anda sudah mengajukan 5 sanggahan atas pengumuman ini dalam satu jam" in body
    assert f"{REASON} 5" in body.split('id="objection-form"', 1)[1]  # the form keeps what was typed
    assert Objection.objects.count() == 5
    client.force_login(InnovatorFactory(agency=entries["E2"].agency))  # another person, same address: passes
    assert _object_signed_in(client, announcement, entries["E2"], 0).status_code == 302
    assert Objection.objects.count() == 6


def test_signed_in_objections_are_limited_in_all_per_announcement(scene, settings):
    announcement, entries = scene
    settings.SIGNED_IN_OBJECTIONS_PER_HOUR = 0
    settings.SIGNED_IN_OBJECTIONS_PER_ANNOUNCEMENT = 3
    person = InnovatorFactory(agency=entries["E1"].agency)
    now = timezone.now()
    for hours in range(3):
        pub.file_objection(
            announcement=announcement,
            entry=entries["E1"],
            reason=f"{REASON} {hours}",
            user=person,
            now=now + datetime.timedelta(hours=hours),
        )
    with pytest.raises(pub.ObjectionRateLimited, match="sudah mengajukan 3 sanggahan atas pengumuman ini, batas"):
        pub.file_objection(
            announcement=announcement,
            entry=entries["E2"],
            reason=REASON,
            user=person,
            now=now + datetime.timedelta(hours=5),
        )
    assert Objection.objects.filter(filed_by=person).count() == 3


def test_the_service_refuses_over_the_limit_and_commands_are_not_counted(scene, settings):
    announcement, entries = scene
    settings.ANONYMOUS_OBJECTIONS_PER_HOUR = 1
    kwargs = {"announcement": announcement, "entry": entries["E1"], "reason": REASON, "name": "W", "email": "w@x.id"}
    pub.file_objection(client_address="203.0.113.9", **kwargs)
    with pytest.raises(pub.ObjectionRateLimited):
        pub.file_objection(client_address="203.0.113.9", **kwargs)
    pub.file_objection(**kwargs)  # no address (a command, the demo): not counted
    assert Objection.objects.count() == 2


def test_the_refusal_in_english(client, scene):
    announcement, entries = scene
    for _n in range(5):
        _object(client, announcement, entries["E1"], "203.0.113.7")
    with translation.override("en"):
        response = _object(client, announcement, entries["E1"], "203.0.113.7", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "the hourly limit of objections to this announcement from your network address (5)" in (
        response.content.decode()
    )
