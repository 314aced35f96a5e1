"""Field verification checklists: the default items of an entry, adding an item, recording a check (yes/no, note,
photo). The rubric score is a normal score sheet of the round (judges assigned like any round). Photos go through
entries.uploads (re-encoded, no EXIF/GPS)."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entries.enums import AttachmentKind
from entries.uploads import clean_upload
from judging.models import FieldCheck, Round
from judging.scoring.field.permissions import can_check
from judging.scoring.services import JudgingError
from judging.scoring.services.errors import CLOSED_STATES, require_round_not_closed
from kipp import idempotency
from kipp.files import save_files_or_none
from kipp.services import record_event

DEFAULT_ITEMS = [
    "Layanan inovasi berjalan di lokasi sesuai proposal",
    "Data dampak dapat ditunjukkan (dokumen sumber)",
    "Pengguna layanan membenarkan manfaatnya (wawancara)",
    "Dasar hukum / SK inovasi tersedia",
]


@transaction.atomic
def ensure_items(*, round_, entry):
    """The default checklist of an entry, written the first time its page opens (never in a closed round)."""
    if round_.state in CLOSED_STATES:
        return
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
        require_round_not_closed(Round.objects.select_for_update().get(pk=round_.pk))
        order = FieldCheck.objects.filter(round=round_, entry=entry).count() + 1
        check, created = FieldCheck.objects.get_or_create(
            round=round_, entry=entry, item=item[:200], defaults={"order": order}
        )
        if not created:
            raise JudgingError(_("Butir ini sudah ada."))
        record_event(actor=actor, action="field.item_added", obj=entry, details={"round": round_.slug, "item": item})
    return check


def _photo_digest(photo):
    if photo is None:
        return ""
    digest = hashlib.sha256()
    for chunk in photo.chunks():
        digest.update(chunk)
    photo.seek(0)
    return digest.hexdigest()


def record_check(*, check, actor, verified, note="", photo=None, form_key=""):
    """verified: True / False / None (not checked yet). A photo is cleaned like entry photos. `form_key` is the
    sending's idempotency key (kipp/idempotency.py; a checklist answer queued on a device offline): the same
    sending again (same key, answer, note and photo bytes) is stored once and returned marked `already_saved`.
    A check has no version: the last answer stored wins, as it always has."""
    if not can_check(actor, check.round, check.entry):
        raise JudgingError(_("Anda tidak ditugaskan memverifikasi proposal ini."))
    require_round_not_closed(check.round)
    if check.round.state != "open":
        raise JudgingError(_("Babak verifikasi lapangan tidak sedang dibuka."))
    clean = None
    if photo is not None:
        try:
            clean = clean_upload(AttachmentKind.PHOTO, photo)
        except ValidationError as error:
            raise JudgingError(" ".join(error.messages)) from error
    with save_files_or_none() as files, transaction.atomic():
        require_round_not_closed(Round.objects.select_for_update().get(pk=check.round_id))
        check = FieldCheck.objects.select_for_update().get(pk=check.pk)
        sending = idempotency.Sending(
            key=form_key,
            user=actor,
            ref=f"judging.fieldcheck:{check.pk}",
            action="field.check",
            content=[verified, (note or "").strip()[:2000], _photo_digest(photo)],
        )
        retry = sending.recognise(0)
        if retry is idempotency.Retry.RETRY:
            return idempotency.mark(check, retry)
        if retry is idempotency.Retry.OVERTAKEN:  # an older answer of this form after its later one: not again
            check.already_saved = True
            return check
        check.verified = verified
        check.note = (note or "").strip()[:2000]
        check.checked_by = actor
        check.checked_at = timezone.now()
        if clean is not None:
            replaced = check.photo.name
            files.save(check.photo, clean.stored_name(), clean.content)
            if replaced:  # the photo it replaces goes once the new one is stored
                transaction.on_commit(lambda: default_storage.delete(replaced))
        check.save()
        sending.record(0)
        record_event(
            actor=actor,
            action="field.checked",
            obj=check.entry,
            details={"round": check.round.slug, "item": check.item, "verified": verified, "photo": clean is not None},
        )
    return check
