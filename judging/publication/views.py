"""Pages of publication: the organiser's announcement pages (prepare, change with a reason, submit, approve,
correct, answer objections, release feedback) and the public pages (results, PDF, CSV/XLSX, objections).

Every public view loads its announcement through `_visible_or_404`, i.e. judging.publication.queries.
visible_announcements(now): before approval and before the embargo time nothing of it exists for anyone."""

from itertools import chain
from types import SimpleNamespace

from django.contrib import messages
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entries.models import Entry
from judging.models import Announcement, Round
from judging.publication import fingerprint, forms, services
from judging.publication.cache import results_fragments, results_key
from judging.publication.defaults import initial_fields
from judging.publication.enums import AnnouncementKind, AnnouncementState
from judging.publication.letterhead import of as announcement_letterhead
from judging.publication.pdf import announcement_pdf
from judging.publication.queries import (
    RESULT_COLUMNS,
    announcement_cut_tie,
    announcement_ready,
    correction_differences,
    is_visible,
    objection_window,
    objection_window_open,
    public_rows,
    ranking_rows,
    result_rows,
    version_chain,
    visible_announcements,
)
from judging.scoring import permissions
from judging.scoring.enums import RoundState
from judging.scoring.permissions import organiser_required
from judging.scoring.queries import rows_short_of_k
from judging.scoring.services import JudgingError
from kipp import exports
from kipp.errors import add_message, error_text
from kipp.middleware import client_ip
from kipp.models import Competition, User
from kipp.permissions import organised_q


def _refuse(request, message, status=403):
    return render(request, "judging/scoring/refused.html", {"message": message}, status=status)


# judging.scoring's field and schedule pages still import this name from here.
_error_text = error_text


# Organiser ---------------------------------------------------------------------------------------------------


@organiser_required
def announcement_index(request):
    competitions = (
        Competition.objects.filter(organised_q(request.user))
        .prefetch_related(Prefetch("rounds", queryset=Round.objects.order_by("order")))
        .order_by("-year", "name")
    )
    announcements = (
        Announcement.objects.filter(organised_q(request.user, "round__competition__organisation_id"))
        .select_related("round__competition", "prepared_by", "approved_by")
        .annotate(pending=Count("objections", filter=Q(objections__answered_at__isnull=True)))
        .order_by("-prepared_at", "-id")
    )
    return render(
        request,
        "judging/publication/index.html",
        {"competitions": competitions, "announcements": announcements, "ready": RoundState.CLOSED},
    )


@organiser_required
def announcement_prepare(request, competition, round_slug, kind="round"):
    round_ = get_object_or_404(
        Round.objects.select_related("competition"), competition__slug=competition, slug=round_slug
    )
    if kind not in AnnouncementKind.values:
        raise Http404
    form = forms.AnnouncementForm(request.POST or None, initial=initial_fields(round_, kind))
    acknowledged = request.POST.get("acknowledge_few_judges") == "1"
    if request.method == "POST" and form.is_valid():
        try:
            announcement = services.prepare_announcement(
                round_=round_,
                actor=request.user,
                kind=kind,
                acknowledge_few_judges=acknowledged,
                **{f: form.cleaned_data[f] for f in form.Meta.fields},
            )
        except JudgingError as error:
            add_message(request, error)
        else:
            messages.success(request, _("Draf pengumuman disiapkan; daftar diambil dari peringkat babak."))
            return redirect("judging:announcement_manage", pk=announcement.pk)
    rows = ranking_rows(round_, kind) if announcement_ready(round_) else []
    context = {
        "round": round_,
        "form": form,
        "kind": kind,
        "few_judges": rows_short_of_k(rows, round_.judges_per_entry),
        "acknowledged": acknowledged,
    }
    return render(request, "judging/publication/prepare.html", context)


