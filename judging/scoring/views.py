"""Judging pages. Thin function views: load through a permission helper, call one service, redirect with a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entries.models import Entry
from judging.models import Assignment, Conflict, Criterion, Round, RoundEntry, ScoreBand, ScoreSheet
from judging.scoring import dashboard_cache as round_cache
from judging.scoring import forms, permissions, queries, services
from judging.scoring.enums import RoundState, SheetState
from judging.scoring.exports import CONTENT_TYPES, RESULT_FORMATS, SCORE_FORMATS, file_name, iter_scores, results_bytes
from kipp.models import Competition, User
from kipp.services import record_event


def _refuse(request, message, status=403):
    return render(request, "judging/scoring/refused.html", {"message": message}, status=status)


def _error_text(error):
    return " ".join(str(m) for m in getattr(error, "messages", [str(error)]))


def _round_for(request, competition, round_slug):
    return get_object_or_404(
        Round.objects.select_related("competition"), competition__slug=competition, slug=round_slug
    )


# Organiser pages: 403 with a clear message for anyone else (one decorator, judging/scoring/permissions.py).


# Organiser: rounds ------------------------------------------------------------------------------------------------


@permissions.organiser_required
def round_index(request):
    competitions = Competition.objects.prefetch_related(
        Prefetch("rounds", queryset=Round.objects.order_by("order"))
    ).order_by("-year", "name")
    return render(request, "judging/scoring/round_index.html", {"competitions": competitions})


@permissions.organiser_required
def round_create(request, competition):
    competition = get_object_or_404(Competition, slug=competition)
    form = forms.RoundCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.create_round(competition=competition, actor=request.user, **form.cleaned_data)
        except services.JudgingError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Babak dibuat dengan rubrik bawaan."))
            return redirect("judging:round_setup", competition=competition.slug, round_slug=round_.slug)
    return render(request, "judging/scoring/round_create.html", {"competition": competition, "form": form})


# Where a rejected form sits on the setup page (the heading ids of templates/judging/scoring/round_setup.html).
REJECTED_SECTIONS = {
    "settings_form": "settings-h",
    "criterion_form": "criteria-h",
    "criterion_edit": "criteria-h",
    "judges_form": "judges-h",
    "assign_form": "assign-h",
    "entry_form": "entries-h",
    "conflict_form": "conflicts-h",
}


def _setup_context(request, round_, rejected=None):
    """The setup page's context; `rejected` (a _Rejected) puts its bound form, with the errors, in its place."""
    criteria = list(round_.criteria.prefetch_related("bands").order_by("order", "id"))
    edited = rejected.form if rejected is not None and rejected.name == "criterion_edit" else None
    for criterion in criteria:
        # The hand-written edit form of each criterion reads its values (and, when rejected, errors) from here.
        if edited is not None and edited.instance.pk == criterion.pk:
            criterion.edit_form = edited
        else:
            criterion.edit_form = forms.CriterionForm(instance=criterion)
    judges = queries.judge_progress(round_)
    conflict_list = list(
        Conflict.objects.filter(Q(round__isnull=True) | Q(round=round_), competition_id=round_.competition_id)
        .select_related("judge", "entry")
        .order_by("entry__code", "judge__full_name")
    )
    context = {
        "round": round_,
        "criteria": criteria,
        "judges": judges,
        "entry_count": RoundEntry.objects.filter(round=round_).count(),
        "assignment_count": Assignment.objects.filter(round=round_).count(),
        "conflicts": conflict_list,
        "rubric_editable": services.rubric_editable(round_),
        "settings_form": forms.RoundSettingsForm(instance=round_) if round_.state == RoundState.SETUP else None,
        "criterion_form": forms.CriterionForm(prefix="new"),
        "judges_form": forms.JudgesForm(round_=round_),
        "assign_form": forms.AssignForm(round_=round_),
        "conflict_form": forms.ConflictForm(round_=round_),
        "entry_form": forms.AddEntryForm(),
        "reason_form": forms.ReasonForm(),
    }
    if rejected is not None:
        if rejected.name in context:
            context[rejected.name] = rejected.form
        context["rejected_section"] = REJECTED_SECTIONS.get(rejected.name, "")
    return context


@permissions.organiser_required
def round_setup(request, competition, round_slug):
    round_ = _round_for(request, competition, round_slug)
    return render(request, "judging/scoring/round_setup.html", _setup_context(request, round_))


