"""Starting a background job, running it once, reporting its progress and storing what it made.

    job = start_job(kind=JobKind.EXPORT_RESULTS, actor=user, round_=round_, params={"format": "csv"})

defers the kind's procrastinate task (enums.TASK_NAMES) in the same transaction as the row; a second start while
the same job (kind, subject, params) is queued or running returns that job. The task calls

    run_job(job_id, work)

which runs `work(job)` at most once at a time (a session advisory lock on the job: a worker killed mid-job drops it
with its connection, and procrastinate's stalled-job retry, kipp/jobs/tasks.py, runs the job again from the start)
and never after the job is done or failed. `work` calls report_progress(job, done, total) as it goes and returns a
FileResult (its bytes are in default_storage under jobs/<id>/, see store_file) or a SummaryResult; a
kipp.errors.PortalError it raises is the reason a person reads, anything else is logged and reported as an
unexpected failure.
"""

import hashlib
import json
import logging
import tempfile
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from procrastinate import RetryStrategy

from kipp.errors import PortalError, error_text
from kipp.jobs.enums import ACTIVE_STATES, TASK_NAMES, JobState
from kipp.jobs.models import BackgroundJob
from kipp.queue import deferrer
from kipp.services import record_event

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 1.0  # seconds between two progress writes of one job (the last step is always written)
LOCK_NAMESPACE = 1_414_090_001  # pg advisory lock key space of background jobs (first key; the job id the second)


class JobBusy(Exception):
    """Another worker holds the job (a queue job retried while its first run still lives): the task is retried
    later (RETRY_WHEN_BUSY), and then finds the job done, or free when that run died without finishing it."""


# The retry strategy of every background job's task: only when the job is busy elsewhere, every 15 s for an hour.
RETRY_WHEN_BUSY = RetryStrategy(max_attempts=240, wait=15, retry_exceptions={JobBusy})


@dataclass
class FileResult:
    storage_name: str
    filename: str
    content_type: str
    event: tuple | None = None  # (action, obj, details): the audit event of the effect, recorded with "done"


@dataclass
class SummaryResult:
    summary: dict = field(default_factory=dict)
    event: tuple | None = None


def dedup_key(kind, subject_type_id, subject_id, params):
    text = json.dumps([str(kind), subject_type_id, subject_id, params], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def start_job(*, kind, actor, round_=None, params=None):
    """The queued or running job of this kind, subject and params if there is one, else a new job, deferred."""
    params = params or {}
    subject_type = ContentType.objects.get_for_model(round_) if round_ is not None else None
    key = dedup_key(kind, getattr(subject_type, "pk", None), getattr(round_, "pk", None), params)
    with transaction.atomic():
        existing = BackgroundJob.objects.filter(dedup_key=key, state__in=ACTIVE_STATES).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                job = BackgroundJob.objects.create(
                    kind=kind,
                    requested_by=actor,
                    competition_id=getattr(round_, "competition_id", None),
                    subject_type=subject_type,
                    subject_id=getattr(round_, "pk", None),
                    subject_label=str(getattr(round_, "name", round_))[:300] if round_ is not None else "",
                    params=params,
                    dedup_key=key,
                )
        except IntegrityError:  # another request started the same job a moment ago
            return BackgroundJob.objects.get(dedup_key=key, state__in=ACTIVE_STATES)
        job.queue_job_id = deferrer(TASK_NAMES[kind], allow_unknown=False).defer(job_id=job.pk)
        job.save(update_fields=["queue_job_id"])
        record_event(actor=actor, action="jobs.started", obj=job, details={"kind": kind, "params": params})
    return job


def report_progress(job, done, total, *, force=False):
    """Set the job's progress; written to the database at most every PROGRESS_EVERY seconds (and at the last step).
    Called outside any transaction, so the progress page sees it at once."""
    total = max(int(total), 0)
    done = min(max(int(done), 0), total)
    job.done, job.total = done, total
    now = timezone.now()
    due = job.progress_at is None or (now - job.progress_at).total_seconds() >= PROGRESS_EVERY
    if force or due or done >= total:
        BackgroundJob.objects.filter(pk=job.pk, state=JobState.RUNNING).update(done=done, total=total, progress_at=now)
        job.progress_at = now


def store_file(job, filename, write):
    """Store the job's file under jobs/<id>/<filename> (a rerun replaces it): write(handle) writes the bytes to a
    temporary file, which default_storage then saves. Returns the storage name."""
    name = f"jobs/{job.pk}/{filename}"
    with tempfile.TemporaryFile(dir=getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)) as handle:
        write(handle)
        handle.seek(0)
        if default_storage.exists(name):
            default_storage.delete(name)
        return default_storage.save(name, File(handle, name=filename))


@transaction.atomic
def _claim(job_id):
    """Mark the job running (a rerun starts its progress again); None when it is done, failed or gone."""
    job = BackgroundJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.state not in ACTIVE_STATES:
        return None
    now = timezone.now()
    job.state = JobState.RUNNING
    job.started_at = now
    job.progress_at = None
    job.done = 0
    job.attempts += 1
    job.save(update_fields=["state", "started_at", "progress_at", "done", "attempts"])
    return job


@transaction.atomic
def _finish(job, outcome):
    locked = BackgroundJob.objects.select_for_update().get(pk=job.pk)
    if locked.state != JobState.RUNNING:
        return locked
    locked.state = JobState.DONE
    locked.finished_at = timezone.now()
    if locked.total is None:
        locked.total = max(job.total or 0, job.done, 1)
    locked.done = locked.total
    if isinstance(outcome, FileResult):
        locked.result_file = outcome.storage_name
        locked.result_name = outcome.filename
        locked.result_type = outcome.content_type
    else:
        locked.result = outcome.summary
    locked.save()
    if outcome.event is not None:
        action, obj, details = outcome.event
        record_event(actor=locked.requested_by, action=action, obj=obj, details={**details, "job": locked.pk})
    return locked


@transaction.atomic
def fail_job(job, reason):
    locked = BackgroundJob.objects.select_for_update().get(pk=job.pk)
    if locked.state not in ACTIVE_STATES:
        return locked
    locked.state = JobState.FAILED
    locked.finished_at = timezone.now()
    locked.error = reason or _("Tugas berhenti tanpa alasan yang diketahui.")
    locked.save(update_fields=["state", "finished_at", "error"])
    record_event(actor=locked.requested_by, action="jobs.failed", obj=locked, details={"error": locked.error})
    return locked


def _try_lock(job_id):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, job_id])
        return cursor.fetchone()[0]


def _unlock(job_id):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, job_id])


def unexpected_failure_text(job_id):
    return _(
        "Tugas berhenti karena galat yang tidak terduga. Silakan coba lagi; bila gagal lagi, beri tahu "
        "administrator portal (tugas %(id)s)."
    ) % {"id": job_id}


def run_job(job_id, work):
    """Run work(job) for the job once (see the module's docstring). Returns the job as it ended, or None when there
    was nothing to do (done, failed or gone); raises JobBusy while another live session runs it."""
    if not _try_lock(job_id):
        raise JobBusy(f"background job {job_id} is being run by another worker")
    try:
        job = _claim(job_id)
        if job is None:
            return None
        try:
            outcome = work(job)
        except PortalError as error:
            return fail_job(job, error_text(error))
        except Exception:
            logger.exception("background job %s (%s) failed", job_id, job.kind)
            return fail_job(job, unexpected_failure_text(job_id))
        return _finish(job, outcome)
    finally:
        _unlock(job_id)
