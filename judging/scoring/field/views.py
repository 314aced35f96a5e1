"""Field verification pages: the round's list of entries to verify, one entry's checklist, and its photos (served
only to organisers and the entry's assigned judges, as private files)."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from entries.models import Entry
from judging.models import Assignment, FieldCheck, Round, RoundEntry
from judging.scoring.enums import RoundKind
from judging.scoring.field.permissions import assignment_for, can_check
from judging.scoring.field.services import add_item, ensure_items, record_check
from judging.scoring.offline import answers
from judging.scoring.permissions import is_judge
from judging.scoring.queries import recused_q
from judging.scoring.refusals import refuse, round_page_refusal
from judging.scoring.services import JudgingError
from kipp.errors import add_message, error_text
from kipp.files import StorageFailed, private_file_response
from kipp.permissions import organises_competition


def _field_round(competition, round_slug):
    round_ = get_object_or_404(
        Round.objects.select_related("competition"), competition__slug=competition, slug=round_slug
    )
    if round_.kind != RoundKind.FIELD:
        raise Http404
    return round_


@login_required
def field_index(request, competition, round_slug):
    round_ = _field_round(competition, round_slug)
    user = request.user
    organiser = organises_competition(user, round_.competition)
    if not (organiser or is_judge(user)):
        return refuse(request, _("Halaman ini untuk penyelenggara dan tim verifikasi."))
    refusal = round_page_refusal(request, round_)
    if refusal is not None:
        return refusal
    entries = RoundEntry.objects.filter(round=round_).select_related("entry__agency__region")
    if not organiser:
        mine = Assignment.objects.filter(round=round_, judge=user).annotate(recused=recused_q()).filter(recused=False)
        entries = entries.filter(entry_id__in=mine.values("entry_id"))
    entries = entries.annotate(
        items=Count("entry__field_checks", filter=Q(entry__field_checks__round=round_)),
        done=Count(
            "entry__field_checks",
            filter=Q(entry__field_checks__round=round_, entry__field_checks__verified__isnull=False),
        ),
    ).order_by("position", "entry__code")
    context = {"round": round_, "entries": list(entries), "organiser_view": organiser}
    return render(request, "judging/scoring/field_index.html", context)


@login_required
def field_entry(request, competition, round_slug, pk):
    round_ = _field_round(competition, round_slug)
    entry = get_object_or_404(Entry.objects.select_related("agency__region"), pk=pk, round_entries__round=round_)
    if not can_check(request.user, round_, entry):
        message = _("Anda tidak ditugaskan memverifikasi proposal ini.")
        if request.method == "POST" and answers.wants_json(request):  # the device's sending: the reason in JSON
            return answers.refused(message, status=403)
        return refuse(request, message)
    ensure_items(round_=round_, entry=entry)
    if request.method == "POST" and answers.wants_json(request):
        return _check_json(request, round_, entry)
    if request.method == "POST":
        try:
            if request.POST.get("new_item"):
                add_item(round_=round_, entry=entry, item=request.POST["new_item"], actor=request.user)
            else:
                _record(request, round_, entry)
        except (JudgingError, StorageFailed) as error:
            add_message(request, error)
        else:
            messages.success(request, _("Tersimpan."))
        return redirect("judging:field_entry", competition=competition, round_slug=round_slug, pk=entry.pk)
    checks = list(FieldCheck.objects.filter(round=round_, entry=entry).select_related("checked_by"))
    return render(
        request,
        "judging/scoring/field_entry.html",
        {"round": round_, "entry": entry, "checks": checks, "assignment": assignment_for(request.user, round_, entry)},
    )


def _record(request, round_, entry):
    check = get_object_or_404(FieldCheck, pk=request.POST.get("check"), round=round_, entry=entry)
    return record_check(
        check=check,
        actor=request.user,
        verified={"yes": True, "no": False}.get(request.POST.get("verified")),
        note=request.POST.get("note", ""),
        photo=request.FILES.get("photo"),
        form_key=request.POST.get("form_key", ""),
    )


def _check_json(request, round_, entry):
    """A checklist answer sent from the device (static/js/offline/field.js): stored once, or refused with the
    reason; the photo goes through the same cleaning as every upload (record_check)."""
    try:
        _record(request, round_, entry)
    except (JudgingError, StorageFailed) as error:
        return answers.refused(error_text(error))
    message = _("Tersimpan.")
    if answers.foreground(request):
        messages.success(request, message)
    next_url = reverse("judging:field_entry", args=[round_.competition.slug, round_.slug, entry.pk])
    return JsonResponse({"ok": True, "message": message, "next": next_url})


@login_required
def field_photo(request, pk):
    check = get_object_or_404(FieldCheck.objects.select_related("round", "entry"), pk=pk)
    if not check.photo or not can_check(request.user, check.round, check.entry):
        raise Http404
    content_type = mimetypes.guess_type(check.photo.name)[0] or "image/jpeg"
    return private_file_response(check.photo, content_type=content_type, filename=check.photo.name, inline=True)