def manage_context(announcement, user):
    """The manage page's context (judging/publication/objection_views.py renders the page with it too)."""
    rows = list(announcement.rows.select_related("entry").order_by("rank"))
    objections = list(
        announcement.objections.select_related("entry", "filed_by", "answered_by").order_by("created_at", "id")
    )
    for objection in objections:  # one form each, with its own ids (a label points to its own field)
        objection.answer_form = forms.AnswerForm(objection=objection, auto_id=f"answer{objection.pk}_%s")
    editable = announcement.state == AnnouncementState.DRAFT
    differences = correction_differences(announcement)
    return {
        "editors": list(
            User.objects.filter(pk__in=announcement.editor_ids)
            .order_by("full_name")
            .values_list("full_name", flat=True)
        ),
        "differences": differences,
        "difference_form": forms.DifferenceReasonForm(differences=differences, auto_id="difference_%s")
        if editable and differences
        else None,
        "difference_refusal": services.difference_refusal(announcement)
        if announcement.state in (AnnouncementState.DRAFT, AnnouncementState.AWAITING)
        else None,
        "announcement": announcement,
        "letterhead": announcement_letterhead(announcement),
        "rows": rows,
        "changes": list(announcement.changes.select_related("entry", "actor")),
        "objections": objections,
        "edit_form": forms.AnnouncementForm(instance=announcement, auto_id="edit_%s") if editable else None,
        "change_form": forms.ChangeOutcomeForm(rows=rows, auto_id="change_%s") if editable else None,
        "return_form": forms.ReasonForm(auto_id="return_%s"),
        "withdraw_form": forms.ReasonForm(auto_id="withdraw_%s"),
        "correction_form": forms.CorrectionForm(auto_id="correction_%s"),
        "two_person_refusal": services.two_person_refusal(announcement, user),
        "can_approve": permissions.can_approve_announcement(user, announcement),
        "few_judges": rows_short_of_k(rows, announcement.round.judges_per_entry),
        "advance_refusal": services.advance_refusal(announcement)
        if announcement.state in (AnnouncementState.DRAFT, AnnouncementState.AWAITING)
        else None,
        "cut_tie": announcement_cut_tie(announcement),
        "visible": visible_announcements().filter(pk=announcement.pk).exists(),
        "window": objection_window(announcement),
        "corrections": list(announcement.corrections.all()),
        "withdrawn": [r for r in rows if r.outcome == "selected" and r.entry.status == "withdrawn"]
        if announcement.state == AnnouncementState.PUBLISHED
        else [],
        **services.outcome_mail_status(announcement),
    }


@organiser_required
def announcement_manage(request, pk):
    announcement = get_object_or_404(
        Announcement.objects.select_related("round__competition", "prepared_by", "approved_by", "previous"), pk=pk
    )
    return render(request, "judging/publication/manage.html", manage_context(announcement, request.user))


@require_POST
@organiser_required
def announcement_action(request, pk, action):
    announcement = get_object_or_404(Announcement.objects.select_related("round__competition"), pk=pk)
    handlers = {
        "edit": _edit,
        "change": _change,
        "explain": _explain,
        "submit": _submit,
        "approve": _approve,
        "return": _return,
        "withdraw": _withdraw,
        "correct": _correct,
        "feedback": _feedback,
        "advance": _advance,
        "replace": _replace,
    }
    handler = handlers.get(action)
    if handler is None:
        raise Http404
    try:
        result = handler(request, announcement)
    except JudgingError as error:
        add_message(request, error)
        if action not in KEPT_FORMS:
            return redirect("judging:announcement_manage", pk=announcement.pk)
        return _refused_form(request, pk, action)
    message, target = result if isinstance(result, tuple) else (result, announcement)
    messages.success(request, message)
    return redirect("judging:announcement_manage", pk=target.pk)


# The forms of the manage page that a refusal shows again as typed: action -> (context key, bound form).
KEPT_FORMS = {
    "edit": (  # bound to a copy: the page's summary keeps showing what is saved, not what was typed
        "edit_form",
        lambda data, a, c: forms.AnnouncementForm(data, instance=Announcement.objects.get(pk=a.pk), auto_id="edit_%s"),
    ),
    "change": ("change_form", lambda data, a, c: forms.ChangeOutcomeForm(data, rows=c["rows"], auto_id="change_%s")),
    "explain": (
        "difference_form",
        lambda data, a, c: forms.DifferenceReasonForm(data, differences=c["differences"], auto_id="difference_%s"),
    ),
    "return": ("return_form", lambda data, a, c: forms.ReasonForm(data, auto_id="return_%s")),
    "withdraw": ("withdraw_form", lambda data, a, c: forms.ReasonForm(data, auto_id="withdraw_%s")),
    "correct": ("correction_form", lambda data, a, c: forms.CorrectionForm(data, auto_id="correction_%s")),
}


def _refused_form(request, pk, action):
    """The manage page again, with the refused form holding what was typed (and its field errors), never empty."""
    announcement = get_object_or_404(
        Announcement.objects.select_related("round__competition", "prepared_by", "approved_by", "previous"), pk=pk
    )
    context = manage_context(announcement, request.user)
    key, bound = KEPT_FORMS[action]
    if context.get(key) is not None or key in ("return_form", "withdraw_form", "correction_form"):
        form = bound(request.POST, announcement, context)
        form.is_valid()  # its field errors show beside the fields
        context[key] = form
    return render(request, "judging/publication/manage.html", context, status=400)


def _invalid(form):
    errors = [
        f"{form.fields[name].label if name in form.fields else ''}: {e}"
        for name, errs in form.errors.items()
        for e in errs
    ]
    raise JudgingError(" ".join(errors) or _("Periksa isian formulir."))


