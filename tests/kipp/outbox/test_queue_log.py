"""A command of the task queue logs each periodic task's "Registering task" line once (kipp.queue_log.RegisteredOnce;
procrastinate registers each in two registries and logged it twice), run as people run it: a separate process."""

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.faults.servers import database_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]


def test_each_periodic_task_is_announced_once_per_command():
    result = subprocess.run(
        [sys.executable, "manage.py", "procrastinate", "healthchecks"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(), "LOG_LEVEL": "INFO"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("Registering task ")]
    tasks = Counter(line.split()[2] for line in lines)
    assert tasks["judging.tasks.publish_due"] == 1
    assert tasks["kipp.periodic.clear_sessions"] == 1
    assert set(tasks.values()) == {1}
