"""Every counted limit of the portal (mails per address, objections per person, sign-ups per address...), kept
in the database so that all app servers and worker processes share one count (a local-memory cache would count
per process). One way to count: `take(key, limit=..., window=...)` before the work, refuse when it says False.

Windows are fixed: a window of `window` seconds starts at a multiple of `window` since the epoch, so every process
agrees on which window a moment falls in. A take is one INSERT ... ON CONFLICT DO UPDATE ... RETURNING: two
simultaneous requests cannot both take the last place. Old windows are removed by `prune()`.
"""

from datetime import UTC, datetime, timedelta

from django.db import connection
from django.utils import timezone

from kipp.models import LimitCount

__all__ = ["count", "prune", "reset", "retry_after", "take", "window_start"]


def window_start(window, now=None):
    """The start of the fixed window of `window` seconds that holds `now`."""
    now = now or timezone.now()
    seconds = int(now.timestamp()) // window * window
    return datetime.fromtimestamp(seconds, tz=UTC)


def retry_after(window, now=None):
    """Seconds until the window that holds `now` ends (for a Retry-After header or "try again in N minutes")."""
    now = now or timezone.now()
    return max(1, int((window_start(window, now) + timedelta(seconds=window) - now).total_seconds()))


def take(key, *, limit, window, now=None):
    """Count one use of `key` in the current window; True while the count is within `limit` (the caller goes
    on), False once it is over (the caller does nothing and says so). A limit of 0 or less means no limit, and
    nothing is counted. An over-limit take is counted too, so hammering does not open the door again."""
    if limit is None or limit <= 0:
        return True
    start = window_start(window, now)
    table = LimitCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1) "  # noqa: S608 (table name is ours)
            f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [key[:200], start],
        )
        (taken,) = cursor.fetchone()
    return taken <= limit


def count(key, *, window, now=None):
    """How many times `key` was taken in the current window (0 when never)."""
    start = window_start(window, now)
    row = LimitCount.objects.filter(key=key[:200], window_start=start).values_list("count", flat=True).first()
    return row or 0


def reset(key):
    """Forget every count of `key` (an unlock, a successful sign-in)."""
    LimitCount.objects.filter(key=key[:200]).delete()


def prune(older_than=timedelta(days=2), now=None):
    """Delete windows that started more than `older_than` ago; returns how many rows went."""
    now = now or timezone.now()
    deleted, _ = LimitCount.objects.filter(window_start__lt=now - older_than).delete()
    return deleted
