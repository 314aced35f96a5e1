"""Jobs of the task queue in tests: `run_deferred()` runs the queued jobs of the publication follow-ups (an approval's
go_public, the record build it defers) in this process, as the worker would: each job's task function with the
job's arguments, oldest first, until none is left, each job row then removed. The real worker runs them in
tests/judging/publication/test_publish_worker.py and tests/kipp/outbox/test_worker.py."""

import json

from django.db import connection
from procrastinate.contrib.django import app

from judging.publication.services.notifications import GO_PUBLIC_TASK
from judging.records.receivers import BUILD_TASK

PUBLICATION_TASKS = (GO_PUBLIC_TASK, BUILD_TASK)


def queued_jobs(*task_names):
    """[(task name, args)] of the jobs waiting to run, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT task_name, args FROM procrastinate_jobs WHERE status = 'todo' AND task_name = ANY(%s) ORDER BY id",
            [list(task_names or PUBLICATION_TASKS)],
        )
        return [(name, json.loads(args) if isinstance(args, str) else args) for name, args in cursor.fetchall()]


def run_deferred(*task_names):
    """Run the waiting jobs of these tasks (default: PUBLICATION_TASKS), also those that they defer. Returns the
    number of jobs run."""
    names = list(task_names or PUBLICATION_TASKS)
    ran = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, task_name, args FROM procrastinate_jobs WHERE status = 'todo' AND task_name = ANY(%s) "
                "ORDER BY id LIMIT 1",
                [names],
            )
            row = cursor.fetchone()
        if row is None:
            return ran
        job_id, name, args = row
        app.tasks[name].func(**(json.loads(args) if isinstance(args, str) else args))
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM procrastinate_jobs WHERE id = %s", [job_id])
        ran += 1
