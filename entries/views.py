"""Thin function views: load through a permission helper, call a service, redirect with a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from entries import exports, permissions, services
from entries.enums import EntryStatus
from entries.forms import (
    AttachmentForm,
    BulkDecisionForm,
    CreateEntryForm,
    DecisionForm,
    EntryFilterForm,
    ExtendDeadlineForm,
    ForwardForm,
    IndicatorFormSet,
    PastWinnerDecisionForm,
    ProfileForm,
    ReturnForm,
    SectionsForm,
    TeamFormSet,
    formset_rows,
)
from entries.models import Attachment, Entry
from entries.queries import (
    agency_entries,
    annotate_checks,
    entry_deadline,
    entry_display_data,
    organiser_entries,
    past_winner_checks,
    selection_queue,
    submission_problems,
    verifier_handled,
    verifier_queue,
    with_checks,
)
from entries.services import INDICATOR_FIELDS, TEAM_FIELDS
from kipp import idempotency
from kipp.errors import add_message
from kipp.files import private_file_response
from kipp.hooks import collect_sections
from kipp.models import Competition
from kipp.permissions import is_pending_member
from kipp.queries import open_competitions
from kipp.services_accounts import pending_membership_message

PAGE_SIZE = 50


def _entry_for(request, pk, predicate=permissions.can_view_entry):
    entry = get_object_or_404(Entry.objects.select_related("competition", "agency__region", "category"), pk=pk)
    if not permissions.can_view_entry(request.user, entry):
        if is_pending_member(request.user) and request.user.agency_id == entry.agency_id:
            # their own agency's entry: say why they cannot open it yet, and who can confirm them
            raise PermissionDenied(pending_membership_message(request.user))
        raise Http404  # do not reveal that the entry exists
    if not predicate(request.user, entry):
        raise PermissionDenied
    return entry


def _form_errors(request, form):
    """A form that does not fit on the page it was posted from: its errors as messages on the next page."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _call(request, service, **arguments):
    """Run a service for the person asking. Its refusal (ValidationError, PermissionDenied) becomes a message on the
    next page and the call returns None; every service called this way returns an object on success."""
    try:
        return service(user=request.user, request=request, **arguments)
    except (ValidationError, PermissionDenied) as error:
        add_message(request, error)
        return None


def _require(predicate, user):
    if not predicate(user):
        raise PermissionDenied


# Innovator ------------------------------------------------------------------------------------------


@login_required
def my_entries(request):
    _require(permissions.can_create_entry, request.user)
    entries = list(agency_entries(request.user))
    return render(
        request,
        "entries/my_entries.html",
        {"entries": entries, "competitions": list(open_competitions())},
    )


@login_required
def entry_create(request, slug):
    _require(permissions.can_create_entry, request.user)
    competition = get_object_or_404(Competition, slug=slug)
    form = CreateEntryForm(request.POST or None, competition=competition)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = _call(
            request,
            services.create_entry,
            competition=competition,
            title=data["title"],
            group=data["group"],
            category=data["category"],
        )
        if entry is not None:
            messages.success(request, _("Draf %(code)s dibuat. Lengkapi proposal Anda.") % {"code": entry.code})
            return redirect("entries:edit", entry.pk)
    return render(request, "entries/create.html", {"form": form, "competition": competition})


def _edit_forms(entry, data=None):
    sections = entry.competition.sections.all()
    answers = {a.section_id: a.text for a in entry.answers.all()}
    team_initial = [{f: getattr(m, f) for f in TEAM_FIELDS} for m in entry.team_members.all()]
    indicator_initial = [{f: getattr(i, f) for f in INDICATOR_FIELDS} for i in entry.indicators.all()]
    return {
        "profile_form": ProfileForm(data, instance=entry, prefix="profile"),
        "sections_form": SectionsForm(data, sections=sections, answers=answers, prefix="answers"),
        "team_formset": TeamFormSet(data, initial=team_initial or None, prefix="team"),
        "indicator_formset": IndicatorFormSet(data, initial=indicator_initial or None, prefix="indicators"),
    }


def _draft(forms):
    """save_draft's keyword arguments from the valid edit forms (every saved row kept unless ticked "Hapus")."""
    return {
        "profile": forms["profile_form"].profile(),
        "answers": forms["sections_form"].answers(),
        "team": formset_rows(forms["team_formset"], TEAM_FIELDS),
        "indicators": formset_rows(forms["indicator_formset"], INDICATOR_FIELDS),
    }


