"""A score sheet's form sent again (issue 19, item 4): a retry of a stored sending is told "already saved" with the
stored sheet; a real conflict (another tab, an organiser's unlock since) is still a conflict. The form carries
its idempotency key as the page renders it (a hidden field), read here from the page as a browser sends it."""

import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.test import Client
from django.urls import reverse

from judging.models import ScoreSheet
from judging.scoring import services
from kipp.models import AuditEvent, FormSubmission
from tests.factories import OrganiserFactory
from tests.faults.servers import BASE_DIR, Browser, child_env
from tests.judging.scoring.helpers import add_entry, add_judge, make_round

pytestmark = pytest.mark.django_db

CRITERIA = [("a", 3, 1, 10), ("b", 1, 1, 5)]
KEY = re.compile(r'name="form_key" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')

ALREADY_FINAL = "Sudah tersimpan: nilai ini sudah dikirim final sebelumnya"
ALREADY_DRAFT = "Sudah tersimpan: draf ini sudah disimpan sebelumnya"
OTHER_TAB = "sudah diubah di tab atau perangkat lain"
CHANGED_SINCE = "Formulir ini sudah tersimpan sebelumnya, tetapi lembar nilai berubah sesudahnya"


@pytest.fixture
def world(client):
    round_ = make_round(CRITERIA)
    entry = add_entry(round_, "E1")
    judge = add_judge(round_, full_name="Juri Satu")
    assignment = services.assign(round_=round_, entry=entry, judge=judge)
    ids = {c.key: c.pk for c in round_.criteria.all()}
    client.force_login(judge)
    return round_, judge, assignment, ids


def opened_form(client, assignment):
    """The hidden fields of the sheet's form as the page renders them: (version, form_key)."""
    page = client.get(reverse("judging:sheet", args=[assignment.pk])).content.decode()
    return VERSION.search(page).group(1), KEY.search(page).group(1)


def form_data(form, scores, *, action, comment=""):
    version, key = form
    data = {"version": version, "form_key": key, "action": action, "overall_comment": comment}
    data.update({f"score_{pk}": value for pk, value in scores.items()})
    return data


def send(client, assignment, data):
    return client.post(reverse("judging:sheet", args=[assignment.pk]), data)


def shown(client, response):
    return client.get(response["Location"]).content.decode()


def test_a_rendered_form_carries_a_new_key_each_time(client, world):
    _round, _judge, assignment, _ids = world
    first, second = opened_form(client, assignment)[1], opened_form(client, assignment)[1]
    assert first != second and len(first) >= 32


def test_a_submit_sent_again_is_told_it_is_saved_and_stored_once(client, world):
    round_, judge, assignment, ids = world
    data = form_data(opened_form(client, assignment), {ids["a"]: 7, ids["b"]: 4}, action="submit")
    first = send(client, assignment, data)
    assert first.status_code == 302
    assert "Nilai dikirim final" in shown(client, first)

    again = send(client, assignment, data)  # the answer to the first was lost: the judge sends the same form
    assert again.status_code == 302
    assert again["Location"] == reverse("judging:queue", args=[round_.competition.slug, round_.slug])
    page = shown(client, again)
    assert ALREADY_FINAL in page and "perubahan tidak disimpan" not in page
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert (sheet.state, sheet.version) == ("final", 1)
    assert dict(sheet.scores.values_list("criterion__key", "value")) == {"a": 7, "b": 4}
    assert AuditEvent.objects.filter(action="judging.sheet_submitted").count() == 1
    assert FormSubmission.objects.count() == 1


def test_a_draft_save_sent_again_is_told_it_is_saved(client, world):
    _round, _judge, assignment, ids = world
    data = form_data(opened_form(client, assignment), {ids["a"]: 5}, action="save", comment="awal")
    assert send(client, assignment, data).status_code == 302
    again = send(client, assignment, data)
    assert again.status_code == 302 and again["Location"] == reverse("judging:sheet", args=[assignment.pk])
    page = shown(client, again)
    assert ALREADY_DRAFT in page and OTHER_TAB not in page
    assert "awal</textarea>" in page  # the stored state is shown
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert (sheet.state, sheet.version, sheet.overall_comment) == ("draft", 1, "awal")


