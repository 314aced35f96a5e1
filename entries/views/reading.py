"""Reading an entry: its page, its print version and its files (downloads and thumbnails, through kipp.files)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from entries import permissions, services
from entries.forms import (
    DecisionForm,
    ForwardForm,
    PastWinnerDecisionForm,
    ReturnForm,
)
from entries.models import Attachment, Entry
from entries.queries import (
    annotate_checks,
    entry_display_data,
    with_checks,
)
from entries.views.common import entry_for
from kipp.files import private_file_response
from kipp.hooks import collect_sections

# Reading --------------------------------------------------------------------------------------------


@login_required
def entry_detail(request, pk):
    entry = entry_for(request, pk)
    user = request.user
    context = {
        "entry": entry,
        "data": entry_display_data(entry),
        "can_edit": permissions.can_edit_entry(user, entry),
        "can_withdraw": permissions.can_withdraw_entry(user, entry),
        "withdrawal_ended": services.withdrawal_ended_message(entry)
        if permissions.is_member_of_agency(user, entry)
        else None,
        "can_verify": permissions.can_verify_entry(user, entry),
        "can_select": permissions.can_select_entry(user, entry),
        "can_extend": permissions.can_extend_deadline(user, entry),
        "show_checks": permissions.can_see_checks(user, entry),
        "sections": collect_sections("entry_sections", request),
    }
    if context["show_checks"]:
        context["checks"] = with_checks(
            annotate_checks(Entry.objects.filter(pk=entry.pk)).select_related("competition")
        )[0].checks
    if context["can_verify"]:
        context["return_form"] = ReturnForm()
        context["forward_form"] = ForwardForm()
    if context["can_select"]:
        context["decision_form"] = DecisionForm()
        context["past_winner"] = next((c for c in context.get("checks", []) if c["key"] == "past_winner"), None)
        if context["past_winner"]:
            context["past_winner_form"] = PastWinnerDecisionForm()
    return render(request, "entries/detail.html", context)


@login_required
def entry_print(request, pk):
    entry = entry_for(request, pk)
    return render(
        request, "entries/print.html", {"entry": entry, "data": entry_display_data(entry), "now": timezone.now()}
    )


def _serve(request, pk, thumbnail):
    attachment = get_object_or_404(Attachment.objects.select_related("entry__agency__region"), pk=pk)
    if not permissions.can_view_entry(request.user, attachment.entry):
        raise Http404
    return private_file_response(
        attachment.thumbnail if thumbnail else attachment.file,
        content_type="image/jpeg" if thumbnail else attachment.content_type,
        filename=attachment.original_name,
        inline=thumbnail or attachment.is_image,
    )


@login_required
@require_GET
def attachment_download(request, pk):
    return _serve(request, pk, thumbnail=False)


@login_required
@require_GET
def attachment_thumbnail(request, pk):
    return _serve(request, pk, thumbnail=True)
