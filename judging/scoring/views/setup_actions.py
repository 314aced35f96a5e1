"""The handlers of round_action (judging/scoring/views/setup.py): each reads its form and calls one service, and
returns the success message (or a page of its own). Rejected input raises Rejected with the bound form."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from entries.models import Entry
from judging.models import Criterion
from judging.scoring import forms, queries, services
from judging.scoring.enums import RoundState
from kipp.errors import Invalid
from kipp.organisations.enums import MembershipKind
from kipp.organisations.queries import people_of
from kipp.services import record_event


class Rejected(Exception):
    """A setup-page form refused its input: the page is shown again (400) with that form bound to what was typed
    and its errors next to the fields. `name` is the form's context name ("criterion_edit": a criterion's inline
    edit form)."""

    def __init__(self, name, form):
        super().__init__(name)
        self.name = name
        self.form = form


def validate(name, form):
    if not form.is_valid():
        raise Rejected(name, form)


def _refused_input(name, form, error):
    """A service refused what the form carried: show its message with the form, as typed."""
    form.add_error(None, error.messages)
    return Rejected(name, form)


def form_errors_text(form):
    errors = [str(e) for errs in form.errors.values() for e in errs]
    return " ".join(errors) or _("Periksa isian formulir.")


def _invalid(form):
    raise Invalid(form_errors_text(form))


def _action_settings(request, round_):
    if round_.state != RoundState.SETUP:
        raise services.JudgingError(_("Pengaturan babak hanya dapat diubah sebelum penilaian dibuka."))
    form = forms.RoundSettingsForm(request.POST, instance=round_)
    validate("settings_form", form)
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
    # Locked: a refusal of the page whatever was typed (the setup page shows no rubric forms then).
    services.check_rubric_editable(round_)
    form_name = "criterion_edit" if criterion else "criterion_form"
    form = forms.CriterionForm(
        request.POST, prefix=None if criterion else "new", instance=criterion or Criterion(round=round_)
    )
    validate(form_name, form)
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
    validate("judges_form", form)
    try:
        count = services.add_judges(round_=round_, judges=form.cleaned_data["judges"], actor=request.user)
    except services.JudgingError as error:
        raise _refused_input("judges_form", form, error) from error
    return ngettext("%(n)s juri ditambahkan.", "%(n)s juri ditambahkan.", count) % {"n": count}


def _action_assign(request, round_):
    form = forms.AssignForm(request.POST, round_=round_)
    validate("assign_form", form)
    entry = form.cleaned_data["entry"]
    try:
        count = services.bulk_assign(
            round_=round_, pairs=[(entry.pk, j.pk) for j in form.cleaned_data["judges"]], actor=request.user
        )
    except services.JudgingError as error:
        raise _refused_input("assign_form", form, error) from error
    return ngettext("%(n)s penugasan dibuat.", "%(n)s penugasan dibuat.", count) % {"n": count}


def _action_auto_assign(request, round_):
    count = services.auto_assign(round_=round_, actor=request.user)
    return ngettext("%(n)s penugasan otomatis dibuat.", "%(n)s penugasan otomatis dibuat.", count) % {"n": count}


def _action_conflict(request, round_):
    form = forms.ConflictForm(request.POST, round_=round_)
    validate("conflict_form", form)
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
    validate("entry_form", form)
    entry = Entry.objects.filter(competition=round_.competition, code=form.cleaned_data["code"].strip()).first()
    if entry is None:
        form.add_error("code", _("Tidak ada proposal dengan kode itu di kompetisi ini."))
        raise Rejected("entry_form", form)
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
        # every entry the closed round will rank on fewer than k final sheets, with missing sheets or not (an entry
        # assigned to fewer than k judges has none missing and is short all the same)
        "short": queries.rows_short_of_k(queries.round_ranking(round_), k),
        "rejected": rejected,
    }
    return render(request, "judging/scoring/close_confirm.html", context, status=400 if rejected else 200)


def _action_reopen(request, round_):
    services.reopen_round(round_=round_, actor=request.user, reason=request.POST.get("reason", ""))
    return _("Babak dibuka kembali.")


def _action_replace(request, round_):
    # The replacement form lives on the dashboard (a single select): a refusal goes back there as a message.
    form = forms.ReplacementForm(request.POST)
    if not form.is_valid():
        _invalid(form)
    entry = get_object_or_404(Entry, pk=form.cleaned_data["entry"], competition=round_.competition)
    judge = get_object_or_404(
        people_of(round_.competition.organisation_id, MembershipKind.JUDGE), pk=form.cleaned_data["judge"]
    )
    services.assign_replacement(round_=round_, entry=entry, judge=judge, actor=request.user)
    return _("Juri pengganti ditugaskan.")


def _action_selection_rules(request, round_):
    formset = forms.selection_rules_formset(round_, request.POST)
    if not formset.is_valid():
        raise Rejected("rules_formset", formset)
    # the rows in the page's order; an empty extra row has no cleaned_data
    rules = [form.cleaned_data for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
    try:
        services.save_selection_rules(round_=round_, actor=request.user, rules=rules)
    except services.JudgingError as error:
        formset._non_form_errors = formset.error_class(error.messages)
        raise Rejected("rules_formset", formset) from error
    return _("Aturan seleksi disimpan.")


HANDLERS = {
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
    "replace": _action_replace,
    "selection-rules": _action_selection_rules,
}
