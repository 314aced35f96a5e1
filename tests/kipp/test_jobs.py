"""Background jobs (kipp/jobs): starting one (with its queue job, no duplicates), running it once, progress,
failure reasons, the page and who may see it. The task functions run in this process here; the real worker runs
them in tests/judging/scoring/test_export_jobs.py."""

import datetime

import psycopg
import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from kipp.errors import Refused
from kipp.jobs import services
from kipp.jobs.enums import JobKind, JobState
from kipp.models import AuditEvent, BackgroundJob
from tests.factories import InnovatorFactory, JudgeFactory, OrganiserFactory
from tests.faults.servers import database_url
from tests.judging.publication.helpers import CRITERIA
from tests.judging.scoring.helpers import make_round

pytestmark = pytest.mark.django_db


def _queue_jobs(job):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT task_name, status FROM procrastinate_jobs WHERE id = %s AND (args->>'job_id')::bigint = %s",
            [job.queue_job_id, job.pk],
        )
        return cursor.fetchall()


@pytest.fixture
def round_():
    return make_round(CRITERIA, state="closed")


@pytest.fixture
def organiser():
    return OrganiserFactory()


def _start(round_, organiser, **params):
    return services.start_job(
        kind=JobKind.EXPORT_RESULTS, actor=organiser, round_=round_, params={"format": "csv", **params}
    )


def test_start_job_defers_its_task_in_the_same_transaction(round_, organiser):
    job = _start(round_, organiser)
    assert job.state == JobState.QUEUED and job.competition_id == round_.competition_id and job.subject == round_
    assert _queue_jobs(job) == [("judging.scoring.export_round_file", "todo")]
    assert AuditEvent.objects.filter(action="jobs.started", object_id=str(job.pk)).count() == 1


def test_a_rolled_back_start_leaves_neither_the_job_nor_its_queue_job(round_, organiser):
    with pytest.raises(RuntimeError), transaction.atomic():
        job = _start(round_, organiser)
        raise RuntimeError
    assert not BackgroundJob.objects.filter(pk=job.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM procrastinate_jobs WHERE (args->>'job_id')::bigint = %s", [job.pk])
        assert cursor.fetchone()[0] == 0


def test_a_second_click_returns_the_queued_or_running_job(round_, organiser):
    first = _start(round_, organiser)
    assert _start(round_, OrganiserFactory()).pk == first.pk  # another organiser: the same job
    BackgroundJob.objects.filter(pk=first.pk).update(state=JobState.RUNNING)
    assert _start(round_, organiser).pk == first.pk
    assert _start(round_, organiser, format="json").pk != first.pk  # other params: another job
    assert BackgroundJob.objects.count() == 2
    BackgroundJob.objects.filter(pk=first.pk).update(state=JobState.DONE)
    again = _start(round_, organiser)
    assert again.pk != first.pk and again.state == JobState.QUEUED


def test_the_database_refuses_two_active_jobs_with_one_key(round_, organiser):
    from django.db import IntegrityError

    job = _start(round_, organiser)
    with pytest.raises(IntegrityError), transaction.atomic():
        BackgroundJob.objects.create(
            kind=job.kind, requested_by=organiser, dedup_key=job.dedup_key, state=JobState.RUNNING
        )


def test_the_database_refuses_an_unknown_state_and_a_failure_without_reason(round_, organiser):
    from django.db import IntegrityError

    job = _start(round_, organiser)
    for change in ({"state": "paused"}, {"state": JobState.FAILED, "error": ""}, {"done": 5, "total": 4}):
        with pytest.raises(IntegrityError), transaction.atomic():
            BackgroundJob.objects.filter(pk=job.pk).update(**change)


def _summary_work(calls):
    def work(job):
        calls.append(job.pk)
        for step in range(1, 4):
            services.report_progress(job, step, 3)
        return services.SummaryResult({"summary_text": "three steps"}, event=("test.effect", job, {}))

    return work


def test_run_job_runs_once_and_records_its_effect_once(round_, organiser):
    job = _start(round_, organiser)
    calls = []
    ended = services.run_job(job.pk, _summary_work(calls))
    assert ended.state == JobState.DONE and ended.done == ended.total == 3 and ended.attempts == 1
    assert services.run_job(job.pk, _summary_work(calls)) is None  # done: a retried queue job does nothing
    assert calls == [job.pk]
    assert AuditEvent.objects.filter(action="test.effect").count() == 1
    job.refresh_from_db()
    assert job.result == {"summary_text": "three steps"} and job.finished_at >= job.started_at


def test_a_job_taken_up_again_after_a_stall_starts_from_the_beginning(round_, organiser):
    job = _start(round_, organiser)
    BackgroundJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, done=2, total=3, attempts=1)
    ended = services.run_job(job.pk, _summary_work([]))
    assert ended.state == JobState.DONE and ended.attempts == 2
    assert AuditEvent.objects.filter(action="test.effect").count() == 1