def _back_to_setup(round_):
    return redirect("judging:round_setup", competition=round_.competition.slug, round_slug=round_.slug)


class _Rejected(Exception):
    """A setup-page form refused its input: the page is shown again (400) with that form bound to what was typed
    and its errors next to the fields. `name` is the form's context name ("criterion_edit": a criterion's inline
    edit form)."""

    def __init__(self, name, form):
        super().__init__(name)
        self.name = name
        self.form = form


def _validate(name, form):
    if not form.is_valid():
        raise _Rejected(name, form)


def _refused_input(name, form, error):
    """A service refused what the form carried: show its message with the form, as typed."""
    form.add_error(None, error.messages)
    return _Rejected(name, form)


@require_POST
@permissions.organiser_required
def round_action(request, competition, round_slug, action):
    """Every organiser write on a round's setup page: one service call each. A success redirects with a message
    (POST/redirect/GET); rejected input renders the setup page again with the form as typed (400); a refusal that
    does not concern the input (the round's state) redirects with the message."""
    round_ = _round_for(request, competition, round_slug)
    handlers = {
        "settings": _action_settings,
        "criterion": _action_criterion,
        "criterion-delete": _action_criterion_delete,
        "judges": _action_judges,
        "assign": _action_assign,
        "auto-assign": _action_auto_assign,
        "conflict": _action_conflict,
        "entry": _action_entry,
        "open": _action_open,
        "close": _action_close,
        "reopen": _action_reopen,
        "publish": _action_publish,
        "replace": _action_replace,
    }
    handler = handlers.get(action)
    if handler is None:
        raise Http404
    to_dashboard = request.POST.get("next") == "dashboard"
    try:
        result = handler(request, round_)
    except _Rejected as rejected:
        if not to_dashboard:
            round_.refresh_from_db()  # a bound ModelForm has copied the rejected values onto its instance
            context = _setup_context(request, round_, rejected)
            return render(request, "judging/scoring/round_setup.html", context, status=400)
        messages.error(request, _form_errors_text(rejected.form))
        result = None
    except services.JudgingError as error:
        messages.error(request, _error_text(error))
        result = None
    if isinstance(result, HttpResponse):
        return result  # a page of its own (the close confirmation)
    if result is not None:
        messages.success(request, result)
    if to_dashboard:
        return redirect("judging:round_dashboard", competition=round_.competition.slug, round_slug=round_.slug)
    return _back_to_setup(round_)


def _form_errors_text(form):
    errors = [str(e) for errs in form.errors.values() for e in errs]
    return " ".join(errors) or _("Periksa isian formulir.")


def _invalid(form):
    raise services.JudgingError(_form_errors_text(form))


def _action_settings(request, round_):
    if round_.state != RoundState.SETUP:
        raise services.JudgingError(_("Pengaturan babak hanya dapat diubah sebelum penilaian dibuka."))
    form = forms.RoundSettingsForm(request.POST, instance=round_)
    _validate("settings_form", form)
    round_ = form.save(commit=False)
    round_.tie_break = form.cleaned_data["tie_break"]
    round_.save()
    record_event(
        actor=request.user, action="judging.round_settings_changed", obj=round_, details={"fields": form.changed_data}
    )
    return _("Pengaturan babak disimpan.")


def _action_criterion(request, round_):
    pk = request.POST.get("criterion")
    criterion = get_object_or_404(Criterion, pk=pk, round=round_) if pk else None
    if not services.rubric_editable(round_):
        # Locked: a refusal of the page whatever was typed (the setup page shows no rubric forms then).
        raise services.JudgingError(
            _(
                "Rubrik terkunci karena sudah ada lembar nilai final. "
                "Buka kembali babak (dengan alasan) untuk mengubahnya."
            )
        )
    form_name = "criterion_edit" if criterion else "criterion_form"
    form = forms.CriterionForm(
        request.POST, prefix=None if criterion else "new", instance=criterion or Criterion(round=round_)
    )
    _validate(form_name, form)
    try:
        services.save_criterion(
            round_=round_,
            actor=request.user,
            criterion=criterion,
            bands=form.cleaned_data["bands"],
            **{name: form.cleaned_data[name] for name in form.Meta.fields},
        )
    except services.JudgingError as error:
        if not services.rubric_editable(round_):
            raise  # locked meanwhile (a sheet was submitted): a refusal of the page
        raise _refused_input(form_name, form, error) from error
    return _("Kriteria disimpan; total dihitung ulang.")


