"""Offline scoring, the server's side (issue 15): a sending queued on a judge's device is answered in JSON. A retry
is stored once; a sending based on an older version is a conflict answered with the server's version (nothing
written); refusals carry the server's reason; the plain form keeps its pages. The service worker and the marker of
the pages a device may keep."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from judging.models import FieldCheck, Round, ScoreSheet
from judging.scoring import services
from judging.scoring.offline.answers import user_key
from kipp.models import AuditEvent
from tests.factories import OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round
from tests.pages import page_body

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
KEY_A = "a" * 32
KEY_B = "b" * 32


@pytest.fixture
def world(client):
    round_ = make_round([("a", 3, 1, 10), ("b", 1, 1, 5)])
    entry = add_entry(round_, "E1")
    judge = add_judge(round_, full_name="Juri Satu")
    assignment = services.assign(round_=round_, entry=entry, judge=judge)
    ids = {c.key: c.pk for c in round_.criteria.all()}
    client.force_login(judge)
    return round_, judge, assignment, ids


def sending(ids, a, b, *, version, key, action="save", comment=""):
    return {
        "version": version,
        "form_key": key,
        "action": action,
        "overall_comment": comment,
        f"score_{ids['a']}": a,
        f"score_{ids['b']}": b,
    }


def post(client, assignment, data, **headers):
    return client.post(reverse("judging:sheet", args=[assignment.pk]), data, **JSON, **headers)


def values(assignment):
    sheet = ScoreSheet.objects.get(assignment=assignment)
    return sheet.version, sheet.state, sorted(sheet.scores.values_list("criterion__key", "value"))


def test_a_queued_submit_sent_twice_is_stored_once(client, world):
    _round, _judge, assignment, ids = world
    first = post(client, assignment, sending(ids, 8, 4, version=0, key=KEY_A, action="submit"))
    assert first.status_code == 200
    body = first.json()
    assert body["ok"] is True and body["already_saved"] is False and body["state"] == "final" and body["version"] == 1
    assert body["next"].endswith("/antrean/")
    again = post(client, assignment, sending(ids, 8, 4, version=0, key=KEY_A, action="submit"))
    assert again.status_code == 200 and again.json()["already_saved"] is True and again.json()["version"] == 1
    assert values(assignment) == (1, "final", [("a", 8), ("b", 4)])
    assert AuditEvent.objects.filter(action="judging.sheet_submitted").count() == 1


def test_a_sending_based_on_an_older_version_is_a_conflict_with_both_versions(client, world):
    round_, judge, assignment, ids = world
    services.submit_sheet(
        assignment=assignment, judge=judge, values={ids["a"]: (6, "di tablet"), ids["b"]: (2, "")}, version=0
    )
    services.unlock_sheet(sheet=ScoreSheet.objects.get(assignment=assignment), actor=OrganiserFactory(), reason="x")
    answer = post(client, assignment, sending(ids, 9, 5, version=0, key=KEY_A))
    assert answer.status_code == 409
    body = answer.json()
    assert body["conflict"] is True and "Pilih di bawah" in body["message"]  # the choice is on screen
    assert "Muat ulang" not in body["message"]
    server = body["server"]
    assert server["version"] == 2 and server["state"] == "draft"
    assert server["scores"][str(ids["a"])] == {"value": 6, "comment": "di tablet"}
    assert values(assignment) == (2, "draft", [("a", 6), ("b", 2)])  # nothing overwritten
    # the judge chose their own version: sent anew on the server's version, it is stored
    chosen = post(client, assignment, sending(ids, 9, 5, version=2, key=KEY_B))
    assert chosen.status_code == 200 and chosen.json()["version"] == 3
    assert values(assignment) == (3, "draft", [("a", 9), ("b", 5)])


def test_a_retry_after_the_sheet_changed_elsewhere_is_a_conflict_not_a_write(client, world):
    _round, judge, assignment, ids = world
    assert post(client, assignment, sending(ids, 5, 3, version=0, key=KEY_A)).status_code == 200
    services.save_sheet(assignment=assignment, judge=judge, values={ids["a"]: (7, "")}, version=1)
    again = post(client, assignment, sending(ids, 5, 3, version=0, key=KEY_A))
    assert again.status_code == 409 and again.json()["server"]["version"] == 2
    assert values(assignment) == (2, "draft", [("a", 7), ("b", 3)])


def test_a_final_sheet_on_the_server_is_a_conflict_that_cannot_be_overwritten(client, world):
    _round, judge, assignment, ids = world
    services.submit_sheet(assignment=assignment, judge=judge, values={ids["a"]: (6, ""), ids["b"]: (2, "")}, version=0)
    answer = post(client, assignment, sending(ids, 9, 5, version=1, key=KEY_A))
    assert answer.status_code == 409 and answer.json()["server"]["state"] == "final"
    assert values(assignment) == (1, "final", [("a", 6), ("b", 2)])


def test_a_closed_round_refuses_with_its_reason(client, world):
    round_, _judge, assignment, ids = world
    Round.objects.filter(pk=round_.pk).update(state="closed")
    answer = post(client, assignment, sending(ids, 9, 5, version=0, key=KEY_A))
    assert answer.status_code == 422
    assert answer.json()["refused"] is True and "ditutup" in answer.json()["message"]
    assert not ScoreSheet.objects.filter(assignment=assignment).exists()


def test_a_declared_conflict_of_interest_refuses(client, world):
    round_, judge, assignment, ids = world
    services.declare_conflict(assignment=assignment, judge=judge, reason="Kerabat dekat pengusul.")
    answer = post(client, assignment, sending(ids, 9, 5, version=0, key=KEY_A))
    assert answer.status_code == 403 and "konflik kepentingan" in answer.json()["message"]
    assert not ScoreSheet.objects.filter(assignment=assignment).exists()


def test_another_judge_is_refused_and_a_value_off_the_scale_is_refused(client, world):
    round_, _judge, assignment, ids = world
    data = sending(ids, 11, 5, version=0, key=KEY_A)
    bad = post(client, assignment, data)
    assert bad.status_code == 400 and f"score_{ids['a']}" in bad.json()["errors"]
    client.force_login(add_judge(round_))
    other = post(client, assignment, sending(ids, 9, 5, version=0, key=KEY_B))
    assert other.status_code == 403 and other.json()["refused"] is True
    assert not ScoreSheet.objects.filter(assignment=assignment).exists()


def test_a_foreground_save_leaves_the_message_for_the_next_page(client, world):
    _round, _judge, assignment, ids = world
    answer = post(client, assignment, sending(ids, 5, 3, version=0, key=KEY_A), HTTP_X_KIPP_FOREGROUND="1")
    assert answer.json()["next"] == reverse("judging:sheet", args=[assignment.pk])
    assert "Draf tersimpan." in page_body(client.get(answer.json()["next"]))
    post(client, assignment, sending(ids, 6, 3, version=1, key=KEY_B))  # a background sending: no message
    assert "Draf tersimpan." not in page_body(client.get(answer.json()["next"]))


def test_the_plain_form_still_answers_with_pages(client, world):
    _round, _judge, assignment, ids = world
    response = client.post(reverse("judging:sheet", args=[assignment.pk]), sending(ids, 5, 3, version=0, key=KEY_A))
    assert response.status_code == 302 and response["Location"] == reverse("judging:sheet", args=[assignment.pk])
    stale = client.post(reverse("judging:sheet", args=[assignment.pk]), sending(ids, 6, 3, version=0, key=KEY_B))
    assert stale.status_code == 409 and "text/html" in stale["Content-Type"]


def test_only_the_judges_own_pages_carry_the_marker(client, world):
    round_, judge, assignment, _ids = world
    marker = f'<meta name="kipp-offline" content="{user_key(judge)}"'
    sheet_url = reverse("judging:sheet", args=[assignment.pk])
    queue_url = reverse("judging:queue", args=[round_.competition.slug, round_.slug])
    assert marker in client.get(sheet_url).content.decode()
    assert marker in client.get(queue_url).content.decode()
    assert "kipp-offline" not in client.get(reverse("kipp:profile")).content.decode()
    organiser = OrganiserFactory()
    client.force_login(organiser)
    assert "kipp-offline" not in client.get(sheet_url).content.decode()  # an organiser reading a judge's sheet
    assert user_key(judge) != user_key(organiser) and str(judge.pk) != user_key(judge)


def test_the_service_worker_is_served_from_the_root_with_the_whole_site_as_scope(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/" and response["Content-Type"].startswith("text/javascript")
    text = response.content.decode()
    assert 'importScripts("/static/js/offline/store.js", "/static/js/offline/sync.js")' in text
    assert "{%" not in text and "kipp-pages-" in text
    assert "'unsafe-inline'" not in response.get("Content-Security-Policy", "")


def test_the_offline_page_names_no_one(client, world):
    _round, judge, _assignment, _ids = world
    body = page_body(client.get(reverse("offline:offline_page")))
    assert "Tidak ada koneksi" in body and judge.full_name not in body and "csrfmiddlewaretoken" not in body


def _png(colour=(200, 50, 50)):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return SimpleUploadedFile("lokasi.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def field(client):
    round_ = make_round([("lokasi", 1, 1, 10)], kind="field", slug="verifikasi-lapangan", state="open")
    entry = add_entry(round_, "F1")
    judge = add_judge(round_)
    add_sheet(round_, entry, judge, {}, assign_only=True)
    url = reverse("judging:field_entry", args=[round_.competition.slug, round_.slug, entry.pk])
    client.force_login(judge)
    client.get(url)
    return round_, entry, judge, url, FieldCheck.objects.filter(round=round_, entry=entry).order_by("order").first()


def test_a_checklist_answer_with_a_photo_sent_twice_is_stored_once(client, field, media_root):
    _round, _entry, _judge, url, check = field
    data = {"check": check.pk, "verified": "yes", "note": "Sesuai.", "form_key": KEY_A}
    first = client.post(url, {**data, "photo": _png()}, **JSON)
    assert first.status_code == 200 and first.json()["ok"] is True
    check.refresh_from_db()
    stored_photo, checked_at = check.photo.name, check.checked_at
    assert stored_photo.endswith(".jpg") or stored_photo.endswith(".png") or stored_photo
    again = client.post(url, {**data, "photo": _png()}, **JSON)
    assert again.status_code == 200
    check.refresh_from_db()
    assert check.photo.name == stored_photo and check.checked_at == checked_at  # not written a second time
    assert AuditEvent.objects.filter(action="field.checked").count() == 1
    with check.photo.open("rb") as photo:
        assert Image.open(photo).getexif() == {}  # cleaned: re-encoded, no metadata
    other = client.post(url, {**data, "form_key": KEY_B, "photo": _png((10, 10, 10))}, **JSON)
    assert other.status_code == 200
    assert AuditEvent.objects.filter(action="field.checked").count() == 2


def test_a_checklist_answer_in_a_closed_round_is_refused_with_the_reason(client, field):
    round_, _entry, _judge, url, check = field
    Round.objects.filter(pk=round_.pk).update(state="closed")
    answer = client.post(url, {"check": check.pk, "verified": "no", "form_key": KEY_A}, **JSON)
    assert answer.status_code == 422 and answer.json()["refused"] is True and answer.json()["message"]
    check.refresh_from_db()
    assert check.verified is None


def test_the_device_texts_come_from_the_server_in_the_page_language(client, world):
    round_, _judge, assignment, _ids = world
    sheet_url = reverse("judging:sheet", args=[assignment.pk])
    queue_url = reverse("judging:queue", args=[round_.competition.slug, round_.slug])
    indonesian = client.get(sheet_url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'data-local="Tersimpan di perangkat ini, belum terkirim."' in indonesian
    english = client.get(sheet_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-local="Saved on this device, not yet sent."' in english
    assert 'data-final="Final: sent."' in english and "Keep my version" in english
    queue = client.get(queue_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-waiting-many="__n__ sheets waiting to be sent."' in queue
    assert 'data-waiting-one="__n__ sheet waiting to be sent."' in queue
    assert f'data-sheet="{assignment.pk}"' in queue
