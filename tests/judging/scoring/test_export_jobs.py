"""A large round's exports and its certainty of the cut as background jobs (judging/scoring/jobs.py): started from
the organiser's pages, run by the task function here and by a real `manage.py procrastinate worker` below; the
file a job makes is the immediate download, byte for byte."""

import io
import os
import signal
import subprocess
import sys
import time

import openpyxl
import psycopg
import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from judging.scoring import jobs
from judging.scoring.certainty import cut_certainty
from kipp.jobs.enums import JobKind, JobState
from kipp.jobs.services import start_job
from kipp.models import AuditEvent, BackgroundJob
from tests.factories import InnovatorFactory, JudgeFactory, OrganiserFactory
from tests.faults.servers import child_env, database_url
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = pytest.mark.django_db

CRITERIA = [("a", 3, 1, 10), ("b", 1, 1, 10)]


def _round(entries=8, top_n=3):
    round_ = make_round(CRITERIA, top_n=top_n, reserve_n=1, state="open", k=3)
    judges = [add_judge(round_) for _ in range(3)]
    for n in range(entries):
        entry = add_entry(round_, f"E{n:02d}", minutes=n)
        if n == 0:
            entry.title = '=HYPERLINK("http://x","klik")'  # the writers neutralise it, in both ways alike
            entry.save(update_fields=["title"])
        for j, judge in enumerate(judges):
            add_sheet(round_, entry, judge, {"a": 1 + (n * 3 + j * 5) % 10, "b": 1 + (n + j) % 10})
    return round_


def _download_url(round_, kind, fmt):
    return reverse("judging:round_download", args=[round_.competition.slug, round_.slug, kind, fmt])


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def _immediate(client, round_, kind, fmt, settings):
    settings.EXPORT_IN_BACKGROUND_ROWS = 10**9
    response = client.get(_download_url(round_, kind, fmt))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    return _body(response)


def _xlsx_cells(data):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def organiser(client):
    user = OrganiserFactory()
    client.force_login(user)
    return user


def test_a_large_rounds_dashboard_offers_its_files_as_background_jobs(client, organiser, settings):
    round_ = _round()
    settings.EXPORT_IN_BACKGROUND_ROWS = 10
    dashboard = reverse("judging:round_dashboard", args=[round_.competition.slug, round_.slug])
    html = client.get(dashboard).content.decode()
    assert 'id="exports-in-background"' in html
    assert f'<form method="post" action="{_download_url(round_, "hasil", "csv")}"' in html
    page = client.get(_download_url(round_, "hasil", "csv"))  # a GET of the link: a page with the button
    assert page.status_code == 200 and 'id="start-export"' in page.content.decode()
    assert not BackgroundJob.objects.exists()
    settings.EXPORT_IN_BACKGROUND_ROWS = 10**9
    html = client.get(dashboard).content.decode()
    assert 'id="exports-in-background"' not in html and f'href="{_download_url(round_, "hasil", "csv")}"' in html


