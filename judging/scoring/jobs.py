"""Scoring's long organiser actions as background jobs (kipp/jobs): a round's export files and the certainty of the
cut. The tasks are found by the worker through settings.PROCRASTINATE_IMPORT_PATHS; kipp.jobs.enums.TASK_NAMES
names them by kind. Each task runs its work through kipp.jobs.services.run_job (once, progress, result, failure).

Which exports go to the background: exports_in_background(round_), a round whose scores file has more rows than
settings.EXPORT_IN_BACKGROUND_ROWS (entries x judges x criteria). A small round's files download at once, as a link
is expected to; a large one would keep the browser (and any proxy in front of the portal) waiting for minutes, so
the click starts a job and the organiser watches its page. Both write the same bytes with the same writers.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from procrastinate.contrib.django import app

from judging.models import Round
from judging.scoring import certainty, dashboard_cache
from judging.scoring.exports import (
    CONTENT_TYPES,
    RESULT_FORMATS,
    SCORE_FORMATS,
    file_name,
    iter_scores,
    results_bytes,
    score_row_count,
)
from judging.scoring.queries import round_criteria
from kipp.errors import Invalid, Refused
from kipp.jobs.enums import JobKind, JobState
from kipp.jobs.models import BackgroundJob
from kipp.jobs.services import (
    RETRY_WHEN_BUSY,
    FileResult,
    SummaryResult,
    report_progress,
    run_job,
    start_job,
    store_file,
)

EXPORT_KINDS = {"nilai": JobKind.EXPORT_SCORES, "hasil": JobKind.EXPORT_RESULTS}


def exports_in_background(round_, criteria=None):
    """criteria: the round's criteria when the caller has them (one query fewer)."""
    rows = round_.assignments.count() * len(criteria) if criteria is not None else score_row_count(round_)
    return rows > settings.EXPORT_IN_BACKGROUND_ROWS


def certainty_in_background(round_):
    return round_.round_entries.count() > settings.CERTAINTY_IN_BACKGROUND_ENTRIES


def start_export(*, round_, actor, kind, fmt):
    """kind: "nilai" (scores) or "hasil" (results), as in the download's URL."""
    params = {"format": fmt, "language": translation.get_language() or settings.LANGUAGE_CODE}
    return start_job(kind=EXPORT_KINDS[kind], actor=actor, round_=round_, params=params)


def start_certainty(*, round_, actor):
    params = {"language": translation.get_language() or settings.LANGUAGE_CODE}
    return start_job(kind=JobKind.CERTAINTY, actor=actor, round_=round_, params=params)


def _round_of(job):
    round_ = Round.objects.select_related("competition").filter(pk=job.subject_id).first()
    if round_ is None:
        raise Refused(_("Babak tugas ini sudah tidak ada."))
    return round_


def _export(job):
    round_ = _round_of(job)
    fmt = job.params.get("format")
    scores = job.kind == JobKind.EXPORT_SCORES
    if fmt not in (SCORE_FORMATS if scores else RESULT_FORMATS):
        raise Invalid(_("Format berkas “%(format)s” tidak tersedia untuk ekspor ini.") % {"format": fmt})
    if scores:
        total = score_row_count(round_)
        report_progress(job, 0, total, force=True)

        def write(handle):
            for chunk in iter_scores(round_, fmt, progress=lambda n: report_progress(job, n, total)):
                handle.write(chunk.encode("utf-8"))

        name = file_name(round_, "scores", fmt)
    else:  # the ranking is one query: two steps, ranking and writing
        report_progress(job, 0, 2, force=True)
        data = results_bytes(round_, fmt, for_people=fmt == "xlsx")
        report_progress(job, 1, 2, force=True)

        def write(handle):
            handle.write(data)

        name = file_name(round_, "results", fmt)
    stored = store_file(job, name, write)
    return FileResult(stored, name, CONTENT_TYPES[fmt], event=("judging.exported", round_, {"file": name}))


def _certainty(job):
    round_ = _round_of(job)
    key = certainty_key(round_)  # before computing: a change while it runs makes the result out of date
    result = certainty.cut_certainty(round_, progress=lambda done, total: report_progress(job, done, total))
    summary = ngettext(
        "%(n)s proposal tempatnya belum pasti (antara 5%% dan 95%%).",  # the certainty page's own sentence
        "%(n)s proposal tempatnya belum pasti (antara 5%% dan 95%%).",
        result["undecided"],
    ) % {"n": result["undecided"]}
    link = reverse("judging:round_certainty", args=[round_.competition.slug, round_.slug])
    data = {"certainty": certainty.result_to_json(result), "key": key, "link": link, "summary_text": summary}
    return SummaryResult(data, event=("judging.certainty_computed", round_, {"undecided": result["undecided"]}))


def _in_language(work):
    def run(job):
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            return work(job)

    return run


@app.task(name="judging.scoring.export_round_file", retry=RETRY_WHEN_BUSY)
def export_round_file(job_id):
    run_job(job_id, _in_language(_export))


@app.task(name="judging.scoring.recompute_certainty", retry=RETRY_WHEN_BUSY)
def recompute_certainty(job_id):
    run_job(job_id, _in_language(_certainty))


def certainty_key(round_):
    """What the certainty depends on: the round's figures' cache key (scoring state, round and rubric settings,
    the snapshot of a closed round)."""
    criteria = round_criteria(round_)
    return dashboard_cache.round_key(round_, criteria, snapshot=dashboard_cache.frozen_snapshot(round_))


def round_jobs(round_, kind):
    subject_type = ContentType.objects.get_for_model(Round)
    return BackgroundJob.objects.filter(subject_type=subject_type, subject_id=round_.pk, kind=kind)


def stored_certainty(round_):
    """(the latest certainty job that is done, or None; the queued or running one, or None)."""
    jobs = round_jobs(round_, JobKind.CERTAINTY)
    done = jobs.filter(state=JobState.DONE).order_by("-finished_at", "-id").first()
    active = jobs.filter(state__in=[JobState.QUEUED, JobState.RUNNING]).order_by("-id").first()
    return done, active
