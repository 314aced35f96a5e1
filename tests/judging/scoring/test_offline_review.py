"""Offline scoring after the review (server side): an older sending of a key replayed after its later one is never
stored again; the field checklist answers a sending from the device in JSON even when it refuses who sends it; a
refused CSRF token is told apart from a refusal; only a judge's own pages carry the marker (their field index and
"Penilaian saya" too, never an organiser's checklist); HEAD on the worker and the offline page."""

import pytest
from django.test import Client
from django.urls import reverse

from judging.models import FieldCheck, ScoreSheet
from judging.scoring.offline.answers import user_key
from tests.factories import OrganiserFactory
from tests.judging.scoring import test_offline as base
from tests.judging.scoring.helpers import add_judge
from tests.judging.scoring.test_offline import JSON, KEY_A, post, sending, values
from tests.pages import page_body

pytestmark = pytest.mark.django_db

world = base.world  # the fixtures of the first offline tests
field = base.field


def test_an_older_sending_replayed_after_the_same_keys_later_one_does_not_roll_the_sheet_back(client, world):
    _round, _judge, assignment, ids = world
    assert post(client, assignment, sending(ids, 5, 3, version=0, key=KEY_A)).json()["version"] == 1
    later = post(client, assignment, sending(ids, 8, 4, version=0, key=KEY_A))  # the same form, its answer lost
    assert later.status_code == 200 and later.json()["version"] == 2
    replay = post(client, assignment, sending(ids, 5, 3, version=0, key=KEY_A))
    assert replay.status_code == 409 and replay.json()["conflict"] is True
    assert replay.json()["server"]["scores"][str(ids["a"])]["value"] == 8
    assert values(assignment) == (2, "draft", [("a", 8), ("b", 4)])  # still the later sending


def test_the_later_sending_itself_sent_again_is_already_saved(client, world):
    _round, _judge, assignment, ids = world
    post(client, assignment, sending(ids, 5, 3, version=0, key=KEY_A))
    post(client, assignment, sending(ids, 8, 4, version=0, key=KEY_A))
    again = post(client, assignment, sending(ids, 8, 4, version=0, key=KEY_A))
    assert again.status_code == 200 and again.json()["already_saved"] is True and again.json()["version"] == 2


def test_an_older_checklist_answer_replayed_after_the_later_one_is_not_stored_again(client, field):
    _round, _entry, _judge, url, check = field
    first = {"check": check.pk, "verified": "no", "note": "Belum ada papan.", "form_key": KEY_A}
    assert client.post(url, first, **JSON).status_code == 200
    later = {**first, "verified": "yes", "note": "Papan terpasang."}
    assert client.post(url, later, **JSON).status_code == 200
    assert client.post(url, first, **JSON).json()["ok"] is True
    check.refresh_from_db()
    assert check.verified is True and check.note == "Papan terpasang."


def test_the_conflict_reason_of_a_final_sheet_names_the_only_choice(client, world):
    _round, judge, assignment, ids = world
    from judging.scoring import services

    services.submit_sheet(assignment=assignment, judge=judge, values={ids["a"]: (6, ""), ids["b"]: (2, "")}, version=0)
    answer = post(client, assignment, sending(ids, 9, 5, version=0, key=KEY_A))
    assert answer.status_code == 409 and "Pakai versi server" in answer.json()["message"]


def test_a_checklist_sending_of_someone_not_assigned_is_refused_in_json_with_the_reason(client, field):
    round_, _entry, _judge, url, check = field
    client.force_login(add_judge(round_))
    answer = client.post(url, {"check": check.pk, "verified": "yes", "form_key": KEY_A}, **JSON)
    assert answer.status_code == 403 and answer["Content-Type"].startswith("application/json")
    assert answer.json()["refused"] is True and "tidak ditugaskan" in answer.json()["message"]
    assert "csrf" not in answer.json()
    assert FieldCheck.objects.get(pk=check.pk).verified is None
    plain = client.post(url, {"check": check.pk, "verified": "yes"})
    assert plain.status_code == 403 and "text/html" in plain["Content-Type"]


def test_a_refused_csrf_token_is_told_apart_from_a_refusal(world):
    _round, judge, assignment, ids = world
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(judge)
    answer = post(strict, assignment, sending(ids, 5, 3, version=0, key=KEY_A))
    assert answer.status_code == 403 and answer.json()["csrf"] is True and answer.json()["refused"] is True
    plain = strict.post(reverse("judging:sheet", args=[assignment.pk]), sending(ids, 5, 3, version=0, key=KEY_A))
    assert plain.status_code == 403 and "text/html" in plain["Content-Type"]
    assert not ScoreSheet.objects.filter(assignment=assignment).exists()


def test_only_the_field_judges_own_field_pages_carry_the_marker(client, field):
    round_, entry, judge, url, _check = field
    marker = f'<meta name="kipp-offline" content="{user_key(judge)}"'
    index_url = reverse("judging:field_index", args=[round_.competition.slug, round_.slug])
    index = client.get(index_url).content.decode()
    assert marker in index and f'href="{url}" data-offline-keep' in index  # its checklists are kept with it
    assert marker in client.get(url).content.decode()
    home = reverse("judging:my_rounds")
    assert f'data-home="{home}"' in index
    assert marker in client.get(home).content.decode()  # the offline page's link, kept for the judge
    client.force_login(OrganiserFactory())
    checklist = client.get(url)
    assert checklist.status_code == 200 and "kipp-offline" not in checklist.content.decode()
    organiser_index = client.get(index_url)
    assert organiser_index.status_code == 200 and "kipp-offline" not in organiser_index.content.decode()
    assert "data-offline-keep" not in organiser_index.content.decode()


def test_head_is_answered_on_the_worker_and_the_offline_page(client):
    assert client.head("/sw.js").status_code == 200
    assert client.head(reverse("offline:offline_page")).status_code == 200
    assert client.post(reverse("offline:offline_page")).status_code == 405


def test_the_queue_badge_and_the_refused_list_texts(client, world):
    round_, _judge, _assignment, _ids = world
    queue_url = reverse("judging:queue", args=[round_.competition.slug, round_.slug])
    indonesian = client.get(queue_url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'data-sent-short="terkirim"' in indonesian and 'data-typed="Yang Anda isi:"' in indonesian
    english = client.get(queue_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-refused-many="__n__ sendings refused by the server:"' in english
    assert "Tidak ada koneksi" in page_body(client.get(reverse("offline:offline_page"), HTTP_ACCEPT_LANGUAGE="id"))