def _action_criterion_delete(request, round_):
    criterion = get_object_or_404(Criterion, pk=request.POST.get("criterion"), round=round_)
    services.delete_criterion(criterion=criterion, actor=request.user)
    return _("Kriteria dihapus.")


def _action_judges(request, round_):
    form = forms.JudgesForm(request.POST, round_=round_)
    _validate("judges_form", form)
    try:
        count = services.add_judges(round_=round_, judges=form.cleaned_data["judges"], actor=request.user)
    except services.JudgingError as error:
        raise _refused_input("judges_form", form, error) from error
    return _("%(n)s juri ditambahkan.") % {"n": count}


def _action_assign(request, round_):
    form = forms.AssignForm(request.POST, round_=round_)
    _validate("assign_form", form)
    entry = form.cleaned_data["entry"]
    try:
        count = services.bulk_assign(
            round_=round_, pairs=[(entry.pk, j.pk) for j in form.cleaned_data["judges"]], actor=request.user
        )
    except services.JudgingError as error:
        raise _refused_input("assign_form", form, error) from error
    return _("%(n)s penugasan dibuat.") % {"n": count}


def _action_auto_assign(request, round_):
    count = services.auto_assign(round_=round_, actor=request.user)
    return _("%(n)s penugasan otomatis dibuat.") % {"n": count}


def _action_conflict(request, round_):
    form = forms.ConflictForm(request.POST, round_=round_)
    _validate("conflict_form", form)
    data = form.cleaned_data
    try:
        services.record_conflict(
            competition=round_.competition,
            judge=data["judge"],
            entry=data["entry"],
            reason=data["reason"],
            actor=request.user,
            round_=None if data["whole_competition"] else round_,
        )
    except services.JudgingError as error:
        raise _refused_input("conflict_form", form, error) from error
    return _("Konflik kepentingan dicatat.")


def _action_entry(request, round_):
    form = forms.AddEntryForm(request.POST)
    _validate("entry_form", form)
    entry = Entry.objects.filter(competition=round_.competition, code=form.cleaned_data["code"].strip()).first()
    if entry is None:
        form.add_error("code", _("Tidak ada proposal dengan kode itu di kompetisi ini."))
        raise _Rejected("entry_form", form)
    try:
        services.add_round_entry(round_=round_, entry=entry, reason=form.cleaned_data["reason"], actor=request.user)
    except services.JudgingError as error:
        raise _refused_input("entry_form", form, error) from error
    return _("Proposal ditambahkan ke babak.")


def _action_open(request, round_):
    services.open_round(round_=round_, actor=request.user)
    return _("Babak dibuka untuk penilaian.")


def _action_close(request, round_):
    """One click when every counting sheet is final; otherwise a confirmation page (no JavaScript needed) that
    names the entries with sheets not final and asks for the reason, which the service requires and audits."""
    reason = request.POST.get("reason", "").strip()
    if round_.state == RoundState.OPEN and not reason:
        missing = queries.missing_sheets(round_)
        if missing:
            return _close_confirmation(request, round_, missing, rejected="confirm" in request.POST)
    services.close_round(round_=round_, actor=request.user, reason=reason)
    return _("Babak ditutup; potret peringkat disimpan.")


def _close_confirmation(request, round_, missing, *, rejected):
    k = round_.judges_per_entry
    context = {
        "round": round_,
        "missing": missing,
        "missing_total": sum(item["missing"] for item in missing),
        "progress": queries.round_progress(round_),
        "short": [item for item in missing if item["final"] < k],
        "rejected": rejected,
    }
    return render(request, "judging/scoring/close_confirm.html", context, status=400 if rejected else 200)


def _action_reopen(request, round_):
    services.reopen_round(round_=round_, actor=request.user, reason=request.POST.get("reason", ""))
    return _("Babak dibuka kembali.")


def _action_publish(request, round_):
    services.publish_round(round_=round_, actor=request.user)
    return _("Hasil babak diumumkan.")


def _action_replace(request, round_):
    # The replacement form lives on the dashboard (a single select): a refusal goes back there as a message.
    form = forms.ReplacementForm(request.POST)
    if not form.is_valid():
        _invalid(form)
    entry = get_object_or_404(Entry, pk=form.cleaned_data["entry"], competition=round_.competition)
    judge = get_object_or_404(User, pk=form.cleaned_data["judge"], role="judge")
    services.assign_replacement(round_=round_, entry=entry, judge=judge, actor=request.user)
    return _("Juri pengganti ditugaskan.")


