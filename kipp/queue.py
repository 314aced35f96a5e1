"""Deferring a task-queue job in the caller's database transaction: the one way to defer (DESIGN.md, Background
work: "deferred in the transaction of the change that causes it").

procrastinate's Django connector writes job rows through Django's connection, so they commit or roll back with the
change. But inside a worker (`manage.py procrastinate worker`) the app's connector is replaced by the worker's own
psycopg connection, which commits at once: a job deferred by a job (publish_due queueing outcome mails) would be
visible, and run, before the rows it reads were committed, and find nothing. `deferrer()` always defers through
Django's connection, in web requests, commands and jobs alike.
"""

from procrastinate import manager
from procrastinate.contrib.django import app, django_connector


def deferrer(task_name, **options):
    """app.configure_task(task_name, **options), deferring through Django's connection (.defer / .batch_defer)."""
    configured = app.configure_task(task_name, **options)
    configured.job_manager = manager.JobManager(django_connector.DjangoConnector())
    return configured