@pytest.mark.parametrize("kind, fmt", [("nilai", "csv"), ("nilai", "json"), ("hasil", "csv"), ("hasil", "json")])
def test_the_jobs_file_is_the_immediate_download_byte_for_byte(client, organiser, settings, kind, fmt):
    round_ = _round()
    expected = _immediate(client, round_, kind, fmt, settings)
    settings.EXPORT_IN_BACKGROUND_ROWS = 10
    response = client.post(_download_url(round_, kind, fmt))
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert client.post(_download_url(round_, kind, fmt))["Location"] == job.get_absolute_url()  # no second job
    assert 'http-equiv="refresh"' in client.get(job.get_absolute_url()).content.decode()
    jobs.export_round_file(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.done == job.total > 0
    html = client.get(job.get_absolute_url()).content.decode()
    assert 'id="job-download"' in html and 'http-equiv="refresh"' not in html
    download = client.get(reverse("kipp:job_download", args=[job.pk]))
    assert _body(download) == expected
    name = f"{round_.competition.slug}-{round_.slug}-{'scores' if kind == 'nilai' else 'results'}.{fmt}"
    assert download["Content-Disposition"] == f'attachment; filename="{name}"'
    events = AuditEvent.objects.filter(action="judging.exported", details__job=job.pk)
    assert [e.details["file"] for e in events] == [name]
    if kind == "nilai":
        assert job.total == 8 * 3 * 2  # progress counted in rows


def test_the_people_xlsx_of_a_job_holds_the_cells_of_the_immediate_one(client, organiser, settings):
    round_ = _round()
    expected = _immediate(client, round_, "hasil", "xlsx", settings)
    settings.EXPORT_IN_BACKGROUND_ROWS = 10
    job = BackgroundJob.objects.get(
        pk=int(client.post(_download_url(round_, "hasil", "xlsx"))["Location"].split("/")[-2])
    )
    jobs.export_round_file(job_id=job.pk)
    data = _body(client.get(reverse("kipp:job_download", args=[job.pk])))
    assert _xlsx_cells(data) == _xlsx_cells(expected)
    assert _xlsx_cells(data)[0][0] == "Peringkat"  # in the language of the person who asked


def test_an_unknown_format_fails_with_its_reason(client, organiser):
    round_ = _round(entries=2)
    job = start_job(kind=JobKind.EXPORT_SCORES, actor=organiser, round_=round_, params={"format": "pdf"})
    jobs.export_round_file(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error == "Format berkas “pdf” tidak tersedia untuk ekspor ini."
    assert "Format berkas “pdf” tidak tersedia" in client.get(job.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["judge", "innovator", "anonymous"])
def test_only_organisers_start_an_export_job(client, who):
    round_ = _round(entries=2)
    if who != "anonymous":
        client.force_login(JudgeFactory() if who == "judge" else InnovatorFactory())
    response = client.post(_download_url(round_, "hasil", "csv"))
    assert response.status_code == (302 if who == "anonymous" else 403)
    assert not BackgroundJob.objects.exists()


def _certainty_url(round_, start=False):
    name = "judging:round_certainty_start" if start else "judging:round_certainty"
    return reverse(name, args=[round_.competition.slug, round_.slug])


def _page_shares(html):
    import re

    return dict(re.findall(r'data-entry="([^"]+)" data-share="([0-9.]+)"', html))


def test_recomputing_the_certainty_as_a_job_shows_its_result_on_the_page(client, organiser, settings):
    round_ = _round(entries=10)
    immediate = _page_shares(client.get(_certainty_url(round_)).content.decode())
    assert immediate and {row.entry_code: f"{row.share:.4f}" for row in cut_certainty(round_)["rows"]} == immediate
    settings.CERTAINTY_IN_BACKGROUND_ENTRIES = 5
    html = client.get(_certainty_url(round_)).content.decode()
    assert 'id="certainty-not-yet"' in html and 'id="certainty-table"' not in html
    response = client.post(_certainty_url(round_, start=True))
    job = BackgroundJob.objects.get(kind=JobKind.CERTAINTY)
    assert response["Location"] == job.get_absolute_url()
    assert 'id="certainty-active-job"' in client.get(_certainty_url(round_)).content.decode()
    jobs.recompute_certainty(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.done == job.total == 200  # the resamples
    job_page = client.get(job.get_absolute_url()).content.decode()
    assert f'href="{_certainty_url(round_)}"' in job_page and "tempatnya belum pasti" in job_page
    html = client.get(_certainty_url(round_)).content.decode()
    assert _page_shares(html) == immediate and 'id="certainty-computed"' in html
    assert 'id="certainty-out-of-date"' not in html
    # A sheet changes: the stored figures are shown as out of date until recomputed.
    sheet = round_.assignments.first().sheet
    score = sheet.scores.first()
    score.value = 10 if score.value != 10 else 1
    score.save()
    from judging.models import ScoringChange

    ScoringChange.objects.create(source="test")
    html = client.get(_certainty_url(round_)).content.decode()
    assert 'id="certainty-out-of-date"' in html and 'id="certainty-recompute"' in html


@pytest.mark.parametrize("who", ["judge", "innovator"])
def test_only_organisers_recompute_the_certainty(client, who):
    round_ = _round(entries=2)
    client.force_login(JudgeFactory() if who == "judge" else InnovatorFactory())
    assert client.post(_certainty_url(round_, start=True)).status_code == 404
    assert not BackgroundJob.objects.exists()


# --- the real engine: `manage.py procrastinate worker` processes against the test database ------------------------


def _worker(media_root):
    env = child_env(MEDIA_ROOT=media_root, WORKER_HEARTBEAT_SECONDS=1, WORKER_STALLED_SECONDS=3, WORKER_CONCURRENCY=2)
    return subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker"],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _stop(proc, sig=signal.SIGTERM):
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a worker that does not stop when asked is stopped all the same
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)


def _wait_for(job, condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if condition(job):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job.pk} stayed {job.state} ({job.done}/{job.total})")


def _media(settings):
    return str(settings.STORAGES["default"]["OPTIONS"]["location"])


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_job_started_through_the_page_and_fails_a_broken_one(client, settings):
    organiser = OrganiserFactory()
    client.force_login(organiser)
    round_ = _round()
    expected = _immediate(client, round_, "nilai", "csv", settings)
    settings.EXPORT_IN_BACKGROUND_ROWS = 10
    worker = _worker(_media(settings))
    try:
        response = client.post(_download_url(round_, "nilai", "csv"))
        job = BackgroundJob.objects.get()
        assert response["Location"] == job.get_absolute_url()
        _wait_for(job, lambda j: not j.is_active)
        assert job.state == JobState.DONE, job.error
        assert _body(client.get(reverse("kipp:job_download", args=[job.pk]))) == expected
        broken = start_job(kind=JobKind.EXPORT_RESULTS, actor=organiser, round_=round_, params={"format": "pdf"})
        _wait_for(broken, lambda j: not j.is_active)
        html = client.get(broken.get_absolute_url()).content.decode()
        assert 'data-state="failed"' in html and "Format berkas “pdf” tidak tersedia untuk ekspor ini." in html
    finally:
        _stop(worker)


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_is_taken_up_again_and_has_its_effect_once(client, settings):
    organiser = OrganiserFactory()
    client.force_login(organiser)
    round_ = _round()
    expected = _immediate(client, round_, "nilai", "csv", settings)
    url = database_url().replace("postgres://", "postgresql://")
    holder = psycopg.connect(url)
    holder.execute("BEGIN")
    holder.execute("LOCK TABLE judging_score IN ACCESS EXCLUSIVE MODE")  # the export waits on it, mid-job
    first = second = None
    try:
        job = jobs.start_export(round_=round_, actor=organiser, kind="nilai", fmt="csv")
        first = _worker(_media(settings))
        _wait_for(job, lambda j: j.state == JobState.RUNNING and j.total, timeout=30)
        time.sleep(0.5)
        _stop(first, signal.SIGKILL)  # no goodbye: its procrastinate job stays "doing"
        holder.rollback()  # the dead worker's query goes on and ends with its lost connection
        job.refresh_from_db()
        assert job.state == JobState.RUNNING and job.attempts == 1
        second = _worker(_media(settings))  # retry_stalled_jobs (every 10 s) finds the job of the silent worker
        _wait_for(job, lambda j: not j.is_active, timeout=90)
    finally:
        holder.close()
        for proc in (first, second):
            if proc is not None:
                _stop(proc)
    assert job.state == JobState.DONE and job.attempts == 2, job.error
    assert _body(client.get(reverse("kipp:job_download", args=[job.pk]))) == expected
    assert AuditEvent.objects.filter(action="judging.exported", details__job=job.pk).count() == 1
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT status, attempts FROM procrastinate_jobs WHERE id = %s", [job.queue_job_id]
        ).fetchall()
    assert rows[0][0] == "succeeded" and rows[0][1] >= 2  # procrastinate counts the retry of the stalled job