# Organiser: dashboard and downloads --------------------------------------------------------------------------------


DASHBOARD_PAGE_SIZE = 250
DASHBOARD_PAST_CUT = 10


def _window_choice(request):
    """What the query string asks of the ranking: ("all", None), ("page", N) or ("head", None)."""
    if request.GET.get("semua") == "1":
        return "all", None
    page = request.GET.get("halaman", "")
    if page.isdigit() and int(page) >= 1:
        return "page", int(page)
    return "head", None


def _ranking_window(request, round_, ranking):
    """Which ranked rows the dashboard renders: by default the rows down to top_n + reserve_n + a few past the
    cut; ?halaman=N shows page N of DASHBOARD_PAGE_SIZE rows, ?semua=1 every row."""
    total = len(ranking)
    pages = max(1, -(-total // DASHBOARD_PAGE_SIZE))
    mode, page = _window_choice(request)
    if mode == "all":
        rows = ranking
    elif mode == "page":
        page = min(page, pages)
        rows = ranking[(page - 1) * DASHBOARD_PAGE_SIZE : page * DASHBOARD_PAGE_SIZE]
    else:
        rows = ranking[: round_.top_n + round_.reserve_n + DASHBOARD_PAST_CUT]
    return {
        "rows": rows,
        "mode": mode,
        "page": page,
        "page_numbers": range(1, pages + 1),
        "total": total,
        "shown": len(rows),
        "partial": len(rows) < total,
        "page_size": DASHBOARD_PAGE_SIZE,
    }


@permissions.organiser_required
def round_dashboard(request, competition, round_slug):
    round_ = _round_for(request, competition, round_slug)
    criteria = queries.round_criteria(round_)
    # Figures and the rendered ranking/judges/chart fragments come from the cache of the current scoring state
    # (judging/scoring/dashboard_cache.py); the short-of-judges list with its forms is rendered here on every request.
    dashboard = round_cache.RoundDashboard(round_, criteria, lambda ranking: _ranking_window(request, round_, ranking))
    window_id = _window_id(request)
    fragments = dashboard.fragments(window_id)
    context = {
        "round": round_,
        "criteria": criteria,
        "fragments": fragments,
        "window": fragments["window"],
        "progress": fragments["progress"],
        "short": fragments["short"],
        "few_judges": fragments["few_judges"],
        "candidates_shown": round_cache.CANDIDATES_SHOWN,
        "snapshots": list(
            round_.snapshots.only("id", "round_id", "created_at", "method", "reason").order_by("-created_at")[:10]
        ),
        "score_formats": SCORE_FORMATS,
        "result_formats": RESULT_FORMATS,
        "reason_form": forms.ReasonForm(),
    }
    return render(request, "judging/scoring/round_dashboard.html", context)


def _window_id(request):
    """The part of the query string that selects the dashboard's ranking window (the fragments' cache key)."""
    mode, page = _window_choice(request)
    return f"page{page}" if mode == "page" else mode


@permissions.organiser_required
def round_download(request, competition, round_slug, kind, fmt):
    round_ = _round_for(request, competition, round_slug)
    if kind == "nilai" and fmt in SCORE_FORMATS:
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in iter_scores(round_, fmt)), content_type=CONTENT_TYPES[fmt]
        )
        name = file_name(round_, "scores", fmt)
    elif kind == "hasil" and fmt in RESULT_FORMATS:
        # The XLSX is read by people (words in their language); CSV and JSON keep the contract's keys.
        response = HttpResponse(results_bytes(round_, fmt, for_people=fmt == "xlsx"), content_type=CONTENT_TYPES[fmt])
        name = file_name(round_, "results", fmt)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    record_event(actor=request.user, action="judging.exported", obj=round_, details={"file": name})
    return response


@permissions.organiser_required
def snapshot_detail(request, competition, round_slug, pk):
    round_ = _round_for(request, competition, round_slug)
    snapshot = get_object_or_404(round_.snapshots, pk=pk)
    keys = [c["key"] for c in snapshot.criteria]
    rows = [{**row, "criteria_list": [row["criteria"].get(k) for k in keys]} for row in snapshot.rows]
    context = {
        "round": round_,
        "snapshot": snapshot,
        "rows": rows,
        "keys": snapshot.criteria,
        "cut_tie": queries.cut_tie(rows, round_.top_n),
    }
    return render(request, "judging/scoring/snapshot.html", context)


