"""The innovator's pages: their entries, creating, editing (sections, team, indicators, files), submitting,
withdrawing, printing, and the files of an entry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entries import permissions, services
from entries.enums import EntryStatus
from entries.forms import (
    AttachmentForm,
    CreateEntryForm,
    IndicatorFormSet,
    ProfileForm,
    SectionsForm,
    TeamFormSet,
    formset_rows,
)
from entries.models import Attachment, Entry
from entries.queries import (
    agency_entries,
    entry_deadline,
    submission_problems,
)
from entries.services import INDICATOR_FIELDS, TEAM_FIELDS
from entries.views.common import call_service, entry_for, form_errors, require
from kipp import idempotency
from kipp.errors import add_message
from kipp.models import Competition
from kipp.queries import open_competitions

# Innovator ------------------------------------------------------------------------------------------


@login_required
def my_entries(request):
    require(permissions.can_create_entry, request.user)
    entries = list(agency_entries(request.user))
    return render(
        request,
        "entries/my_entries.html",
        {"entries": entries, "competitions": list(open_competitions())},
    )


@login_required
def entry_create(request, slug):
    require(permissions.can_create_entry, request.user)
    competition = get_object_or_404(Competition, slug=slug)
    form = CreateEntryForm(request.POST or None, competition=competition)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = call_service(
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


def _only_an_area_search(forms):
    """The form came back only because its location search shows matches to choose from (nothing else is wrong):
    a search, not a failed save."""
    profile = forms["profile_form"]
    others = [form for name, form in forms.items() if name != "profile_form"]
    others_wrong = any(f.total_error_count() if hasattr(f, "total_error_count") else f.errors for f in others)
    return profile.area_searched and set(profile.errors) == {"area"} and not others_wrong


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
    entry = entry_for(request, pk)
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
        elif _only_an_area_search(forms):
            messages.info(request, _("Hasil pencarian wilayah ada di bawah: pilih salah satu, lalu simpan draf."))
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
    entry = entry_for(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        if call_service(request, services.add_attachment, entry=entry, kind=data["kind"], uploaded=data["file"]):
            messages.success(request, _("Lampiran diunggah."))
    else:
        form_errors(request, form)
    return redirect("entries:edit", entry.pk)


@login_required
@require_POST
def attachment_remove(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("entry__agency__region"), pk=pk)
    entry = attachment.entry
    if not permissions.can_view_entry(request.user, entry):
        raise Http404
    if call_service(request, services.remove_attachment, attachment=attachment):
        messages.success(request, _("Lampiran dihapus."))
    return redirect("entries:edit", entry.pk)


@login_required
def entry_submit(request, pk):
    entry = entry_for(request, pk)
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
    entry = entry_for(request, pk)
    if call_service(request, services.withdraw_entry, entry=entry, note=request.POST.get("note", "")):
        messages.success(request, _("Proposal ditarik."))
    return redirect("entries:detail", entry.pk)
