"""The public results page caches its result lists (judging.publication.cache) without ever serving them early
or stale: the visibility check runs before the cache is read, a correction shows its own lists at once, the
language gives its own fragment, and nothing user-specific is shared."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from judging.publication import services as pub
from judging.publication.cache import results_key
from tests.factories import InnovatorFactory
from tests.judging.publication.helpers import closed_round, organisers, published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _url(announcement):
    return reverse("judging:public_announcement", args=[announcement.pk])


def _get(client, announcement):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(announcement))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _selected(body):
    table = body.split('id="selected-list"', 1)[1].split("</table>", 1)[0]
    return [part.split('"', 1)[0] for part in table.split('data-entry="')[1:]]


def test_a_second_request_runs_fewer_queries_and_shows_the_same_lists(client):
    round_, _n, _e, _j = closed_round()
    a, b = organisers()
    announcement = published(round_, a, b)
    first, first_count = _get(client, announcement)
    second, second_count = _get(client, announcement)
    # the listed rows (1), the criteria (1), the reasoned changes (1), the count of entries scored by fewer than k
    # judges (1), the method note's tie at the cut (the round's latest snapshot, 1: publishing stored one, so the
    # live ranking is never computed) and the totals changed in the judges' discussion (1) come from the cache the
    # second time
    assert second_count == first_count - 6
    assert _selected(first) == _selected(second) == ["E1", "E2"]
    assert 'id="reserve-list"' in second and 'data-entry="E3"' in second
    assert 'id="counts-region"' in second and 'id="objection-form"' in second


def test_signed_in_visitors_get_their_own_page_around_the_shared_lists(client):
    round_, _n, entries, _j = closed_round()
    a, b = organisers()
    announcement = published(round_, a, b)
    anonymous, _count = _get(client, announcement)  # fills the cache
    user = InnovatorFactory(agency=entries["E1"].agency)
    client.force_login(user)
    body, _count = _get(client, announcement)
    assert _selected(body) == ["E1", "E2"]
    assert 'name="email"' not in body  # the signed-in form asks no name or email
    assert 'name="email"' in anonymous
    client.logout()
    again, _count = _get(client, announcement)
    assert user.email not in again and 'name="email"' in again


def test_a_published_correction_shows_its_new_lists_at_once(client):
    round_, _n, entries, _j = closed_round()
    a, b = organisers()
    first = published(round_, a, b)
    body, _count = _get(client, first)
    assert _selected(body) == ["E1", "E2"]
    correction = pub.prepare_correction(
        announcement=first,
        actor=b,
        correction_note="E3 dipilih menggantikan E2.",
        changes=[(entries["E2"], "reserve", "Salah input nilai E2."), (entries["E3"], "selected", "Nilai E3 benar.")],
    )
    pub.submit_for_approval(announcement=correction, actor=b)
    pub.approve_announcement(announcement=correction, actor=a)
    body, _count = _get(client, correction)
    assert _selected(body) == ["E1", "E3"]
    assert "E3 dipilih menggantikan E2." in body
    old, _count = _get(client, first)
    assert _selected(old) == ["E1", "E2"] and 'id="superseded"' in old


def test_an_announcement_under_embargo_is_never_served_from_the_cache(client):
    round_, _n, _e, _j = closed_round()
    a, b = organisers()
    announcement = published(round_, a, b, embargo_until=timezone.now() + datetime.timedelta(hours=2))
    # an entry for it exists (e.g. rendered by a worker whose clock ran ahead): it must not be served
    secret = {"lists": "<p>BOCOR E1 E2</p>", "summary": "", "listed": []}
    cache.set(results_key(announcement), secret)
    cache.set(results_key(announcement, "en"), secret)
    response = client.get(_url(announcement))
    assert response.status_code == 404
    assert "BOCOR" not in response.content.decode()
    client.cookies["django_language"] = "en"
    response = client.get(_url(announcement))
    assert response.status_code == 404 and "BOCOR" not in response.content.decode()


def test_the_language_switch_gives_the_other_language(client):
    round_, _n, _e, _j = closed_round()
    a, b = organisers()
    announcement = published(round_, a, b)
    indonesian, _count = _get(client, announcement)
    assert "Terpilih (2)" in indonesian and "Cadangan (1)" in indonesian
    client.cookies["django_language"] = "en"
    english, _count = _get(client, announcement)
    assert "Selected (2)" in english and "Reserve (1)" in english
    assert "Terpilih (2)" not in english
    client.cookies["django_language"] = "id"
    back, _count = _get(client, announcement)
    assert "Terpilih (2)" in back and "Selected (2)" not in back