def _edit(request, announcement):
    form = forms.AnnouncementForm(request.POST, instance=Announcement.objects.get(pk=announcement.pk))
    if not form.is_valid():
        _invalid(form)
    services.update_announcement(
        announcement=announcement, actor=request.user, **{f: form.cleaned_data[f] for f in form.Meta.fields}
    )
    return _("Pengumuman disimpan.")


def _change(request, announcement):
    form = forms.ChangeOutcomeForm(request.POST, rows=list(announcement.rows.all()))
    if not form.is_valid():
        _invalid(form)
    entry = get_object_or_404(Entry, pk=form.cleaned_data["entry"])
    services.change_outcome(
        announcement=announcement,
        entry=entry,
        to_outcome=form.cleaned_data["to_outcome"],
        reason=form.cleaned_data["reason"],
        actor=request.user,
    )
    return _("Perubahan daftar dicatat dengan alasannya.")


def _explain(request, announcement):
    form = forms.DifferenceReasonForm(request.POST, differences=correction_differences(announcement))
    if not form.is_valid():
        _invalid(form)
    entry = get_object_or_404(Entry, pk=form.cleaned_data["entry"])
    services.explain_difference(
        announcement=announcement, entry=entry, reason=form.cleaned_data["reason"], actor=request.user
    )
    return _("Alasan perbedaan dicatat.")


def _submit(request, announcement):
    services.submit_for_approval(announcement=announcement, actor=request.user)
    return _("Pengumuman diajukan; penyelenggara lain perlu menyetujuinya.")


def _approve(request, announcement):
    services.approve_announcement(announcement=announcement, actor=request.user)
    refusal = services.advance_refusal(announcement)
    if refusal:
        messages.warning(request, refusal)
    if is_visible(announcement):
        return _("Pengumuman disetujui dan terbit; sudah tampil di halaman publik.")
    return _("Pengumuman disetujui dan terbit (tampil setelah waktu embargo).")


def _return(request, announcement):
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        _invalid(form)
    services.return_to_draft(announcement=announcement, actor=request.user, reason=form.cleaned_data["reason"])
    return _("Pengumuman dikembalikan ke draf.")


def _withdraw(request, announcement):
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        _invalid(form)
    services.withdraw_announcement(announcement=announcement, actor=request.user, reason=form.cleaned_data["reason"])
    return _("Pengumuman dibatalkan.")


def _correct(request, announcement):
    form = forms.CorrectionForm(request.POST)
    if not form.is_valid():
        _invalid(form)
    correction = services.prepare_correction(
        announcement=announcement,
        actor=request.user,
        correction_note=form.cleaned_data["correction_note"],
        refreeze=form.cleaned_data["refreeze"],
    )
    return _("Draf koreksi (versi %(v)s) disiapkan.") % {"v": correction.version}, correction


def _feedback(request, announcement):
    services.release_feedback(announcement=announcement, actor=request.user)
    return _("Umpan balik anonim dibuka untuk setiap peserta.")


def _advance(request, announcement):
    if announcement.state != AnnouncementState.PUBLISHED:
        raise JudgingError(_("Pengumuman belum terbit."))
    refusal = services.advance_refusal(announcement)
    if refusal:
        raise JudgingError(refusal)
    added, removed = services.advance_selected(announcement=announcement, actor=request.user)
    return _("Babak berikutnya: %(added)s ditambahkan, %(removed)s dikeluarkan.") % {"added": added, "removed": removed}


def _replace(request, announcement):
    entry = get_object_or_404(Entry, pk=request.POST.get("entry"))
    correction = services.replace_withdrawn(announcement=announcement, entry=entry, actor=request.user)
    return _("Draf koreksi penggantian disiapkan; penyelenggara lain perlu menyetujuinya."), correction


# Public --------------------------------------------------------------------------------------------------------


def _visible_or_404(pk):
    return get_object_or_404(
        visible_announcements().select_related("round__competition__organisation", "previous"),
        pk=pk,
    )