def _save_edit(request, entry, forms, version, attachment_form):
    """The edit page's one form: save the draft, with the chosen file or the attachment to remove. Returns the
    success message, or raises ValidationError / PermissionDenied with nothing written. The same form sent again
    after it was stored (its answer lost) is told so and changes nothing."""
    draft = {
        "entry": entry,
        "user": request.user,
        "version": version,
        "request": request,
        "form_key": request.POST.get(idempotency.FIELD, ""),
        **_draft(forms),
    }
    if attachment_form is not None:
        data = attachment_form.cleaned_data
        saved = services.save_draft_with_attachment(kind=data["kind"], uploaded=data["file"], **draft)
        success = _("Draf tersimpan. Lampiran diunggah.")
    elif (remove := request.POST.get("remove_attachment", "")).isascii() and remove.isdigit():
        attachment = get_object_or_404(Attachment, pk=int(remove), entry=entry)
        saved = services.save_draft_with_attachment(remove=attachment, **draft)
        success = _("Draf tersimpan. Lampiran dihapus.")
    else:
        saved = services.save_draft(**draft)
        success = _("Draf tersimpan.")
    if idempotency.already_saved(saved):
        return _("Sudah tersimpan: formulir ini sudah disimpan sebelumnya; pengiriman ulang tidak mengubah apa pun.")
    return success


def _attachment_form(request):
    """The upload part of the edit form: bound when "Unggah" was pressed or a file was chosen, else None."""
    if "upload" not in request.POST and not request.FILES.get("file"):
        return None
    return AttachmentForm(request.POST, request.FILES)


@login_required
def entry_edit(request, pk):
    entry = _entry_for(request, pk)
    if not permissions.can_edit_entry(request.user, entry):
        messages.error(request, services.edit_refusal(request.user, entry))
        return redirect("entries:detail", entry.pk)
    forms = _edit_forms(entry, request.POST if request.method == "POST" else None)
    version = entry.version
    form_key = idempotency.new_key()
    attachment_form = AttachmentForm()
    if request.method == "POST":
        version = request.POST.get("version", "")
        form_key = idempotency.clean_key(request.POST.get(idempotency.FIELD)) or form_key
        upload = _attachment_form(request)
        if upload is not None:
            attachment_form = upload
        if (
            all(f.is_valid() for f in forms.values())
            and version.isascii()
            and version.isdigit()
            and (upload is None or upload.is_valid())
        ):
            try:
                success = _save_edit(request, entry, forms, int(version), upload)
            except services.StaleEntryError as error:
                add_message(request, error)
                version = Entry.objects.values_list("version", flat=True).get(pk=entry.pk)
                form_key = idempotency.new_key()  # the form now rests on the latest version: a new form
            except (ValidationError, PermissionDenied) as error:
                add_message(request, error)
                messages.error(request, _("Belum ada yang tersimpan; isian Anda masih ada di formulir."))
            else:
                messages.success(request, success)
                if "submit" in request.POST:
                    return redirect("entries:submit", entry.pk)
                return redirect("entries:edit", entry.pk)
        else:
            messages.error(request, _("Draf belum tersimpan: periksa isian yang ditandai."))
    context = {
        "entry": entry,
        "version": version,
        "form_key": form_key,
        "attachment_form": attachment_form,
        "attachments": list(entry.attachments.all()),
        "missing": submission_problems(entry),
        "deadline": entry_deadline(entry),
        "last_return": entry.status_changes.filter(to_status=EntryStatus.RETURNED).order_by("-created_at").first(),
        **forms,
    }
    return render(request, "entries/edit.html", context)


