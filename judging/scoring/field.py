"""Field verification (verifikasi lapangan): per entry of a field round, a checklist of things verified on site
(yes/no, note, photo). The rubric score is a normal score sheet of the round (judges assigned like any round).
Photos go through entries.uploads (re-encoded, no EXIF/GPS) and are served only to organisers and the entry's
assigned judges."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from entries.enums import AttachmentKind
from entries.models import Entry
from entries.uploads import clean_upload
from judging.models import Assignment, FieldCheck, Round, RoundEntry
from judging.publication.views import _error_text, _refuse
from judging.scoring.enums import RoundKind
from judging.scoring.permissions import is_judge, is_organiser
from judging.scoring.queries import recused_q
from judging.scoring.services import JudgingError
from kipp.services import record_event

DEFAULT_ITEMS = [
    "Layanan inovasi berjalan di lokasi sesuai proposal",
    "Data dampak dapat ditunjukkan (dokumen sumber)",
    "Pengguna layanan membenarkan manfaatnya (wawancara)",
    "Dasar hukum / SK inovasi tersedia",
]


def assignment_for(user, round_, entry):
    """The user's own assignment for the entry in the round, without a conflict, or None."""
    if not is_judge(user):
        return None
    return (
        Assignment.objects.filter(round=round_, entry=entry, judge=user)
        .annotate(recused=recused_q())
        .filter(recused=False)
        .first()
    )


def can_check(user, round_, entry):
    return is_organiser(user) or assignment_for(user, round_, entry) is not None


@transaction.atomic
def ensure_items(*, round_, entry):
    if not FieldCheck.objects.filter(round=round_, entry=entry).exists():
        FieldCheck.objects.bulk_create(
            [FieldCheck(round=round_, entry=entry, item=item, order=i) for i, item in enumerate(DEFAULT_ITEMS, 1)],
            ignore_conflicts=True,
        )


def add_item(*, round_, entry, item, actor):
    if not can_check(actor, round_, entry):
        raise JudgingError(_("Anda tidak ditugaskan memverifikasi proposal ini."))
    item = (item or "").strip()
    if not item:
        raise JudgingError(_("Tuliskan hal yang diperiksa."))
    with transaction.atomic():
        order = FieldCheck.objects.filter(round=round_, entry=entry).count() + 1
        check, created = FieldCheck.objects.get_or_create(
            round=round_, entry=entry, item=item[:200], defaults={"order": order}
        )
        if not created:
            raise JudgingError(_("Butir ini sudah ada."))
        record_event(actor=actor, action="field.item_added", obj=entry, details={"round": round_.slug, "item": item})
    return check


def record_check(*, check, actor, verified, note="", photo=None):
    """verified: True / False / None (not checked yet). A photo is cleaned like entry photos."""
    if not can_check(actor, check.round, check.entry):
        raise JudgingError(_("Anda tidak ditugaskan memverifikasi proposal ini."))
    if check.round.state != "open":
        raise JudgingError(_("Babak verifikasi lapangan tidak sedang dibuka."))
    clean = None
    if photo is not None:
        try:
            clean = clean_upload(AttachmentKind.PHOTO, photo)
        except ValidationError as error:
            raise JudgingError(" ".join(error.messages)) from error
    with transaction.atomic():
        check = FieldCheck.objects.select_for_update().get(pk=check.pk)
        check.verified = verified
        check.note = (note or "").strip()[:2000]
        check.checked_by = actor
        check.checked_at = timezone.now()
        if clean is not None:
            check.photo.save(clean.stored_name(), ContentFile(clean.content), save=False)
        check.save()
        record_event(
            actor=actor,
            action="field.checked",
            obj=check.entry,
            details={"round": check.round.slug, "item": check.item, "verified": verified, "photo": clean is not None},
        )
    return check


# Views -----------------------------------------------------------------------------------------------------------


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
    if not (is_organiser(user) or is_judge(user)):
        return _refuse(request, _("Halaman ini untuk penyelenggara dan tim verifikasi."))
    entries = RoundEntry.objects.filter(round=round_).select_related("entry__agency__region")
    if not is_organiser(user):
        mine = Assignment.objects.filter(round=round_, judge=user).annotate(recused=recused_q()).filter(recused=False)
        entries = entries.filter(entry_id__in=mine.values("entry_id"))
    entries = entries.annotate(
        items=Count("entry__field_checks", filter=Q(entry__field_checks__round=round_)),
        done=Count(
            "entry__field_checks",
            filter=Q(entry__field_checks__round=round_, entry__field_checks__verified__isnull=False),
        ),
    ).order_by("position", "entry__code")
    return render(request, "judging/scoring/field_index.html", {"round": round_, "entries": list(entries)})


@login_required
def field_entry(request, competition, round_slug, pk):
    round_ = _field_round(competition, round_slug)
    entry = get_object_or_404(Entry.objects.select_related("agency__region"), pk=pk, round_entries__round=round_)
    if not can_check(request.user, round_, entry):
        return _refuse(request, _("Anda tidak ditugaskan memverifikasi proposal ini."))
    ensure_items(round_=round_, entry=entry)
    if request.method == "POST":
        try:
            if request.POST.get("new_item"):
                add_item(round_=round_, entry=entry, item=request.POST["new_item"], actor=request.user)
            else:
                check = get_object_or_404(FieldCheck, pk=request.POST.get("check"), round=round_, entry=entry)
                verified = {"yes": True, "no": False}.get(request.POST.get("verified"))
                record_check(
                    check=check,
                    actor=request.user,
                    verified=verified,
                    note=request.POST.get("note", ""),
                    photo=request.FILES.get("photo"),
                )
        except JudgingError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Tersimpan."))
        return redirect("judging:field_entry", competition=competition, round_slug=round_slug, pk=entry.pk)
    checks = list(FieldCheck.objects.filter(round=round_, entry=entry).select_related("checked_by"))
    return render(
        request,
        "judging/scoring/field_entry.html",
        {"round": round_, "entry": entry, "checks": checks, "assignment": assignment_for(request.user, round_, entry)},
    )


@login_required
def field_photo(request, pk):
    check = get_object_or_404(FieldCheck.objects.select_related("round", "entry"), pk=pk)
    if not check.photo or not can_check(request.user, check.round, check.entry):
        raise Http404
    try:
        handle = default_storage.open(check.photo.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, content_type=mimetypes.guess_type(check.photo.name)[0] or "image/jpeg")
