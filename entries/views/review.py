"""Regional verification, administrative selection (with past-winner flags), the organiser's list of entries and
extending an entry's deadline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entries import exports, permissions, services
from entries.enums import EntryStatus
from entries.forms import (
    BulkDecisionForm,
    DecisionForm,
    EntryFilterForm,
    ExtendDeadlineForm,
    ForwardForm,
    PastWinnerDecisionForm,
    ReturnForm,
)
from entries.models import Entry
from entries.queries import (
    entry_deadline,
    organiser_entries,
    past_winner_checks,
    selection_queue,
    verifier_handled,
    verifier_queue,
    with_checks,
)
from entries.views.common import PAGE_SIZE, call_service, entry_for, form_errors, require
from kipp.errors import add_message
from kipp.permissions import organised_q
from kipp.scopes import organiser_view

# Regional verifier ----------------------------------------------------------------------------------


@login_required
def verify_queue(request):
    require(permissions.can_use_verifier_queue, request.user)
    queue = with_checks(verifier_queue(request.user))
    handled = list(verifier_handled(request.user)[:PAGE_SIZE])
    return render(request, "entries/verify_queue.html", {"queue": queue, "handled": handled})


@login_required
@require_POST
def entry_verify(request, pk):
    entry = entry_for(request, pk)
    action = request.POST.get("action")
    try:
        if action == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Tuliskan catatan untuk inovator: apa yang perlu diperbaiki."))
            services.return_entry(entry=entry, user=request.user, note=form.cleaned_data["note"], request=request)
            messages.success(request, _("Proposal %(code)s dikembalikan kepada inovator.") % {"code": entry.code})
        elif action == "forward":
            form = ForwardForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            services.forward_entry(entry=entry, user=request.user, note=note, request=request)
            messages.success(request, _("Proposal %(code)s diteruskan ke penyelenggara.") % {"code": entry.code})
        else:
            raise ValidationError(_("Tindakan tidak dikenal."))
    except (ValidationError, PermissionDenied) as error:
        add_message(request, error)
        return redirect("entries:detail", entry.pk)
    return redirect("entries:verify_queue")


# Organiser ------------------------------------------------------------------------------------------


@login_required
@organiser_view
def selection(request):
    require(permissions.is_organiser, request.user)
    organised = organised_q(request.user, "competition__organisation_id")
    queryset = selection_queue().filter(organised)
    form = BulkDecisionForm(
        request.POST or None, queryset=Entry.objects.filter(organised, status=EntryStatus.FORWARDED)
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            decided = call_service(
                request,
                services.decide_eligibility_bulk,
                entries=data["entries"],
                eligible=form.eligible,
                reason=data["reason"],
                note=data["note"],
            )
            if decided:
                messages.success(request, _("%(n)d proposal diputuskan.") % {"n": len(decided)})
                return redirect("entries:selection")
        else:
            form_errors(request, form)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "entries/selection.html", {"page": page, "entries": with_checks(page.object_list), "form": form}
    )


@login_required
@require_POST
def entry_decide(request, pk):
    entry = entry_for(request, pk, permissions.is_entry_organiser)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("entries:detail", entry.pk)
    data = form.cleaned_data
    decided = call_service(
        request,
        services.decide_eligibility,
        entry=entry,
        eligible=form.eligible,
        reason=data["reason"],
        note=data["note"],
    )
    if decided is None:
        return redirect("entries:detail", entry.pk)
    messages.success(request, _("Keputusan untuk %(code)s tersimpan.") % {"code": entry.code})
    return redirect("entries:selection")


@login_required
@require_POST
def entry_past_winner(request, pk):
    """The organiser's answer to the past-winner flag of a forwarded entry (the flags as the page showed them)."""
    entry = entry_for(request, pk, permissions.is_entry_organiser)
    form = PastWinnerDecisionForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("entries:detail", entry.pk)
    checked = past_winner_checks(list(Entry.objects.filter(pk=entry.pk).select_related("competition")))
    decided = call_service(
        request,
        services.decide_past_winner,
        entry=entry,
        same_innovation=form.same_innovation,
        reason=form.cleaned_data["reason"],
        earlier=checked.get(entry.pk, {}).get("earlier", []),
    )
    if decided is None:
        return redirect("entries:detail", entry.pk)
    messages.success(request, _("Keputusan pemenang terdahulu untuk %(code)s tersimpan.") % {"code": entry.code})
    return redirect("entries:selection")


@login_required
@organiser_view
def organiser_list(request):
    require(permissions.is_organiser, request.user)
    form = EntryFilterForm(request.GET or None)
    queryset = organiser_entries(**form.filters()).filter(organised_q(request.user, "competition__organisation_id"))
    export = request.GET.get("export")
    if export == "csv":
        return exports.csv_response(queryset)
    if export == "xlsx":
        return exports.xlsx_response(queryset)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(request, "entries/organiser_list.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
def extend_deadline(request, pk):
    entry = entry_for(request, pk, permissions.is_entry_organiser)
    form = ExtendDeadlineForm(request.POST or None, initial={"deadline": services.default_extension_deadline()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if call_service(
            request, services.extend_deadline, entry=entry, deadline=data["deadline"], reason=data["reason"]
        ):
            messages.success(request, _("Batas waktu %(code)s diperpanjang.") % {"code": entry.code})
            return redirect("entries:detail", entry.pk)
    extensions = entry.deadline_extensions.select_related("granted_by")
    return render(
        request,
        "entries/extend_deadline.html",
        {"entry": entry, "form": form, "deadline": entry_deadline(entry), "extensions": extensions},
    )