def _public_context(request, announcement, bound_objection_form=None):
    """The public page's context. The unbound objection fields come from the cache; a bound form (a refused
    objection, shown again with what was typed) is rendered for this request only."""
    results = results_fragments(announcement)
    now = timezone.now()
    opens, closes = objection_window(announcement)
    chain = version_chain(announcement, among=visible_announcements(now))
    window_open = objection_window_open(announcement, now)
    objection_form = None
    if window_open and bound_objection_form is not None:
        objection_form = render_to_string(
            "judging/publication/public/_objection_fields.html", {"form": bound_objection_form}
        )
    elif window_open:
        anonymous = not request.user.is_authenticated

        def render_form():
            rows = [SimpleNamespace(entry_id=i, entry_code=code, title=title) for i, code, title in results["listed"]]
            form = forms.ObjectionForm(rows=rows, anonymous=anonymous)
            return render_to_string("judging/publication/public/_objection_fields.html", {"form": form})

        # the unbound fields are the same for every visitor of one kind (the csrf token is outside them)
        objection_form = cache.get_or_set(
            results_key(announcement) + (":form-anon" if anonymous else ":form-user"), render_form
        )
    return {
        "announcement": announcement,
        "letterhead": announcement_letterhead(announcement),
        "differences": correction_differences(announcement),
        "results": {"lists": mark_safe(results["lists"]), "summary": mark_safe(results["summary"])},  # noqa: S308
        "chain": chain,
        "latest": chain[-1] if chain else announcement,
        "window_opens": opens,
        "window_closes": closes,
        "window_open": window_open,
        "objection_form": mark_safe(objection_form) if objection_form else None,  # noqa: S308
        "my_objections": list(announcement.objections.filter(filed_by=request.user).select_related("entry"))
        if request.user.is_authenticated
        else [],
    }


def public_announcement(request, pk):
    # Visibility (approval + embargo) is checked first, on every request; only then is the cache read.
    announcement = _visible_or_404(pk)
    return render(request, "judging/publication/public/announcement.html", _public_context(request, announcement))


def public_pdf(request, pk):
    announcement = _visible_or_404(pk)
    selected, reserve = public_rows(announcement)
    response = HttpResponse(announcement_pdf(announcement, selected, reserve), content_type="application/pdf")
    name = "pengumuman-" + announcement.number.replace("/", "-") + f"-v{announcement.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


EXPORT_COLUMNS = ["no", "rank", "entry_code", "title", "agency", "region", "category", "total", "outcome"]


def _export_rows(announcement):
    for row in result_rows(announcement):
        yield ["" if row[column] is None else row[column] for column in RESULT_COLUMNS]


def public_download(request, pk, fmt):
    announcement = _visible_or_404(pk)
    name = "pengumuman-" + announcement.number.replace("/", "-") + f"-v{announcement.version}"
    if fmt == "csv":  # the canonical CSV: its SHA-256 is the fingerprint printed on the page and in the PDF
        response = exports.csv_bytes_response(f"{name}.csv", fingerprint.canonical_bytes(announcement))
    elif fmt == "xlsx":
        rows = chain([EXPORT_COLUMNS], _export_rows(announcement))
        response = exports.xlsx_response(f"{name}.xlsx", rows, title="Pengumuman")
    else:
        raise Http404
    return response


def public_list(request):
    from judging.publication.queries import current_public_announcements

    return render(
        request, "judging/publication/public/list.html", {"announcements": list(current_public_announcements())}
    )


@require_POST
def public_objection(request, pk):
    announcement = _visible_or_404(pk)
    selected, reserve = public_rows(announcement)
    anonymous = not request.user.is_authenticated
    form = forms.ObjectionForm(request.POST, rows=selected + reserve, anonymous=anonymous)
    if not form.is_valid():
        opens, closes = objection_window(announcement)
        if not objection_window_open(announcement):
            messages.error(
                request,
                _("Masa sanggah sudah ditutup pada %(closes)s WITA; sanggahan tidak dapat diajukan lagi.")
                % {"closes": timezone.localtime(closes).strftime("%d-%m-%Y %H:%M")},
            )
        else:
            messages.error(request, _("Periksa isian sanggahan: proposal, alasan, nama dan email wajib diisi."))
        return redirect("judging:public_announcement", pk=announcement.pk)
    entry = get_object_or_404(Entry, pk=form.cleaned_data["entry"])
    try:
        services.file_objection(
            announcement=announcement,
            entry=entry,
            reason=form.cleaned_data["reason"],
            user=request.user if request.user.is_authenticated else None,
            name=form.cleaned_data.get("name", ""),
            email=form.cleaned_data.get("email", ""),
            client_address=client_ip(request),
        )
    except services.ObjectionRateLimited as error:
        # 429 with the page and the form as typed (a redirect would lose the text)
        context = _public_context(request, announcement, bound_objection_form=form)
        context["objection_refusal"] = error_text(error)
        response = render(request, "judging/publication/public/announcement.html", context, status=429)
        if error.retry_after:
            response["Retry-After"] = str(error.retry_after)
        return response
    except JudgingError as error:
        add_message(request, error)
    else:
        messages.success(
            request, _("Sanggahan diterima. Jawaban penyelenggara dikirim ke email Anda dan tampil di halaman ini.")
        )
    return redirect("judging:public_announcement", pk=announcement.pk)
