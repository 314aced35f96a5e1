"""`manage.py build_records` as people run it (cron, `make run`): a separate process, twice. The second run finds
every record in place and changes nothing, the audit log included."""

import subprocess
import sys

import pytest

from judging.models import InnovationRecord, RecordEntry
from kipp.models import AuditEvent
from tests.faults.servers import BASE_DIR, child_env
from tests.judging.records.helpers import published_world

# The child process reads what this test committed, so the data is committed (and flushed afterwards).
pytestmark = pytest.mark.django_db(transaction=True)


def _build_records():
    done = subprocess.run(
        [sys.executable, "manage.py", "build_records"],
        cwd=BASE_DIR,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _built_events():
    return AuditEvent.objects.filter(action="records.built").count()


def test_build_records_twice_as_processes_writes_one_audit_event_and_changes_nothing_the_second_time():
    published_world()
    InnovationRecord.objects.all().delete()  # as before the first build (e.g. records of an older portal)
    events = _built_events()

    assert "2 innovation records" in _build_records()
    assert _built_events() == events + 1
    steps = list(RecordEntry.objects.order_by("pk").values())
    records = list(InnovationRecord.objects.order_by("pk").values("pk", "slug", "title", "outcome", "year"))

    assert "2 innovation records" in _build_records()
    assert _built_events() == events + 1
    assert list(RecordEntry.objects.order_by("pk").values()) == steps
    assert list(InnovationRecord.objects.order_by("pk").values("pk", "slug", "title", "outcome", "year")) == records
