"""kipp.limits: one counter in the database, shared by every process."""

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from kipp import limits
from kipp.models import LimitCount
from tests.faults.servers import child_env

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2026, 12, 1, 10, 30, 15, tzinfo=UTC)


def test_take_allows_up_to_the_limit_then_refuses_and_keeps_counting():
    answers = [limits.take("mail:a@example.id", limit=3, window=3600, now=NOW) for _ in range(5)]
    assert answers == [True, True, True, False, False]
    assert limits.count("mail:a@example.id", window=3600, now=NOW) == 5
    assert limits.take("mail:b@example.id", limit=3, window=3600, now=NOW) is True  # another key, its own count


def test_a_new_window_starts_afresh_and_retry_after_counts_to_its_end():
    for _ in range(3):
        limits.take("k", limit=3, window=3600, now=NOW)
    assert limits.take("k", limit=3, window=3600, now=NOW) is False
    assert limits.retry_after(3600, now=NOW) == 29 * 60 + 45
    assert limits.take("k", limit=3, window=3600, now=NOW + timedelta(minutes=30)) is True


def test_no_limit_counts_nothing_and_reset_forgets():
    assert limits.take("k", limit=0, window=60, now=NOW) is True
    assert not LimitCount.objects.exists()
    limits.take("k", limit=1, window=60, now=NOW)
    limits.reset("k")
    assert limits.count("k", window=60, now=NOW) == 0


def test_prune_removes_old_windows_only():
    limits.take("old", limit=5, window=60, now=NOW - timedelta(days=3))
    limits.take("new", limit=5, window=60, now=NOW)
    assert limits.prune(now=NOW) == 1
    assert list(LimitCount.objects.values_list("key", flat=True)) == ["new"]


def test_separate_processes_share_one_count():
    """Two processes (as two gunicorn workers would) take from the same count: 4 takes against a limit of 3."""
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'kipp.settings'); django.setup();"
        "from kipp import limits; take = lambda: limits.take('shared', limit=3, window=86400); print(take(), take())"
    )
    env = child_env()
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.split() == ["True", "True"]
    assert second.stdout.split() == ["True", "False"]
