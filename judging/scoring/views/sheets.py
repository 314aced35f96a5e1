"""The score sheet of one assignment (judges score their own, organisers read any) and declaring a conflict."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from judging.models import Assignment, Criterion, RoundJudge, ScoreBand, ScoreSheet
from judging.scoring import forms, permissions, queries, services
from judging.scoring.enums import SheetState
from judging.scoring.offline import answers
from judging.scoring.views.common import refuse
from kipp import idempotency
from kipp.errors import add_message, error_text


def _entry_display(entry):
    try:
        from entries.queries import entry_display_data
    except ImportError:  # pragma: no cover - entries provides it
        return None
    return entry_display_data(entry)


@login_required
def sheet(request, pk):
    """The score form of one assignment, with the entry's proposal beside it. Judges score their own; organisers
    read any sheet (and may unlock a final one)."""
    if request.method == "POST":
        return _sheet_post(request, pk)
    return _sheet_page(request, pk)


def _sheet_post(request, pk):
    """Save or submit. The assignee's valid form reads only what the service needs (the service locks, checks the
    round, conflicts and version, and writes); everything else is answered by the full page: refusals, the form
    with its errors, a refused save. A sending from the judge's device (static/js/offline/sync.js, Accept JSON) is
    answered in JSON by the same rules (judging/scoring/offline/answers.py)."""
    if answers.wants_json(request):
        return _sheet_post_json(request, pk)
    assignment = get_object_or_404(Assignment.objects.only("id", "round_id", "judge_id"), pk=pk)
    # conflicts of interest are checked by the service, under the assignment's lock (ConflictOfInterestError)
    if assignment.judge_id != request.user.pk or not permissions.can_open_sheet(
        request.user, assignment, conflicted=False
    ):
        return _sheet_page(request, pk, data=request.POST)
    form = forms.ScoreSheetForm(request.POST, criteria=queries.round_criteria(assignment.round_id))
    if not form.is_valid():
        return _sheet_page(request, pk, data=request.POST, error=_("Periksa isian: ada nilai yang tidak valid."))
    try:
        saved = _store(request, assignment, form)
    except services.ConflictOfInterestError:
        return refuse(request, _conflicted_sheet_text())
    except services.StaleSheetError as error:
        return _sheet_page(request, pk, data=request.POST, error=error_text(error), status=409)
    except services.JudgingError as error:
        return _sheet_page(request, pk, data=request.POST, error=error_text(error))
    messages.success(request, _saved_message(saved))
    if saved.state == SheetState.FINAL:
        round_ = saved.assignment.round
        return redirect("judging:queue", competition=round_.competition.slug, round_slug=round_.slug)
    return redirect("judging:sheet", pk=assignment.pk)


def _store(request, assignment, form):
    """Call the service the pressed button names, with what the form sent."""
    service = services.submit_sheet if request.POST.get("action", "save") == "submit" else services.save_sheet
    return service(
        assignment=assignment,
        judge=request.user,
        values=form.values(),
        overall_comment=form.cleaned_data["overall_comment"],
        version=form.cleaned_data["version"],
        form_key=form.cleaned_data["form_key"],
    )


def _sheet_post_json(request, pk):
    """The same sending answered in JSON: stored, a conflict with the server's version (nothing written), or a
    refusal with its reason. Only the assigned judge's sheet; a retry of a stored sending is stored once."""
    assignment = get_object_or_404(Assignment.objects.only("id", "round_id", "judge_id"), pk=pk)
    if assignment.judge_id != request.user.pk or not permissions.can_open_sheet(
        request.user, assignment, conflicted=False
    ):
        return answers.refused(_("Proposal ini tidak ditugaskan kepada Anda."), status=403)
    form = forms.ScoreSheetForm(request.POST, criteria=queries.round_criteria(assignment.round_id))
    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return answers.refused(_("Periksa isian: ada nilai yang tidak valid."), status=400, errors=errors)
    try:
        saved = _store(request, assignment, form)
    except services.ConflictOfInterestError:
        return answers.refused(_conflicted_sheet_text(), status=403)
    except services.StaleSheetError:
        current = ScoreSheet.objects.filter(assignment_id=assignment.pk).prefetch_related("scores").first()
        return answers.conflict(current, message=_device_conflict_text(current))
    except services.JudgingError as error:
        return answers.refused(error_text(error))
    message = _saved_message(saved)
    if saved.state == SheetState.FINAL:
        round_ = saved.assignment.round
        next_url = reverse("judging:queue", args=[round_.competition.slug, round_.slug])
    else:
        next_url = reverse("judging:sheet", args=[assignment.pk])
    if answers.foreground(request):  # the page goes on to next_url, as the plain form does, and shows the message
        messages.success(request, message)
    return answers.stored(saved, message=message, next_url=next_url)


