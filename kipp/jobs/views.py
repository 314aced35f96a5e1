"""A background job's page (progress, time left, the result) and its download."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from kipp.files import private_file_response
from kipp.jobs.models import BackgroundJob
from kipp.jobs.permissions import can_view_job

REFRESH_SECONDS = 2


def _job_for(request, pk):
    job = get_object_or_404(BackgroundJob.objects.select_related("requested_by", "competition"), pk=pk)
    if not can_view_job(request.user, job):
        raise Http404
    return job


def time_left_text(seconds):
    if seconds is None:
        return ""
    if seconds < 60:
        return _("kurang dari semenit lagi")
    minutes = round(seconds / 60)
    if minutes < 90:
        return ngettext("sekitar %(n)d menit lagi", "sekitar %(n)d menit lagi", minutes) % {"n": minutes}
    hours = round(seconds / 3600)
    return ngettext("sekitar %(n)d jam lagi", "sekitar %(n)d jam lagi", hours) % {"n": hours}


@require_GET
@login_required
def job_detail(request, pk):
    job = _job_for(request, pk)
    context = {
        "job": job,
        "refresh": REFRESH_SECONDS if job.is_active else None,
        "time_left": time_left_text(job.seconds_left),
        "link": (job.result or {}).get("link"),
        "summary": (job.result or {}).get("summary_text"),
    }
    return render(request, "kipp/jobs/detail.html", context)


@require_GET
@login_required
def job_download(request, pk):
    job = _job_for(request, pk)
    if not job.has_file:
        raise Http404
    return private_file_response(job.result_file, content_type=job.result_type, filename=job.result_name)
