"""A competition's outbox, for its organisers: every mail about the competition, filtered by state and kind, paged,
with the counts queued/sent/failed; a failed one can be sent again (POST, audited)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kipp.models import Competition
from kipp.outbox import services
from kipp.outbox.enums import NotificationState
from kipp.outbox.forms import OutboxFilterForm
from kipp.outbox.models import Notification
from kipp.outbox.permissions import can_resend, can_see_outbox
from kipp.outbox.queries import state_counts
from kipp.permissions import is_organiser

PAGE_SIZE = 50


def _competition(request, slug):
    competition = get_object_or_404(Competition, slug=slug)
    if not can_see_outbox(request.user, competition):
        if is_organiser(request.user):
            raise Http404  # another organisation's competition: not found
        raise PermissionDenied
    return competition


def _resend_message(notification):
    if notification.state == NotificationState.SENT:
        return _("Email ke %(address)s sudah terkirim; tidak dikirim ulang.") % {"address": notification.address}
    return _("Email ke %(address)s sudah masuk antrean lagi dan akan dikirim oleh proses latar belakang.") % {
        "address": notification.address
    }


@require_GET
@login_required
def outbox(request, slug):
    competition = _competition(request, slug)
    form = OutboxFilterForm(request.GET)
    mails = Notification.objects.filter(competition=competition)
    valid = form.is_valid()
    # The counts by state are those of the other filters (kind, about): the state filter picks one of them.
    counted = OutboxFilterForm({k: form.cleaned_data[k] for k in ("kind", "about")} if valid else {}).filtered(mails)
    page = Paginator(
        form.filtered(mails).only(
            "id", "address", "kind", "state", "attempts", "last_error", "subject_line", "created_at", "sent_at"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "kipp/outbox/outbox.html",
        {
            "competition": competition,
            "form": form,
            "page": page,
            "counts": state_counts(counted),
            "query": form.query(),
            "filters": {k: v for k, v in form.cleaned_data.items() if v} if valid else {},
        },
    )


@require_POST
@login_required
def resend(request, slug, pk):
    competition = _competition(request, slug)
    notification = get_object_or_404(Notification, pk=pk, competition=competition)
    if notification.state != NotificationState.FAILED:
        # A second click (or another organiser's) finds it queued again or sent: said on the outbox page.
        messages.info(request, _resend_message(notification))
    elif not can_resend(request.user, notification):
        raise PermissionDenied
    else:
        services.resend_notification(notification=notification, actor=request.user, request=request)
        messages.success(request, _("Email ke %(address)s masuk antrean lagi.") % {"address": notification.address})
    back = OutboxFilterForm(request.POST)
    query = back.query() if back.is_valid() else urlencode({})
    url = redirect("kipp:outbox", slug=competition.slug).url
    return redirect(f"{url}?{query}" if query else url)