def test_the_same_page_submitted_after_its_draft_save_was_stored_goes_on(client, world):
    """Saved as a draft (the answer lost), then "Kirim final" pressed on the same page: nothing else changed the
    sheet since this form's own save, so the submit is stored, not refused as a conflict."""
    _round, _judge, assignment, ids = world
    form = opened_form(client, assignment)
    assert send(client, assignment, form_data(form, {ids["a"]: 5}, action="save")).status_code == 302
    response = send(client, assignment, form_data(form, {ids["a"]: 6, ids["b"]: 2}, action="submit"))
    assert response.status_code == 302 and "Nilai dikirim final" in shown(client, response)
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert (sheet.state, sheet.version) == ("final", 2)
    assert dict(sheet.scores.values_list("criterion__key", "value")) == {"a": 6, "b": 2}


def test_two_tabs_really_editing_is_still_a_conflict(client, world):
    _round, _judge, assignment, ids = world
    tab_a, tab_b = opened_form(client, assignment), opened_form(client, assignment)
    assert send(client, assignment, form_data(tab_a, {ids["a"]: 3}, action="save")).status_code == 302
    response = send(client, assignment, form_data(tab_b, {ids["a"]: 9, ids["b"]: 5}, action="submit"))
    assert response.status_code == 409
    assert OTHER_TAB in response.content.decode()
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert (sheet.state, sheet.version) == ("draft", 1)
    assert dict(sheet.scores.values_list("criterion__key", "value")) == {"a": 3}


def test_a_submit_sent_again_after_the_organiser_unlocked_the_sheet_is_a_conflict(client, world):
    """The judge's first submit was stored; the organiser then unlocked the sheet (with a reason, for a correction).
    The old form arriving now is not "already saved" (the sheet is a draft again) and must not lock the sheet
    again behind the organiser's back: a conflict that says what happened; the judge reloads and submits anew."""
    _round, _judge, assignment, ids = world
    data = form_data(opened_form(client, assignment), {ids["a"]: 7, ids["b"]: 4}, action="submit")
    assert send(client, assignment, data).status_code == 302
    sheet = ScoreSheet.objects.get(assignment=assignment)
    services.unlock_sheet(sheet=sheet, actor=OrganiserFactory(), reason="Nilai a salah ketik")

    response = send(client, assignment, data)
    assert response.status_code == 409
    assert CHANGED_SINCE in response.content.decode()
    sheet.refresh_from_db()
    assert (sheet.state, sheet.version) == ("draft", 2)
    assert AuditEvent.objects.filter(action="judging.sheet_submitted").count() == 1
    # the reloaded page submits as usual
    response = send(
        client, assignment, form_data(opened_form(client, assignment), {ids["a"]: 8, ids["b"]: 4}, action="submit")
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.state, sheet.version) == ("final", 3)


def test_the_same_form_with_other_scores_after_its_submit_was_stored_is_refused(client, world):
    _round, _judge, assignment, ids = world
    form = opened_form(client, assignment)
    assert send(client, assignment, form_data(form, {ids["a"]: 7, ids["b"]: 4}, action="submit")).status_code == 302
    response = send(client, assignment, form_data(form, {ids["a"]: 2, ids["b"]: 4}, action="submit"))
    assert response.status_code == 409
    assert "sudah dikirim final dan terkunci" in response.content.decode()
    assert ScoreSheet.objects.get(assignment=assignment).scores.get(criterion_id=ids["a"]).value == 7


def test_an_old_page_whose_key_a_later_save_replaced_is_a_conflict(client, world):
    _round, _judge, assignment, ids = world
    old = opened_form(client, assignment)
    assert send(client, assignment, form_data(old, {ids["a"]: 3}, action="save")).status_code == 302
    newer = opened_form(client, assignment)
    assert send(client, assignment, form_data(newer, {ids["a"]: 4}, action="save")).status_code == 302
    response = send(client, assignment, form_data(old, {ids["a"]: 3}, action="save"))
    assert response.status_code == 409
    assert ScoreSheet.objects.get(assignment=assignment).version == 2


