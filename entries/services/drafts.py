"""The innovator's side of an entry: creating it, saving drafts, attachments, submitting and withdrawing."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from entries import permissions
from entries.enums import EDITABLE_STATUSES, QUOTA_STATUSES, AttachmentKind, EntryStatus
from entries.models import (
    INDICATOR_VALUE_FIELDS,
    Attachment,
    Entry,
    ImpactIndicator,
    ProposalAnswer,
    StatusChange,
    TeamMember,
    indicator_value_problems,
)
from entries.notifications import format_wita, notify
from entries.services.retries import StaleEntryError, entry_sending
from entries.uploads import clean_data, read_upload
from kipp import idempotency, limits
from kipp.areas.queries import districts_within
from kipp.errors import Invalid, Refused
from kipp.files import save_files_or_none
from kipp.models import Competition, User
from kipp.services import record_event
from kipp.services_accounts import pending_membership_message
from kipp.text import count_words

PROFILE_FIELDS = (
    "title",
    "short_name",
    "category",
    "group",
    "stage",
    "district",
    "village",
    "started_on",
    "is_digital",
    "video_url",
    "supporting_agencies",
)
TEAM_FIELDS = ("name", "position", "contact")
INDICATOR_FIELDS = (
    "name",
    "kind",
    "unit",
    "direction",
    "baseline_value",
    "baseline_on",
    "latest_value",
    "latest_on",
    "source",
)


def _lock_entry(entry):
    return (
        Entry.objects.select_for_update(of=("self",)).select_related("competition", "agency__region").get(pk=entry.pk)
    )


def _set_status(entry, *, to_status, actor, note="", reason="", now=None):
    change = StatusChange.objects.create(
        entry=entry,
        from_status=entry.status,
        to_status=to_status,
        actor=actor,
        note=note,
        reason=reason,
        created_at=now or timezone.now(),
    )
    entry.status = to_status
    entry.version += 1
    return change


# Creating and editing -------------------------------------------------------------------------------


def next_entry_code(competition):
    """The next free public code, e.g. SULSEL-2027-001. Call with the competition row locked."""
    prefix = f"{competition.code_prefix}-"
    numbers = [
        int(code[len(prefix) :])
        for code in Entry.objects.filter(competition=competition, code__startswith=prefix).values_list(
            "code", flat=True
        )
        if code[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def create_entry(*, user, competition, title, group="", category=None, now=None, request=None):
    now = now or timezone.now()
    if not permissions.can_create_entry(user):
        raise PermissionDenied(_("Hanya inovator yang terdaftar pada sebuah instansi dapat membuat proposal."))
    title = (title or "").strip()
    if not title:
        raise Invalid(_("Judul inovasi wajib diisi."))
    if category is not None and category.competition_id != competition.pk:
        raise Invalid(_("Kategori tidak termasuk kompetisi ini."))
    with transaction.atomic():
        competition = Competition.objects.select_for_update().get(pk=competition.pk)  # serialises the codes
        if not competition.is_open(now):
            raise Refused(_("Pendaftaran kompetisi ini tidak sedang dibuka."))
        if group and competition.groups and group not in competition.groups:
            raise Invalid(_("Kelompok tidak tersedia pada kompetisi ini."))
        _check_draft_limit(user, competition)
        entry = Entry.objects.create(
            competition=competition,
            agency=user.agency,
            created_by=user,
            code=next_entry_code(competition),
            title=title,
            group=group or (competition.groups[0] if competition.groups else "umum"),
            category=category,
        )
        StatusChange.objects.create(entry=entry, from_status="", to_status=EntryStatus.DRAFT, actor=user)
        record_event(actor=user, action="entries.create", obj=entry, details={"code": entry.code}, request=request)
    return entry


def _check_draft_limit(user, competition):
    """At most settings.ENTRY_MAX_DRAFTS_PER_PERSON entries started by one person in one competition (withdrawn ones
    count too: withdrawing a draft keeps it and its files). Call with the competition row locked: that serialises
    every creation in the competition, so two simultaneous requests cannot both take the last place."""
    limit = settings.ENTRY_MAX_DRAFTS_PER_PERSON
    started = Entry.objects.filter(competition=competition, created_by=user).count()
    if limit > 0 and started >= limit:
        raise Refused(
            _(
                "Anda sudah memulai %(count)s proposal pada kompetisi ini; batasnya %(limit)s per orang. Lanjutkan "
                "salah satu draf Anda di halaman “Proposal saya”."
            )
            % {"count": started, "limit": limit}
        )


def save_draft(
    *,
    entry,
    user,
    version,
    profile=None,
    answers=None,
    team=None,
    indicators=None,
    request=None,
    form_key="",
    sent_with=None,
):
    """Save what the innovator typed, complete or not.

    profile: {field: value} for PROFILE_FIELDS; answers: {section_id: text}; team / indicators: lists of dicts
    that replace the current rows (None leaves them alone). `version` is the Entry.version the form was opened
    with: if someone saved meanwhile, StaleEntryError is raised and nothing is written. `form_key` is the form's
    idempotency key and `sent_with` what else the form sent (an upload): the same form sent again after it was
    stored returns the entry marked `already_saved`, with nothing written (kipp/idempotency.py).
    """
    profile = profile or {}
    with transaction.atomic():
        entry = _lock_entry(entry)
        if not permissions.can_edit_entry(user, entry):
            raise PermissionDenied(edit_refusal(user, entry))
        content = [profile, answers, team, indicators, sent_with]
        sending, retry = entry_sending(
            entry=entry, user=user, form_key=form_key, action="entries.save_draft", content=content
        )
        if retry is idempotency.Retry.RETRY:
            return idempotency.mark(entry, retry)
        if retry is idempotency.Retry.CONTINUES:
            version = entry.version  # this very form wrote the current version: it goes on from there
        if int(version) != entry.version:
            raise StaleEntryError(
                _(
                    "Orang lain telah menyimpan proposal ini sementara Anda mengedit. Isian Anda belum disimpan dan "
                    "masih ada di formulir: bandingkan dengan versi terbaru, lalu simpan lagi."
                ),
                code="stale",
            )
        new_indicators = [
            ImpactIndicator(entry=entry, order=i, **{f: row.get(f) for f in INDICATOR_FIELDS if f in row})
            for i, row in enumerate(indicators or [])
        ]
        problems = _draft_problems(entry, profile, answers or {}, new_indicators)
        if problems:
            raise Invalid(problems)
        for field in PROFILE_FIELDS:
            if field in profile:
                value = profile[field]
                setattr(entry, field, value.strip() if isinstance(value, str) else value)
        if profile.get("district") is not None:
            entry.kecamatan = entry.desa = ""  # a chosen area replaces the text typed before the areas were loaded
        entry.version += 1
        entry.save()
        _save_answers(entry, answers or {})
        _replace_rows(entry, team, new_indicators if indicators is not None else None)
        record_event(
            actor=user, action="entries.save_draft", obj=entry, details={"version": entry.version}, request=request
        )
        sending.record(entry.version)
    return idempotency.mark(entry, retry)


def _draft_problems(entry, profile, answers, new_indicators):
    """What stops a draft from being saved at all (not what stops it from being submitted): a list of messages."""
    sections = {s.pk: s for s in entry.competition.sections.all()}
    problems = []
    for section_id, text in answers.items():
        section = sections.get(int(section_id))
        if section is None:
            raise Invalid(_("Bagian proposal tidak termasuk kompetisi ini."))
        words = count_words(text)
        if section.word_limit and words > section.word_limit:
            problems.append(
                _("%(section)s: %(words)d kata, batasnya %(limit)d kata.")
                % {"section": section.title, "words": words, "limit": section.word_limit}
            )
    if profile.get("category") is not None and profile["category"].competition_id != entry.competition_id:
        problems.append(_("Kategori tidak termasuk kompetisi ini."))
    if "title" in profile and not (profile["title"] or "").strip():
        problems.append(_("Judul inovasi wajib diisi."))
    problems.extend(_area_problems(entry, profile.get("district"), profile.get("village")))
    for indicator in new_indicators:
        for message in indicator_value_problems(
            indicator.kind, {f: getattr(indicator, f) for f in INDICATOR_VALUE_FIELDS}
        ).values():
            problems.append(f"{indicator.name}: {message}")
    return problems


def _area_problems(entry, district, village):
    """The location: a village of the chosen kecamatan, a kecamatan of the agency's region (also a DB check and
    trigger: entries migration 0008_entry_area)."""
    if village is not None and (district is None or village.district_id != district.pk):
        return [_("Desa/kelurahan yang dipilih tidak termasuk kecamatan yang dipilih.")]
    region = entry.agency.region
    if district is not None and not districts_within(region).filter(pk=district.pk).exists():
        return [_("Kecamatan yang dipilih tidak termasuk %(region)s.") % {"region": region.full_name}]
    return []


def _replace_rows(entry, team, indicators):
    """The team and the indicators as the form sent them (None leaves that list alone)."""
    if team is not None:
        entry.team_members.all().delete()
        TeamMember.objects.bulk_create(
            TeamMember(entry=entry, order=i, **{f: row.get(f) or "" for f in TEAM_FIELDS}) for i, row in enumerate(team)
        )
    if indicators is not None:
        entry.indicators.all().delete()
        ImpactIndicator.objects.bulk_create(indicators)


def save_draft_with_attachment(*, entry, user, version, kind=None, uploaded=None, remove=None, request=None, **draft):
    """Save the draft and, with it, add one attachment (kind, uploaded) or remove one (remove=Attachment): the
    edit page's "Unggah" and "Hapus". Both or neither, so a failed upload leaves the entry as it was, and an
    upload never discards what was typed beside it. `draft` takes save_draft's profile / answers / team /
    indicators and form_key; a retry of a stored sending adds or removes nothing again."""
    sent_with = {
        "upload": [kind, uploaded.name, uploaded.size] if uploaded is not None else None,
        "remove": remove.pk if remove is not None else None,
    }
    with save_files_or_none(), transaction.atomic():  # the upload's files go when anything after it fails
        entry = save_draft(entry=entry, user=user, version=version, request=request, sent_with=sent_with, **draft)
        if idempotency.already_saved(entry):
            return entry
        if uploaded is not None:
            add_attachment(entry=entry, user=user, kind=kind, uploaded=uploaded, request=request)
        if remove is not None:
            remove_attachment(attachment=remove, user=user, request=request)
    return entry


def _save_answers(entry, answers):
    existing = {a.section_id: a for a in entry.answers.all()}
    new, changed = [], []
    for section_id, text in answers.items():
        section_id = int(section_id)
        text = text or ""
        if section_id in existing:
            if existing[section_id].text != text:
                existing[section_id].text = text
                changed.append(existing[section_id])
        else:
            new.append(ProposalAnswer(entry=entry, section_id=section_id, text=text))
    ProposalAnswer.objects.bulk_create(new)
    if changed:
        ProposalAnswer.objects.bulk_update(changed, ["text", "updated_at"])


def edit_refusal(user, entry):
    if permissions.is_pending_author(user, entry) and entry.status in EDITABLE_STATUSES:
        return pending_membership_message(user)
    if not permissions.is_member_of_agency(user, entry) and not permissions.is_pending_author(user, entry):
        return _("Proposal ini milik instansi lain; Anda tidak dapat mengubahnya.")
    return _("Proposal berstatus “%(status)s” tidak dapat diubah sampai dikembalikan oleh verifikator.") % {
        "status": entry.get_status_display()
    }


# Attachments ----------------------------------------------------------------------------------------


def add_attachment(*, entry, user, kind, uploaded, request=None):
    """Check and clean the upload (entries.uploads), then store it under a generated name.

    The cheap checks come before any decoding: the upload's own size (read_upload stops reading past the limit),
    then the entry's count and total and the person's total (_check_room, a few sums in the database); only then
    is the file decoded (clean_data: image header first, then the pixels; or the PDF walk). The room is checked
    again under the entry's and the person's row locks with the cleaned size, so parallel uploads cannot overrun."""
    if kind not in AttachmentKind.values:
        raise Invalid(_("Jenis lampiran tidak dikenal."))
    if not permissions.can_edit_entry(user, entry):
        raise PermissionDenied(edit_refusal(user, entry))
    data = read_upload(uploaded)
    _check_room(entry, user, len(data))
    _count_decode(user)
    clean = clean_data(kind, data, getattr(uploaded, "name", ""))  # CPU work outside the lock
    with save_files_or_none() as files, transaction.atomic():
        entry = _lock_entry(entry)
        User.objects.select_for_update().filter(pk=user.pk).first()  # the person's total, across entries
        if not permissions.can_edit_entry(user, entry):
            raise PermissionDenied(edit_refusal(user, entry))
        _check_room(entry, user, clean.size)
        attachment = Attachment(
            entry=entry,
            kind=kind,
            original_name=clean.display_name,
            size=clean.size,
            content_type=clean.content_type,
            sha256=clean.sha256,
            width=clean.width,
            height=clean.height,
            uploaded_by=user,
        )
        files.save(attachment.file, clean.stored_name(), clean.content)
        if clean.thumbnail:
            files.save(attachment.thumbnail, clean.stored_name().rsplit(".", 1)[0] + "-thumb.jpg", clean.thumbnail)
        attachment.save()
        record_event(
            actor=user,
            action="entries.attachment_add",
            obj=entry,
            details={"attachment": attachment.pk, "kind": kind, "sha256": clean.sha256, "size": clean.size},
            request=request,
        )
    return attachment


UPLOAD_WINDOW = 3600


def _count_decode(user):
    """At most settings.UPLOADS_PER_PERSON_PER_HOUR uploads decoded for one person in an hour (kipp.limits, in the
    database: shared by every process): uploading and removing the same photo again and again costs CPU that the
    count and byte limits do not see. Counted only once the cheap checks have passed."""
    limit = settings.UPLOADS_PER_PERSON_PER_HOUR
    if not limits.take(f"entries.upload:{user.pk}", limit=limit, window=UPLOAD_WINDOW):
        minutes = -(-limits.retry_after(UPLOAD_WINDOW) // 60)
        raise Refused(
            _(
                "Anda sudah mengunggah %(limit)s berkas dalam satu jam ini. Coba lagi dalam %(minutes)s menit, atau "
                "unggah lebih sedikit berkas yang lebih lengkap."
            )
            % {"limit": limit, "minutes": minutes}
        )


def _check_room(entry, user, size):
    """Refuse an upload of `size` bytes that the entry (count, total bytes) or the person (total bytes of what
    they uploaded in this competition) has no room for."""
    files = Attachment.objects.filter(entry=entry).aggregate(count=Count("pk"), used=Sum("size"))
    used = files["used"] or 0
    limit = settings.UPLOAD_MAX_ENTRY_FILES
    if limit > 0 and files["count"] >= limit:
        raise Refused(
            _(
                "Proposal ini sudah memiliki %(count)s lampiran; batasnya %(limit)s. Hapus lampiran yang tidak "
                "diperlukan lalu unggah lagi."
            )
            % {"count": files["count"], "limit": limit}
        )
    limit = settings.UPLOAD_MAX_ENTRY_BYTES
    if used + size > limit:
        raise Refused(
            _(
                "Total lampiran proposal akan melebihi batas %(limit)s (sudah terpakai %(used)s). Hapus lampiran "
                "yang tidak diperlukan atau perkecil berkasnya, lalu unggah lagi."
            )
            % {"limit": filesizeformat(limit), "used": filesizeformat(used)}
        )
    limit = settings.UPLOAD_MAX_PERSON_BYTES
    mine = Attachment.objects.filter(uploaded_by=user, entry__competition_id=entry.competition_id)
    used = mine.aggregate(used=Sum("size"))["used"] or 0
    if limit > 0 and used + size > limit:
        raise Refused(
            _(
                "Lampiran yang Anda unggah pada kompetisi ini akan melebihi batas %(limit)s per orang (sudah "
                "terpakai %(used)s). Hapus lampiran yang tidak diperlukan, lalu unggah lagi."
            )
            % {"limit": filesizeformat(limit), "used": filesizeformat(used)}
        )


def remove_attachment(*, attachment, user, request=None):
    with transaction.atomic():
        entry = _lock_entry(attachment.entry)
        if not permissions.can_edit_entry(user, entry):
            raise PermissionDenied(edit_refusal(user, entry))
        attachment = Attachment.objects.get(pk=attachment.pk, entry=entry)
        names = [n for n in (attachment.file.name, attachment.thumbnail.name) if n]
        attachment.delete()
        record_event(
            actor=user,
            action="entries.attachment_remove",
            obj=entry,
            details={"attachment": attachment.pk, "name": attachment.original_name},
            request=request,
        )
    for name in names:
        default_storage.delete(name)
    return entry


# The lifecycle --------------------------------------------------------------------------------------


def _check_quotas(entry):
    """Quotas per region and per agency hold when an entry reaches the organiser. Competition row locked."""
    competition = entry.competition
    counted = Entry.objects.filter(competition=competition, status__in=QUOTA_STATUSES).exclude(pk=entry.pk)
    if competition.quota_per_region:
        used = counted.filter(agency__region_id=entry.agency.region_id).count()
        if used >= competition.quota_per_region:
            raise Refused(
                _("Kuota daerah %(region)s sudah penuh (%(quota)d proposal telah diteruskan).")
                % {"region": entry.agency.region, "quota": competition.quota_per_region}
            )
    if competition.quota_per_agency:
        used = counted.filter(agency_id=entry.agency_id).count()
        if used >= competition.quota_per_agency:
            raise Refused(
                _("Kuota instansi %(agency)s sudah penuh (%(quota)d proposal telah diteruskan).")
                % {"agency": entry.agency, "quota": competition.quota_per_agency}
            )


def withdrawal_ended_message(entry):
    """Why an entry that could otherwise be withdrawn no longer can: its competition's final results are public
    (the date in WITA). None when that is not the reason."""
    if entry.status not in permissions.WITHDRAWABLE_STATUSES:
        return None
    since = permissions.final_results_public_since(entry)
    if since is None:
        return None
    return _(
        "Hasil akhir %(competition)s sudah diumumkan pada %(date)s; proposal tidak dapat ditarik "
        "lagi. Bila ada yang perlu diperbaiki, hubungi penyelenggara."
    ) % {"competition": entry.competition.name, "date": format_wita(since)}


def withdraw_entry(*, entry, user, note="", request=None):
    with transaction.atomic():
        entry = _lock_entry(entry)
        if not permissions.can_withdraw_entry(user, entry):
            if permissions.is_pending_member(user) and user.agency_id == entry.agency_id:
                raise PermissionDenied(pending_membership_message(user))
            if not permissions.is_member_of_agency(user, entry):
                raise PermissionDenied(_("Proposal ini milik instansi lain."))
            raise Refused(withdrawal_ended_message(entry) or _("Proposal ini tidak dapat ditarik lagi."))
        was_draft = entry.status == EntryStatus.DRAFT
        _set_status(entry, to_status=EntryStatus.WITHDRAWN, actor=user, note=(note or "").strip())
        entry.save()
        record_event(actor=user, action="entries.withdraw", obj=entry, request=request)
    notify(entry, "withdrawn", verifiers=not was_draft)
    return entry