def test_a_job_held_by_another_live_worker_is_left_to_it(round_, organiser):
    job = _start(round_, organiser)
    calls = []
    with psycopg.connect(database_url().replace("postgres://", "postgresql://")) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [services.LOCK_NAMESPACE, job.pk])
        with pytest.raises(services.JobBusy):  # the task is retried later (RETRY_WHEN_BUSY)
            services.run_job(job.pk, _summary_work(calls))
    assert calls == []
    job.refresh_from_db()
    assert job.state == JobState.QUEUED
    assert services.run_job(job.pk, _summary_work(calls)).state == JobState.DONE


def test_a_refusal_is_the_reason_a_person_reads(round_, organiser, client):
    job = _start(round_, organiser)

    def work(job):
        raise Refused("Babak ini sudah dihapus.")

    assert services.run_job(job.pk, work).state == JobState.FAILED
    job.refresh_from_db()
    assert job.error == "Babak ini sudah dihapus."
    client.force_login(organiser)
    html = client.get(job.get_absolute_url()).content.decode()
    assert 'data-state="failed"' in html and "Babak ini sudah dihapus." in html and 'http-equiv="refresh"' not in html
    assert AuditEvent.objects.filter(action="jobs.failed", object_id=str(job.pk)).count() == 1


def test_an_unexpected_error_fails_the_job_with_a_general_reason(round_, organiser, client):
    job = _start(round_, organiser)

    def work(job):
        raise ZeroDivisionError("internal detail")

    services.run_job(job.pk, work)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "internal detail" not in job.error and str(job.pk) in job.error
    client.force_login(organiser)
    html = client.get(job.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Gagal" in html and "internal detail" not in html


def test_progress_writes_are_throttled_and_the_last_step_always_written(round_, organiser):
    job = _start(round_, organiser)
    BackgroundJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    services.report_progress(job, 1, 10)
    services.report_progress(job, 2, 10)  # within a second of the first: not written
    assert BackgroundJob.objects.get(pk=job.pk).done == 1
    services.report_progress(job, 10, 10)
    assert BackgroundJob.objects.get(pk=job.pk).done == 10


def test_the_page_shows_progress_and_the_time_left_and_reloads_itself(round_, organiser, client):
    job = _start(round_, organiser)
    started = timezone.now() - datetime.timedelta(minutes=5)
    BackgroundJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING,
        started_at=started,
        progress_at=started + datetime.timedelta(minutes=4),
        done=40,
        total=100,
    )
    client.force_login(organiser)
    html = client.get(job.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress id="job-progress-bar" class="w-100" max="100" value="40">40%</progress>' in html
    assert "40 of 100 steps done (40%)" in html
    assert "about 6 minutes left" in html  # 40 steps in 4 minutes: 60 more take 6
    html = client.get(job.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "sekitar 6 menit lagi" in html and "Sedang berjalan" in html


def test_a_queued_job_says_it_waits(round_, organiser, client):
    job = _start(round_, organiser)
    client.force_login(organiser)
    html = client.get(job.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'data-state="queued"' in html and 'http-equiv="refresh"' in html and 'value="0"' in html


def _done_with_file(job):
    def work(job):
        name = services.store_file(job, "hasil.csv", lambda handle: handle.write(b"a,b\r\n1,2\r\n"))
        return services.FileResult(name, "hasil.csv", "text/csv; charset=utf-8")

    return services.run_job(job.pk, work)


@pytest.mark.parametrize(
    "who, status",
    [("owner", 200), ("other organiser", 200), ("judge", 404), ("innovator", 404), ("anonymous", 302)],
)
def test_who_sees_the_page_and_the_download(round_, organiser, client, who, status):
    job = _start(round_, organiser)
    _done_with_file(job)
    user = {
        "owner": organiser,
        "other organiser": OrganiserFactory(),
        "judge": JudgeFactory(),
        "innovator": InnovatorFactory(),
    }.get(who)
    if user is not None:
        client.force_login(user)
    page = client.get(job.get_absolute_url())
    download = client.get(reverse("kipp:job_download", args=[job.pk]))
    assert page.status_code == download.status_code == status
    if status == 302:
        assert "/akun/" in page["Location"] or "login" in page["Location"]
    if status == 200:
        assert 'id="job-download"' in page.content.decode() and 'http-equiv="refresh"' not in page.content.decode()
        assert b"".join(download.streaming_content) == b"a,b\r\n1,2\r\n"
        assert download["Content-Disposition"] == 'attachment; filename="hasil.csv"'
        assert download["X-Content-Type-Options"] == "nosniff"


def test_the_owner_keeps_their_job_page_when_no_longer_an_organiser(round_, organiser, client):
    job = _start(round_, organiser)
    organiser.memberships.update(kind="judge")
    client.force_login(organiser)
    assert client.get(job.get_absolute_url()).status_code == 200


def test_no_download_before_the_file_exists(round_, organiser, client):
    job = _start(round_, organiser)
    client.force_login(organiser)
    assert client.get(reverse("kipp:job_download", args=[job.pk])).status_code == 404
    assert client.get(reverse("kipp:job", args=[job.pk + 1000])).status_code == 404