def test_another_judge_cannot_use_a_key_of_someone_elses_sheet(client, world):
    round_, _judge, assignment, ids = world
    data = form_data(opened_form(client, assignment), {ids["a"]: 7, ids["b"]: 4}, action="submit")
    assert send(client, assignment, data).status_code == 302
    other_entry = add_entry(round_, "E2")
    other_judge = add_judge(round_, full_name="Juri Dua")
    other = services.assign(round_=round_, entry=other_entry, judge=other_judge)
    client.force_login(other_judge)
    response = send(client, other, {**data, "version": 0})
    assert response.status_code == 302  # stored as its own first submit, not "already saved"
    assert "Nilai dikirim final" in shown(client, response)
    assert ScoreSheet.objects.get(assignment=other).version == 1
    assert FormSubmission.objects.count() == 1  # the key stays with the sheet it was made for


@pytest.mark.django_db(transaction=True)
def test_the_same_submit_sent_twice_at_once_is_stored_once(world):
    """A double click without JavaScript: both requests race for the assignment's lock; the second waits, then
    finds the first's sending and answers "already saved"."""
    _round, judge, assignment, ids = world
    browser = Client()
    browser.force_login(judge)
    data = form_data(opened_form(browser, assignment), {ids["a"]: 7, ids["b"]: 4}, action="submit")
    answers = []

    def click():
        try:
            client = Client()
            client.force_login(judge)
            answers.append(send(client, assignment, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [302, 302]
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert (sheet.state, sheet.version) == ("final", 1)
    assert AuditEvent.objects.filter(action="judging.sheet_submitted").count() == 1


# The lost answer, for real: a live gunicorn, a client that drops the connection before reading the answer -----

LIVE_PORTS = range(8390, 8410)  # this area's ports


def _live_port():
    for port in LIVE_PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8390-8409")


def _gunicorn(env, port):
    command = [str(Path(sys.executable).with_name("gunicorn")), "kipp.wsgi", "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen([*command, "--workers", "1", "--log-level", "warning"], cwd=BASE_DIR, env=env)
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.terminate()
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.2)


def _send_and_drop(port, path, body, cookies):
    """Send a POST whole, then close the socket without reading a byte of the answer."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Cookie: {'; '.join(f'{k}={v}' for k, v in cookies.items())}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head.encode() + body)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_submit_whose_answer_was_lost_on_a_live_server_is_told_it_is_saved():
    round_ = make_round(CRITERIA)
    entry = add_entry(round_, "E1")
    judge = add_judge(round_, full_name="Juri Jaringan Putus", email="juri.putus@example.org")
    judge.password = PBKDF2PasswordHasher().encode("kata-sandi-juri-putus", "garamgaram12", iterations=1000)
    judge.save()
    assignment = services.assign(round_=round_, entry=entry, judge=judge)
    ids = {c.key: c.pk for c in round_.criteria.all()}
    port = _live_port()
    proc = _gunicorn(child_env(), port)
    try:
        browser = Browser()
        browser.get(port, reverse("kipp:login"))
        status, _, _ = browser.post(
            port, reverse("kipp:login"), {"username": judge.email, "password": "kata-sandi-juri-putus"}
        )
        assert status == 302, "the judge could not sign in"
        path = reverse("judging:sheet", args=[assignment.pk])
        status, _, page = browser.get(port, path)
        assert status == 200
        page = page.decode()
        form = {
            "version": VERSION.search(page).group(1),
            "form_key": KEY.search(page).group(1),
            "action": "submit",
            "overall_comment": "Inovasi yang layak direplikasi",
            f"score_{ids['a']}": 8,
            f"score_{ids['b']}": 5,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        }
        _send_and_drop(port, path, urlencode(form).encode(), browser.cookies)
        deadline = time.monotonic() + 30  # the server commits although nobody reads its answer
        while not ScoreSheet.objects.filter(assignment=assignment, state="final").exists():
            assert time.monotonic() < deadline, "the dropped submit was not stored"
            time.sleep(0.1)

        status, headers, _ = browser.post(port, path, {k: v for k, v in form.items() if k != "csrfmiddlewaretoken"})
        assert status == 302  # not 409
        assert headers["Location"] == reverse("judging:queue", args=[round_.competition.slug, round_.slug])
        status, _, queue = browser.get(port, headers["Location"])
        assert status == 200
        assert ALREADY_FINAL in queue.decode()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert (sheet.state, sheet.version, sheet.overall_comment) == ("final", 1, "Inovasi yang layak direplikasi")
    assert dict(sheet.scores.values_list("criterion__key", "value")) == {"a": 8, "b": 5}
    assert AuditEvent.objects.filter(action="judging.sheet_submitted").count() == 1