def _saved_message(saved):
    """What the judge is told after a stored sending; a retry of one already stored says so (issue 19)."""
    final = saved.state == SheetState.FINAL
    if idempotency.already_saved(saved):
        if final:
            return _(
                "Sudah tersimpan: nilai ini sudah dikirim final sebelumnya; pengiriman ulang tidak mengubah apa pun."
            )
        return _("Sudah tersimpan: draf ini sudah disimpan sebelumnya; pengiriman ulang tidak mengubah apa pun.")
    return _("Nilai dikirim final. Terima kasih.") if final else _("Draf tersimpan.")


def _device_conflict_text(current):
    """The reason shown above both versions on the judge's device: what to do there (the choice is on screen)."""
    if current is not None and current.state == SheetState.FINAL:
        return _(
            "Lembar ini sudah dikirim final di server sejak versi yang Anda isi. Nilai Anda tetap di perangkat ini; "
            'pilih "Pakai versi server" di bawah.'
        )
    return _(
        "Lembar ini berubah di server sejak versi yang Anda isi (di perangkat lain, atau kuncinya dibuka "
        "penyelenggara). Pilih di bawah versi yang dipakai; belum ada yang ditimpa."
    )


def _conflicted_sheet_text():
    return _("Anda memiliki konflik kepentingan dengan proposal ini; lembar nilainya tidak dapat dibuka.")


def _sheet_page(request, pk, *, data=None, error=None, status=400):
    """The page. With `data` (a POST that was not saved): the form as sent, with its errors and `error` as the
    message, answered with `status`."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("round__competition", "entry__agency__region", "entry__category", "judge"),
        pk=pk,
    )
    round_ = assignment.round
    conflicted = services.conflicted(round_=round_, judge_id=assignment.judge_id, entry_id=assignment.entry_id)
    if not permissions.can_open_sheet(request.user, assignment, conflicted=conflicted):
        if permissions.is_judge(request.user) and assignment.judge_id == request.user.pk:
            return refuse(request, _conflicted_sheet_text())
        if not RoundJudge.objects.filter(round=round_, judge_id=request.user.pk).exists():
            raise Http404  # neither a judge nor an organiser of this round: not even that the sheet exists
        return refuse(
            request, _("Lembar nilai ini bukan milik Anda. Juri hanya dapat membuka lembar nilainya sendiri.")
        )
    is_owner = assignment.judge_id == request.user.pk
    if data is not None and not is_owner:
        return refuse(request, _("Hanya juri yang ditugaskan yang dapat mengisi lembar nilai ini."))
    sheet = ScoreSheet.objects.filter(assignment=assignment).prefetch_related("scores").first()
    criteria = list(
        Criterion.objects.filter(round=round_)
        .prefetch_related(Prefetch("bands", queryset=ScoreBand.objects.order_by("-min_value")))
        .order_by("order", "id")
    )
    editable = (
        is_owner
        and permissions.can_score(request.user, assignment, conflicted=conflicted)
        and (sheet is None or sheet.state == SheetState.DRAFT)
    )
    if data is None:
        form = forms.ScoreSheetForm(criteria=criteria, sheet=sheet, disabled=not editable)
        status = 200
    else:
        form = forms.ScoreSheetForm(data, criteria=criteria, sheet=sheet)
        form.is_valid()  # the errors are shown beside the fields
        messages.error(request, error or _("Periksa isian: ada nilai yang tidak valid."))
    context = {
        "assignment": assignment,
        "round": round_,
        "entry": assignment.entry,
        "sheet": sheet,
        "form": form,
        "editable": editable,
        "is_owner": is_owner,
        "can_declare_conflict": permissions.can_declare_conflict(request.user, assignment),
        "conflicted": conflicted,
        "data": _entry_display(assignment.entry),
        "reason_form": forms.ReasonForm(),
        "can_unlock": sheet is not None
        and permissions.can_unlock_sheet(request.user, sheet)
        and sheet.state == SheetState.FINAL,
    }
    return render(request, "judging/scoring/sheet.html", context, status=status)


@login_required
def declare_conflict(request, pk):
    assignment = get_object_or_404(Assignment.objects.select_related("round__competition", "entry"), pk=pk)
    if assignment.judge_id != request.user.pk:
        return refuse(request, _("Proposal ini tidak ditugaskan kepada Anda."))
    if not permissions.can_declare_conflict(request.user, assignment):
        return refuse(
            request, _("Babak ini sudah ditutup atau diumumkan; konflik kepentingan tidak dapat dicatat lagi.")
        )
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_conflict(assignment=assignment, judge=request.user, reason=form.cleaned_data["reason"])
        except services.JudgingError as error:
            add_message(request, error)
        else:
            messages.success(request, _("Konflik kepentingan dicatat. Proposal ini tidak lagi Anda nilai."))
            round_ = assignment.round
            return redirect("judging:queue", competition=round_.competition.slug, round_slug=round_.slug)
    return render(request, "judging/scoring/declare_conflict.html", {"assignment": assignment, "form": form})
