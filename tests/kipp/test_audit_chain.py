"""The tamper-evident audit log (issue 16): every event chained by the database; `manage.py verify_audit` (a
separate process) names the first event that was changed, deleted or slipped in, and exits non-zero; concurrent
events never fork the chain; organisers read, filter and export the log, and see the last check."""

import csv
import io
import os
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kipp.audit import GENESIS, verify_chain
from kipp.models import AuditCheck, AuditEvent
from kipp.services import record_event
from tests.factories import CompetitionFactory, InnovatorFactory, JudgeFactory, OrganiserFactory
from tests.faults.servers import database_url
from tests.pages import page_body


def _as_superuser(sql, params=None):
    """What someone with the database password does: switch the append-only trigger off, write, switch it on."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred foreign-key checks pending on the table
        cursor.execute("ALTER TABLE kipp_auditevent DISABLE TRIGGER kipp_audit_no_update_delete")
        cursor.execute(sql, params or [])
        cursor.execute("ALTER TABLE kipp_auditevent ENABLE TRIGGER kipp_audit_no_update_delete")


def _events(n, actor=None):
    return [record_event(actor=actor, action=f"test.event{i}", details={"i": i, "note": "Jeneponto"}) for i in range(n)]


def _verify_process():
    env = {**os.environ, "DATABASE_URL": database_url()}
    return subprocess.run(
        [sys.executable, "manage.py", "verify_audit"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )


@pytest.mark.django_db
def test_every_event_is_chained_to_the_one_before():
    first, second, third = _events(3)
    rows = list(AuditEvent.objects.filter(pk__in=[first.pk, second.pk, third.pk]).order_by("seq"))
    assert [r.seq for r in rows] == [rows[0].seq, rows[0].seq + 1, rows[0].seq + 2]
    assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
    assert all(len(r.hash) == 64 for r in rows) and len({r.hash for r in rows}) == 3
    assert verify_chain().ok


@pytest.mark.django_db
def test_a_changed_event_is_named():
    events = _events(4)
    _as_superuser("UPDATE kipp_auditevent SET details = details || '{\"i\": 99}' WHERE id = %s", [events[1].pk])
    verdict = verify_chain()
    assert not verdict.ok and verdict.problem == "changed" and verdict.problem_event_id == events[1].pk
    assert f"#{events[1].pk}" in verdict.sentence()


@pytest.mark.django_db
def test_a_changed_and_rehashed_event_breaks_the_next_link():
    events = _events(3)
    _as_superuser(
        "UPDATE kipp_auditevent e SET actor_label = 'orang lain', hash = kipp_audit_hash(e) WHERE id = %s",
        [events[0].pk],
    )
    # kipp_audit_hash(e) above hashed the old row; recompute with the new content
    _as_superuser("UPDATE kipp_auditevent e SET hash = kipp_audit_hash(e) WHERE id = %s", [events[0].pk])
    verdict = verify_chain()
    assert not verdict.ok and verdict.problem == "broken_link" and verdict.problem_event_id == events[1].pk


@pytest.mark.django_db
def test_a_deleted_event_and_one_slipped_in_without_the_trigger_are_found():
    events = _events(3)
    _as_superuser("DELETE FROM kipp_auditevent WHERE id = %s", [events[1].pk])
    verdict = verify_chain()
    assert not verdict.ok and verdict.problem == "missing" and verdict.problem_event_id == events[2].pk


@pytest.mark.django_db
def test_an_event_inserted_with_the_chain_switched_off_is_found():
    _events(2)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE kipp_auditevent DISABLE TRIGGER kipp_audit_chain")
        cursor.execute(
            "INSERT INTO kipp_auditevent (created_at, actor_label, action, object_id, object_repr, details, "
            "prev_hash, hash) VALUES (now(), 'x', 'forged', '', '', '{}', '', '') RETURNING id"
        )
        forged = cursor.fetchone()[0]
        cursor.execute("ALTER TABLE kipp_auditevent ENABLE TRIGGER kipp_audit_chain")
    verdict = verify_chain()
    assert not verdict.ok and verdict.problem == "unchained" and verdict.problem_event_id == forged


@pytest.mark.django_db(transaction=True)
def test_verify_audit_as_a_command_exits_non_zero_naming_the_event_and_zero_when_untouched():
    events = _events(5)
    done = _verify_process()
    assert done.returncode == 0, done.stderr
    assert "utuh" in done.stdout and AuditCheck.objects.latest("ran_at").ok
    _as_superuser("UPDATE kipp_auditevent SET object_repr = 'diubah' WHERE id = %s", [events[2].pk])
    done = _verify_process()
    assert done.returncode == 1 and f"#{events[2].pk}" in done.stderr
    again = _verify_process()  # twice: the same answer, one more stored check
    assert again.returncode == 1 and AuditCheck.objects.filter(ok=False).count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_events_never_fork_the_chain():
    barrier = threading.Barrier(4)

    def write(k):
        barrier.wait()
        try:
            for i in range(15):
                record_event(actor=None, action=f"test.concurrent{k}", details={"i": i})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert len(seqs) == 60 and seqs == list(range(seqs[0], seqs[0] + 60))
    first = AuditEvent.objects.order_by("seq").first()
    assert first.prev_hash == GENESIS or first.seq > 1
    assert verify_chain().ok


@pytest.mark.django_db
def test_organisers_read_filter_and_export_the_log(client):
    organiser = OrganiserFactory(full_name="Penyelenggara Satu")
    _events(3, actor=organiser)
    # an event on a competition of the organiser's organisation (they read only their organisations' events)
    competition = CompetitionFactory()
    record_event(actor=None, action="publication.approved", obj=competition, details={"number": "065/134/II/B"})
    client.force_login(organiser)
    url = reverse("kipp:audit_log")
    body = page_body(client.get(url))
    assert "test.event1" in body and "publication.approved" in body and 'id="audit-check"' in body
    body = page_body(client.get(url, {"action": "publication."}))
    assert "publication.approved" in body and "test.event1" not in body
    body = page_body(client.get(url, {"actor": "Penyelenggara Satu"}))
    assert "test.event1" in body and "publication.approved" not in body
    response = client.get(url, {"action": "test.", "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "seq" and {r[3] for r in rows[1:]} >= {"test.event0", "test.event2"}
    assert all(len(r[-1]) == 64 for r in rows[1:])
    assert client.get(url, {"since": "bukan tanggal"}).status_code == 200  # a bad filter shows its error


@pytest.mark.django_db
def test_the_log_is_for_organisers_only(client):
    url = reverse("kipp:audit_log")
    assert client.get(url).status_code == 302
    for user in (JudgeFactory(), InnovatorFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_the_log_reads_as_many_queries_with_few_and_many_events(client):
    organiser = OrganiserFactory()
    client.force_login(organiser)
    counts = []
    for n in (1, 40):
        _events(n, actor=organiser)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("kipp:audit_log")).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_the_dashboard_shows_the_last_check(client):
    from kipp.audit import check_and_record

    organiser = OrganiserFactory()
    client.force_login(organiser)
    body = page_body(client.get(reverse("kipp:dashboard")))
    assert "belum pernah diperiksa" in body
    check_and_record()
    body = page_body(client.get(reverse("kipp:dashboard")))
    assert 'data-ok="true"' in body and "Rantai catatan audit utuh" in body


@pytest.mark.django_db
def test_the_newest_events_cut_off_or_the_chain_rewritten_after_a_check_are_found():
    from kipp.audit import check_and_record

    events = _events(4)
    verdict, _check = check_and_record()
    assert verdict.ok
    _as_superuser("DELETE FROM kipp_auditevent WHERE id = ANY(%s)", [[e.pk for e in events[2:]]])
    verdict, check = check_and_record()
    assert not verdict.ok and verdict.problem == "truncated" and "terbaru hilang" in check.summary
    _as_superuser("DELETE FROM kipp_auditevent")  # the whole log emptied
    verdict, _check = check_and_record()
    assert not verdict.ok and verdict.problem == "truncated"


@pytest.mark.django_db
def test_a_head_rehashed_after_a_check_is_found():
    from kipp.audit import check_and_record

    events = _events(2)
    assert check_and_record()[0].ok
    _as_superuser("UPDATE kipp_auditevent SET actor_label = 'lain' WHERE id = %s", [events[1].pk])
    _as_superuser("UPDATE kipp_auditevent e SET hash = kipp_audit_hash(e) WHERE id = %s", [events[1].pk])
    verdict, _check = check_and_record()
    assert not verdict.ok and verdict.problem == "rewritten"