@require_POST
@permissions.organiser_required
def sheet_unlock(request, pk):
    sheet = get_object_or_404(ScoreSheet.objects.select_related("assignment__round__competition"), pk=pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan membuka kunci lembar nilai."))
    else:
        try:
            services.unlock_sheet(sheet=sheet, actor=request.user, reason=form.cleaned_data["reason"])
        except services.JudgingError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Lembar nilai dibuka kembali sebagai draf."))
    return redirect("judging:sheet", pk=sheet.assignment_id)


# Judges ------------------------------------------------------------------------------------------------------------


@login_required
def my_rounds(request):
    if not permissions.can_view_queue(request.user):
        return _refuse(request, _("Halaman ini hanya untuk juri (evaluator/panelis)."))
    return render(request, "judging/scoring/my_rounds.html", {"rounds": queries.judge_rounds(request.user)})


@login_required
def judge_queue(request, competition, round_slug):
    if not permissions.can_view_queue(request.user):
        return _refuse(request, _("Halaman ini hanya untuk juri (evaluator/panelis)."))
    round_ = _round_for(request, competition, round_slug)
    items = queries.judge_queue(round_, request.user)
    counted = [i for i in items if not i["recused"]]
    final = sum(1 for i in counted if i["status"] == "final")
    # Open sheets first (in presentation order), finished and recused ones folded below them.
    done = [i for i in items if i["recused"] or i["status"] == "final"]
    return render(
        request,
        "judging/scoring/queue.html",
        {
            "round": round_,
            "items": items,
            "open_items": [i for i in items if not (i["recused"] or i["status"] == "final")],
            "done_items": done,
            "final": final,
            "total": len(counted),
            "percent": round(100 * final / len(counted)) if counted else 0,
        },
    )


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
    with its errors, a refused save."""
    assignment = get_object_or_404(Assignment.objects.only("id", "round_id", "judge_id"), pk=pk)
    # conflicts of interest are checked by the service, under the assignment's lock (ConflictOfInterestError)
    if assignment.judge_id != request.user.pk or not permissions.can_open_sheet(
        request.user, assignment, conflicted=False
    ):
        return _sheet_page(request, pk, data=request.POST)
    form = forms.ScoreSheetForm(request.POST, criteria=queries.round_criteria(assignment.round_id))
    if not form.is_valid():
        return _sheet_page(request, pk, data=request.POST, error=_("Periksa isian: ada nilai yang tidak valid."))
    service = services.submit_sheet if request.POST.get("action", "save") == "submit" else services.save_sheet
    try:
        saved = service(
            assignment=assignment,
            judge=request.user,
            values=form.values(),
            overall_comment=form.cleaned_data["overall_comment"],
            version=form.cleaned_data["version"],
        )
    except services.ConflictOfInterestError:
        return _refuse(request, _conflicted_sheet_text())
    except services.StaleSheetError as error:
        return _sheet_page(request, pk, data=request.POST, error=_error_text(error), status=409)
    except services.JudgingError as error:
        return _sheet_page(request, pk, data=request.POST, error=_error_text(error))
    if saved.state == SheetState.FINAL:
        messages.success(request, _("Nilai dikirim final. Terima kasih."))
        round_ = saved.assignment.round
        return redirect("judging:queue", competition=round_.competition.slug, round_slug=round_.slug)
    messages.success(request, _("Draf tersimpan."))
    return redirect("judging:sheet", pk=assignment.pk)


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
            return _refuse(request, _conflicted_sheet_text())
        return _refuse(
            request, _("Lembar nilai ini bukan milik Anda. Juri hanya dapat membuka lembar nilainya sendiri.")
        )
    is_owner = assignment.judge_id == request.user.pk
    if data is not None and not is_owner:
        return _refuse(request, _("Hanya juri yang ditugaskan yang dapat mengisi lembar nilai ini."))
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
    if not permissions.can_declare_conflict(request.user, assignment):
        return _refuse(request, _("Proposal ini tidak ditugaskan kepada Anda."))
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_conflict(assignment=assignment, judge=request.user, reason=form.cleaned_data["reason"])
        except services.JudgingError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Konflik kepentingan dicatat. Proposal ini tidak lagi Anda nilai."))
            round_ = assignment.round
            return redirect("judging:queue", competition=round_.competition.slug, round_slug=round_.slug)
    return render(request, "judging/scoring/declare_conflict.html", {"assignment": assignment, "form": form})
