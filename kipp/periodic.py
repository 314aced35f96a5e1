"""Periodic jobs of the portal's base, and the helper every periodic job uses.

Periodic jobs run in procrastinate, the task queue of the portal (no cron): a task decorated with
`@app.periodic(cron=...)` is deferred by every running worker's periodic deferrer at each time of its schedule, and
procrastinate's table `procrastinate_periodic_defers` (unique task, periodic id and timestamp) lets exactly one of
them defer it, however many workers run. The task gets that `timestamp` (seconds since the epoch) as its argument.
A job can still run twice (a worker killed in the middle of a job and the job retried, an operator's command beside
a worker, a slow run overlapping the next one): each job is written to be safe then (see `single_run` and the
reminders' UNIQUE bookkeeping).

The jobs of the apps live in their `tasks.py` (judging.tasks, entries.tasks, found by procrastinate's autodiscovery);
this module is imported by the worker through PROCRASTINATE_IMPORT_PATHS (kipp.tasks belongs to the outbox).
Schedules are in UTC (the worker's clock): "30 19 * * *" is 03:30 WITA.
"""

import contextlib
from importlib import import_module

from django.conf import settings
from django.db import connection, transaction
from procrastinate.contrib.django import app

CLEAR_SESSIONS_CRON = "30 19 * * *"  # daily, 03:30 WITA


@contextlib.contextmanager
def single_run(name):
    """A transaction in which this job is the only one of its name running, on every worker of the database:
    yields True when it holds PostgreSQL's transaction-level advisory lock on `name`, False when another run holds
    it (that run does the work; the caller returns). The lock goes with the transaction (a killed worker's lock
    goes with its connection), so it works behind a connection pooler in transaction mode too."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [f"kipp.periodic:{name}"])
        yield cursor.fetchone()[0]


def clear_expired_sessions():
    """Django's `clearsessions`: delete the sessions that have expired (database sessions, kipp.sessions)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


@app.periodic(cron=CLEAR_SESSIONS_CRON)
@app.task(queueing_lock="kipp.clear_sessions")
def clear_sessions(timestamp):
    """Daily: the expired sessions are removed (a DELETE of the rows whose expiry has passed; safe to run twice)."""
    clear_expired_sessions()