@login_required
@require_POST
def attachment_add(request, pk):
    entry = _entry_for(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        if _call(request, services.add_attachment, entry=entry, kind=data["kind"], uploaded=data["file"]):
            messages.success(request, _("Lampiran diunggah."))
    else:
        _form_errors(request, form)
    return redirect("entries:edit", entry.pk)


@login_required
@require_POST
def attachment_remove(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("entry__agency__region"), pk=pk)
    entry = attachment.entry
    if not permissions.can_view_entry(request.user, entry):
        raise Http404
    if _call(request, services.remove_attachment, attachment=attachment):
        messages.success(request, _("Lampiran dihapus."))
    return redirect("entries:edit", entry.pk)


@login_required
def entry_submit(request, pk):
    entry = _entry_for(request, pk)
    if request.method != "POST" and not permissions.can_submit_entry(request.user, entry):
        messages.error(request, services.edit_refusal(request.user, entry))
        return redirect("entries:detail", entry.pk)
    status = 200
    if request.method == "POST":
        # the service checks who may submit, after it has recognised a retry of a submit that was stored
        try:
            submitted = services.submit_entry(
                entry=entry, user=request.user, request=request, form_key=request.POST.get(idempotency.FIELD, "")
            )
        except PermissionDenied as error:
            add_message(request, error)
            return redirect("entries:detail", entry.pk)
        except ValidationError as error:
            problems = getattr(error, "messages", [str(error)])
            status = 409 if isinstance(error, services.StaleEntryError) else 422
        else:
            if idempotency.already_saved(submitted):
                message = _("Sudah tersimpan: proposal %(code)s sudah diajukan sebelumnya; tidak ada yang berubah.")
            else:
                message = _("Proposal %(code)s telah diajukan.")
            messages.success(request, message % {"code": entry.code})
            return redirect("entries:detail", entry.pk)
    else:
        problems = submission_problems(entry)
        deadline = entry_deadline(entry)
        if timezone.now() >= deadline:
            problems.insert(
                0, _("Batas waktu pengajuan telah lewat: %(deadline)s.") % {"deadline": services.format_wita(deadline)}
            )
    return render(
        request,
        "entries/submit.html",
        {"entry": entry, "problems": problems, "deadline": entry_deadline(entry), "form_key": idempotency.new_key()},
        status=status,
    )


@login_required
@require_POST
def entry_withdraw(request, pk):
    entry = _entry_for(request, pk)
    if _call(request, services.withdraw_entry, entry=entry, note=request.POST.get("note", "")):
        messages.success(request, _("Proposal ditarik."))
    return redirect("entries:detail", entry.pk)


# Reading --------------------------------------------------------------------------------------------


@login_required
def entry_detail(request, pk):
    entry = _entry_for(request, pk)
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
        "show_checks": permissions.can_see_checks(user),
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
    entry = _entry_for(request, pk)
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


# Regional verifier ----------------------------------------------------------------------------------


@login_required
def verify_queue(request):
    _require(permissions.can_use_verifier_queue, request.user)
    queue = with_checks(verifier_queue(request.user))
    handled = list(verifier_handled(request.user)[:PAGE_SIZE])
    return render(request, "entries/verify_queue.html", {"queue": queue, "handled": handled})


@login_required
@require_POST
def entry_verify(request, pk):
    entry = _entry_for(request, pk)
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
def selection(request):
    _require(permissions.is_organiser, request.user)
    queryset = selection_queue()
    form = BulkDecisionForm(request.POST or None, queryset=Entry.objects.filter(status=EntryStatus.FORWARDED))
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            decided = _call(
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
            _form_errors(request, form)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "entries/selection.html", {"page": page, "entries": with_checks(page.object_list), "form": form}
    )


@login_required
@require_POST
def entry_decide(request, pk):
    entry = _entry_for(request, pk, lambda user, _entry: permissions.is_organiser(user))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("entries:detail", entry.pk)
    data = form.cleaned_data
    decided = _call(
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
    entry = _entry_for(request, pk, lambda user, _entry: permissions.is_organiser(user))
    form = PastWinnerDecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("entries:detail", entry.pk)
    checked = past_winner_checks(list(Entry.objects.filter(pk=entry.pk).select_related("competition")))
    decided = _call(
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
def organiser_list(request):
    _require(permissions.is_organiser, request.user)
    form = EntryFilterForm(request.GET or None)
    queryset = organiser_entries(**form.filters())
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
    entry = _entry_for(request, pk, lambda user, _entry: permissions.is_organiser(user))
    form = ExtendDeadlineForm(request.POST or None, initial={"deadline": services.default_extension_deadline()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _call(request, services.extend_deadline, entry=entry, deadline=data["deadline"], reason=data["reason"]):
            messages.success(request, _("Batas waktu %(code)s diperpanjang.") % {"code": entry.code})
            return redirect("entries:detail", entry.pk)
    extensions = entry.deadline_extensions.select_related("granted_by")
    return render(
        request,
        "entries/extend_deadline.html",
        {"entry": entry, "form": form, "deadline": entry_deadline(entry), "extensions": extensions},
    )
