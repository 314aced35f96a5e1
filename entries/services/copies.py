"""A copy of an entry's content into another competition, as a new draft of the same agency (issue 13, forwarding
upward: judging/publication/forwarding calls it). entries owns entries, so the copy is here; it knows nothing of
why the copy is made.

What is copied: the profile (title, short name, stage, location, start date, video, supporting agencies; the
category and group where the other competition has one of the same key), the proposal's text section by section
where the other competition has a section of the same key, the team, the impact indicators and the evidence files.
The files are copied, never shared: new files under new names through Django's storage, so deleting either one
never touches the other. Text of a section the other competition does not have is returned (`unmapped`) for the
caller to keep and show. Nothing of the source entry changes."""

import uuid
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from entries.enums import EntryStatus
from entries.models import (
    Attachment,
    Entry,
    ImpactIndicator,
    ProposalAnswer,
    StatusChange,
    TeamMember,
)
from entries.services.drafts import next_entry_code
from kipp.files import save_files_or_none
from kipp.models import Competition
from kipp.services import record_event

COPIED_PROFILE_FIELDS = (
    "title",
    "short_name",
    "stage",
    "district",
    "village",
    "kecamatan",
    "desa",
    "started_on",
    "is_digital",
    "video_url",
    "supporting_agencies",
)
INDICATOR_COPY_FIELDS = (
    "name",
    "kind",
    "unit",
    "direction",
    "baseline_value",
    "baseline_on",
    "latest_value",
    "latest_on",
    "source",
    "order",
)
ATTACHMENT_COPY_FIELDS = (
    "kind",
    "original_name",
    "size",
    "content_type",
    "sha256",
    "width",
    "height",
    "uploaded_by_id",
)


@dataclass
class EntryCopy:
    entry: Entry
    # [{"key", "title", "text"}] of the source's sections that the target competition has no section for
    unmapped: list


def copy_entry(*, entry, competition, actor, note="", now=None, request=None):
    """A new draft in `competition` of `entry`'s agency with `entry`'s content (module docstring). Call it inside
    the caller's transaction and `save_files_or_none()` block where the copy is part of a larger operation; it opens
    its own too. `note` goes into the new draft's first status change. Returns an EntryCopy."""
    now = now or timezone.now()
    source = Entry.objects.select_related("competition", "category").get(pk=entry.pk)
    with save_files_or_none() as files, transaction.atomic():
        competition = Competition.objects.select_for_update().get(pk=competition.pk)  # serialises the codes
        category = None
        if source.category_id:
            category = competition.categories.filter(key=source.category.key).first()
        groups = competition.groups or []
        copy = Entry.objects.create(
            competition=competition,
            agency_id=source.agency_id,
            created_by=actor,
            code=next_entry_code(competition),
            group=source.group if not groups or source.group in groups else groups[0],
            category=category,
            status=EntryStatus.DRAFT,
            **{field: getattr(source, field) for field in COPIED_PROFILE_FIELDS},
        )
        StatusChange.objects.create(
            entry=copy, from_status="", to_status=EntryStatus.DRAFT, actor=actor, note=note, created_at=now
        )
        unmapped = _copy_answers(source, copy)
        TeamMember.objects.bulk_create(
            TeamMember(entry=copy, name=m.name, position=m.position, contact=m.contact, order=m.order)
            for m in source.team_members.all()
        )
        ImpactIndicator.objects.bulk_create(
            ImpactIndicator(entry=copy, **{f: getattr(i, f) for f in INDICATOR_COPY_FIELDS})
            for i in source.indicators.all()
        )
        attachments = [_copy_attachment(files, a, copy) for a in source.attachments.all()]
        record_event(
            actor=actor,
            action="entries.copy",
            obj=copy,
            details={
                "from_entry": source.pk,
                "from_code": source.code,
                "answers_unmapped": [u["key"] for u in unmapped],
                "attachments": len(attachments),
            },
            request=request,
        )
    return EntryCopy(entry=copy, unmapped=unmapped)


def _copy_answers(source, copy):
    """The source's text into the target's sections of the same key; the rest returned, in the source's order."""
    sections = {s.key: s for s in copy.competition.sections.all()}
    rows, unmapped = [], []
    for answer in source.answers.select_related("section").order_by("section__order", "section_id"):
        if not answer.text.strip():
            continue
        section = sections.get(answer.section.key)
        if section is None:
            unmapped.append({"key": answer.section.key, "title": answer.section.title, "text": answer.text})
        else:
            rows.append(ProposalAnswer(entry=copy, section=section, text=answer.text))
    ProposalAnswer.objects.bulk_create(rows)
    return unmapped


def _copy_attachment(files, attachment, copy):
    """A new Attachment of `copy` with its own stored file (and thumbnail): the bytes read through the storage and
    written again under a new generated name."""
    new = Attachment(entry=copy, **{f: getattr(attachment, f) for f in ATTACHMENT_COPY_FIELDS})
    stem = uuid.uuid4().hex
    extension = attachment.file.name.rsplit(".", 1)[-1] if "." in attachment.file.name else "bin"
    files.save(new.file, f"{stem}.{extension}", _read(attachment.file.name))
    if attachment.thumbnail:
        files.save(new.thumbnail, f"{stem}-thumb.jpg", _read(attachment.thumbnail.name))
    new.save()
    return new


def _read(name):
    with default_storage.open(name, "rb") as handle:
        return handle.read()
