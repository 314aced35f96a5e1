"""Business writes of innovation records: building them from published results, the innovator's updates, and
replication requests (requested -> agreed -> implemented, or declined). Every write is audited
(kipp.services.record_event). A refusal raises judging.scoring.services.JudgingError with a message for the user.

Nothing here writes an entry, an announcement or its frozen rows: what an announcement said never changes."""

from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from entries.enums import AttachmentKind
from entries.models import Entry, ProposalAnswer
from entries.uploads import clean_upload
from judging.models import (
    Announcement,
    AnnouncementRow,
    IndicatorValue,
    InnovationRecord,
    RecordEntry,
    RecordPhoto,
    RecordUpdate,
    ReplicationRequest,
)
from judging.publication.enums import AnnouncementKind
from judging.publication.queries import is_visible
from judging.records.enums import OPEN_REPLICATION_STATES, REPLICATION_STEPS, RecordOutcome, ReplicationState
from judging.records.permissions import (
    can_answer_replication,
    can_mark_implemented,
    can_request_replication,
    can_update_record,
)
from judging.scoring.enums import Outcome
from judging.scoring.services import JudgingError
from kipp.mail import absolute_url, send_templated_mails, templated_message
from kipp.models import User
from kipp.permissions import is_pending_member
from kipp.services import record_event
from kipp.services_accounts import pending_membership_message

SUMMARY_SECTION = "ringkasan"
SUMMARY_MAX = 1500

# The search document: title and short name (A), summary (B), the proposal text of every entry of the record (C),
# agency and region (D). 'simple' config (PostgreSQL has no Indonesian stemmer) on unaccented text.
SEARCH_SQL = """
UPDATE {record} r SET search_document =
    setweight(to_tsvector('simple', unaccent(coalesce(r.title, '') || ' ' || coalesce(r.short_name, ''))), 'A')
    || setweight(to_tsvector('simple', unaccent(coalesce(r.summary, ''))), 'B')
    || setweight(to_tsvector('simple', unaccent(coalesce((
        SELECT string_agg(a.text, ' ') FROM {answer} a JOIN {history} h ON h.entry_id = a.entry_id
        WHERE h.record_id = r.id), ''))), 'C')
    || setweight(to_tsvector('simple', unaccent(coalesce((
        SELECT ag.name || ' ' || rg.name FROM {agency} ag JOIN {region} rg ON rg.id = ag.region_id
        WHERE ag.id = r.agency_id), ''))), 'D')
WHERE r.id = ANY(%s)
"""


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def refresh_search_documents(record_ids):
    """Recompute the stored search document of these records (one UPDATE)."""
    from kipp.models import Agency, Region

    if not record_ids:
        return
    sql = SEARCH_SQL.format(
        record=_table(InnovationRecord),
        answer=_table(ProposalAnswer),
        history=_table(RecordEntry),
        agency=_table(Agency),
        region=_table(Region),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(record_ids)])


# Building records from published results ---------------------------------------------------------------------


def _summary(entry):
    answers = {a.section.key: a.text for a in entry.answers.select_related("section")}
    text = answers.get(SUMMARY_SECTION) or next((t for t in answers.values() if t), "")
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1].rsplit(" ", 1)[0] + "…"


def unique_slug(title, year):
    base = slugify(title)[:80].strip("-") or "inovasi"
    candidates = [base, f"{base}-{year}"] + [f"{base}-{year}-{n}" for n in range(2, 1000)]
    taken = set(InnovationRecord.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    return next(slug for slug in candidates if slug not in taken)


def _matching_record(entry):
    """The record of the same innovation from an earlier competition: same agency, and the same title or the
    same short name."""
    same_agency = InnovationRecord.objects.filter(agency_id=entry.agency_id)
    match = same_agency.filter(title__iexact=entry.title).first()
    if match is None and entry.short_name:
        match = same_agency.filter(short_name__iexact=entry.short_name).first()
    if match is None:
        slug = slugify(entry.title)[:80].strip("-")
        match = same_agency.filter(slug__startswith=slug).first() if slug else None
    return match


def _outcome_of(announcement):
    return RecordOutcome.FINAL if announcement.kind == AnnouncementKind.FINAL else RecordOutcome.ROUND


def _better(new, old):
    """Does (announcement, outcome) `new` describe the entry better than `old`? Final beats round, then later."""
    rank = {RecordOutcome.FINAL: 1, RecordOutcome.ROUND: 0}
    return (rank[new[1]], new[0].published_at or new[0].prepared_at, new[0].pk) > (
        rank[old[1]],
        old[0].published_at or old[0].prepared_at,
        old[0].pk,
    )


def _apply_profile(record, entry):
    record.entry = entry
    record.agency_id = entry.agency_id
    record.region_id = entry.agency.region_id
    record.title = entry.title
    record.short_name = entry.short_name
    record.summary = _summary(entry)
    record.category_key = entry.category.key if entry.category else ""
    record.category_name = entry.category.name if entry.category else ""
    record.stage = entry.stage
    record.is_digital = entry.is_digital


@transaction.atomic
def build_records(*, announcement, actor=None, now=None):
    """Create or refresh the records of the entries selected in a visible announcement. Idempotent: a second
    run changes nothing. Returns the records touched."""
    now = now or timezone.now()
    if not is_visible(announcement, now):
        raise JudgingError(_("Catatan inovasi hanya dibuat dari pengumuman yang sudah tayang untuk publik."))
    announcement = Announcement.objects.select_related("round__competition").get(pk=announcement.pk)
    competition = announcement.round.competition
    outcome = _outcome_of(announcement)
    entry_ids = list(
        AnnouncementRow.objects.filter(announcement=announcement, outcome=Outcome.SELECTED).values_list(
            "entry_id", flat=True
        )
    )
    entries = Entry.objects.filter(pk__in=entry_ids).select_related("agency__region", "category").order_by("code")
    touched, created = [], 0
    for entry in entries:
        step = RecordEntry.objects.select_related("record", "announcement").filter(entry=entry).first()
        if step is not None:
            record = step.record
            if not _better((announcement, outcome), (step.announcement, step.outcome)):
                touched.append(record)
                continue
            step.announcement, step.outcome, step.title = announcement, outcome, entry.title
            step.save(update_fields=["announcement", "outcome", "title"])
        else:
            record = _matching_record(entry)
            if record is None:
                record = InnovationRecord(
                    slug=unique_slug(entry.title, competition.year),
                    first_year=competition.year,
                    year=competition.year,
                    outcome=outcome,
                    last_updated_at=now,
                )
                _apply_profile(record, entry)
                record.save()
                created += 1
            RecordEntry.objects.create(
                record=record,
                entry=entry,
                competition=competition,
                year=competition.year,
                announcement=announcement,
                outcome=outcome,
                title=entry.title,
            )
        _refresh_from_history(record)
        touched.append(record)
    refresh_search_documents([r.pk for r in touched])
    record_event(
        actor=actor,
        action="records.built",
        obj=announcement,
        details={"records": len(touched), "created": created},
    )
    return touched


def _refresh_from_history(record):
    """The record shows its latest entry (latest year; final before round); years and outcome span the history."""
    steps = list(record.history.select_related("entry__agency__region", "entry__category", "announcement"))
    if not steps:
        return
    rank = {RecordOutcome.FINAL: 1, RecordOutcome.ROUND: 0}
    latest = max(steps, key=lambda s: (s.year, rank[s.outcome], s.pk))
    _apply_profile(record, latest.entry)
    record.first_year = min(s.year for s in steps)
    record.year = max(s.year for s in steps)
    record.outcome = max((s.outcome for s in steps), key=lambda o: rank[o])
    record.save()


def build_all_records(*, actor=None, now=None):
    """Records for every competition with a visible announcement: from its final announcements (e.g. the Top 30),
    or, where none is visible yet, from its latest visible round announcement (e.g. the Top 50). Oldest first;
    used by seed_demo and `manage.py build_records`."""
    from judging.publication.queries import visible_announcements

    visible = list(visible_announcements(now).select_related("round").order_by("published_at", "id"))
    finals = {a.round.competition_id for a in visible if a.kind == AnnouncementKind.FINAL}
    latest_round = {}
    for a in visible:
        if a.kind != AnnouncementKind.FINAL:
            latest_round[a.round.competition_id] = a
    chosen = [a for a in visible if a.kind == AnnouncementKind.FINAL]
    chosen += [a for cid, a in latest_round.items() if cid not in finals]
    touched = {}
    for announcement in sorted(chosen, key=lambda a: (a.published_at, a.pk)):
        for record in build_records(announcement=announcement, actor=actor, now=now):
            touched[record.pk] = record
    return list(touched.values())


# Keeping a record current ----------------------------------------------------------------------------------------


def indicator_names(record):
    """{name: (unit, direction)} of the record's indicators: those of its entries, then those reported later."""
    from entries.models import ImpactIndicator

    names = {}
    for indicator in ImpactIndicator.objects.filter(entry__innovation_record_entry__record=record).order_by(
        "-entry__competition__year", "order", "id"
    ):
        names.setdefault(indicator.name, (indicator.unit, indicator.direction))
    for value in record.indicator_values.order_by("id"):
        names.setdefault(value.name, (value.unit, value.direction))
    return names


@transaction.atomic
def update_record(
    *,
    record,
    actor,
    is_running=True,
    stopped_on=None,
    stop_reason="",
    note="",
    values=(),
    photos=(),
    now=None,
    request=None,
):
    """The innovator's dated update: running or stopped (with a date and a reason), new indicator values
    [(name, value, measured_on)], new photos (uploaded files, re-encoded by entries.uploads)."""
    now = now or timezone.now()
    if not can_update_record(actor, record):
        _refuse_pending(actor)
        raise JudgingError(_("Hanya inovator dari instansi pemilik yang dapat memperbarui catatan ini."))
    record = InnovationRecord.objects.select_for_update().get(pk=record.pk)
    today = timezone.localdate(now)
    stop_reason = (stop_reason or "").strip()
    if not is_running:
        if stopped_on is None or not stop_reason:
            raise JudgingError(_("Inovasi yang berhenti memerlukan tanggal berhenti dan alasannya."))
        if stopped_on > today:
            raise JudgingError(_("Tanggal berhenti tidak boleh di masa depan."))
    else:
        stopped_on, stop_reason = None, ""
    known = indicator_names(record)
    clean_values = []
    for name, value, measured_on in values:
        if name not in known:
            raise JudgingError(_("Indikator tidak dikenal: %(name)s") % {"name": name})
        if measured_on > today:
            raise JudgingError(_("Tanggal pengukuran tidak boleh di masa depan."))
        clean_values.append((name, value, measured_on))
    cleaned_photos = [(clean_upload(AttachmentKind.PHOTO, upload), upload) for upload in photos]
    update = RecordUpdate.objects.create(
        record=record,
        author=actor,
        created_at=now,
        is_running=is_running,
        stopped_on=stopped_on,
        stop_reason=stop_reason,
        note=(note or "").strip(),
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            record=record,
            update=update,
            name=name,
            unit=known[name][0],
            direction=known[name][1],
            value=value,
            measured_on=measured_on,
        )
        for name, value, measured_on in clean_values
    )
    for clean, _upload in cleaned_photos:
        add_record_photo(record=record, update=update, clean=clean, actor=actor)
    record.is_running, record.stopped_on, record.stop_reason = is_running, stopped_on, stop_reason
    record.last_updated_at = now
    record.save(update_fields=["is_running", "stopped_on", "stop_reason", "last_updated_at"])
    record_event(
        actor=actor,
        action="records.updated",
        obj=record,
        details={
            "running": is_running,
            "stopped_on": stopped_on.isoformat() if stopped_on else None,
            "values": len(clean_values),
            "photos": len(cleaned_photos),
        },
        request=request,
    )
    return update


def add_record_photo(*, record, update, clean, actor, caption=""):
    """Store a cleaned image (entries.uploads.CleanFile) with its thumbnail under generated names."""
    photo = RecordPhoto(
        record=record,
        update=update,
        original_name=clean.display_name,
        caption=caption,
        size=clean.size,
        content_type=clean.content_type,
        sha256=clean.sha256,
        width=clean.width,
        height=clean.height,
        uploaded_by=actor,
    )
    stem = clean.stored_name()
    photo.file.save(stem, ContentFile(clean.content), save=False)
    if clean.thumbnail:
        photo.thumbnail.save(stem.rsplit(".", 1)[0] + "-thumb.jpg", ContentFile(clean.thumbnail), save=False)
    photo.save()
    return photo


# Replication ---------------------------------------------------------------------------------------------------


def _record_url(record):
    return absolute_url(reverse("records:detail", args=[record.slug]))


def _owners(record):
    return list(
        User.objects.filter(
            agency_id=record.agency_id, role="innovator", is_active=True, agency_confirmed_at__isnull=False
        ).order_by("email")
    )


def _requesters(replication):
    """[(email, language)]: the request's contact and the requesting agency's innovators, by email."""
    people = {replication.contact_email: None}
    people.update(
        User.objects.filter(
            agency_id=replication.requester_agency_id,
            role="innovator",
            is_active=True,
            agency_confirmed_at__isnull=False,
        ).values_list("email", "language")
    )
    return sorted((email, language) for email, language in people.items() if email)


def _notify(recipients, template, replication):
    """One email per (email, language) of `recipients`, in that language (kipp.mail)."""
    context = {"replication": replication, "record": replication.record, "url": _record_url(replication.record)}
    send_templated_mails(
        templated_message(to=email, template=template, context=context, language=language)
        for email, language in recipients
    )


@transaction.atomic
def _refuse_pending(actor):
    """A sign-up whose membership nobody has confirmed yet is told who can confirm it."""
    if is_pending_member(actor):
        raise JudgingError(pending_membership_message(actor))


def request_replication(
    *, record, actor, plan, contact_name="", contact_email="", contact_phone="", now=None, request=None, notify=True
):
    """A signed-in innovator of another agency asks to replicate a public record; the owner agency is emailed."""
    from judging.records.queries import public_records

    now = now or timezone.now()
    if not public_records(now).filter(pk=record.pk).exists():
        raise JudgingError(_("Catatan inovasi ini belum tayang untuk publik."))
    if not can_request_replication(actor, record):
        _refuse_pending(actor)
        raise JudgingError(_("Permintaan replikasi diajukan oleh inovator dari instansi lain yang sudah masuk."))
    plan = (plan or "").strip()
    if not plan:
        raise JudgingError(_("Tuliskan rencana replikasi: di mana, kapan, dan siapa yang menjalankan."))
    if ReplicationRequest.objects.filter(
        record=record, requester_agency_id=actor.agency_id, state__in=OPEN_REPLICATION_STATES
    ).exists():
        raise JudgingError(_("Instansi Anda sudah punya permintaan replikasi yang masih berjalan untuk inovasi ini."))
    try:
        with transaction.atomic():
            replication = ReplicationRequest.objects.create(
                record=record,
                requester_agency_id=actor.agency_id,
                requested_by=actor,
                contact_name=(contact_name or actor.full_name).strip(),
                contact_email=(contact_email or actor.email).strip(),
                contact_phone=(contact_phone or actor.phone or "").strip(),
                plan=plan,
                requested_at=now,
            )
    except IntegrityError as exc:
        raise JudgingError(_("Instansi Anda sudah punya permintaan replikasi yang masih berjalan.")) from exc
    record_event(
        actor=actor,
        action="replication.requested",
        obj=replication,
        details={"record": record.slug, "agency": actor.agency_id},
        request=request,
    )
    if notify:
        transaction.on_commit(
            lambda: _notify(
                [(owner.email, owner.language) for owner in _owners(record)],
                "judging/records/email/replication_requested",
                replication,
            )
        )
    return replication


def _step(replication, to_state):
    if to_state not in REPLICATION_STEPS[ReplicationState(replication.state)]:
        raise JudgingError(
            _("Permintaan ini berstatus %(state)s dan tidak dapat diubah menjadi %(to)s.")
            % {"state": replication.get_state_display(), "to": ReplicationState(to_state).label}
        )


@transaction.atomic
def answer_replication(*, replication, actor, agree, note="", now=None, request=None, notify=True):
    """The owner agency agrees or declines (declining needs a reason); the requester is emailed."""
    now = now or timezone.now()
    replication = ReplicationRequest.objects.select_for_update().select_related("record").get(pk=replication.pk)
    if not can_answer_replication(actor, replication):
        _refuse_pending(actor)
        raise JudgingError(_("Hanya inovator dari instansi pemilik inovasi yang dapat menjawab permintaan ini."))
    to_state = ReplicationState.AGREED if agree else ReplicationState.DECLINED
    _step(replication, to_state)
    note = (note or "").strip()
    if not agree and not note:
        raise JudgingError(_("Tuliskan alasan penolakan; alasan ini dikirim ke instansi peminta."))
    replication.state = to_state
    replication.answered_by = actor
    replication.answer_note = note
    if agree:
        replication.agreed_at = now
    else:
        replication.declined_at = now
    replication.save()
    record_event(
        actor=actor,
        action=f"replication.{to_state}",
        obj=replication,
        details={"record": replication.record.slug, "note": note},
        request=request,
    )
    if notify:
        transaction.on_commit(
            lambda: _notify(_requesters(replication), "judging/records/email/replication_answered", replication)
        )
    return replication


@transaction.atomic
def mark_replication_implemented(*, replication, actor, note="", now=None, request=None):
    now = now or timezone.now()
    replication = ReplicationRequest.objects.select_for_update().select_related("record").get(pk=replication.pk)
    if not can_mark_implemented(actor, replication):
        raise JudgingError(_("Hanya instansi peminta atau pemilik yang dapat mencatat penerapan replikasi."))
    _step(replication, ReplicationState.IMPLEMENTED)
    replication.state = ReplicationState.IMPLEMENTED
    replication.implemented_at = max(now, replication.agreed_at)
    replication.implementation_note = (note or "").strip()
    replication.save()
    record_event(
        actor=actor,
        action="replication.implemented",
        obj=replication,
        details={"record": replication.record.slug},
        request=request,
    )
    return replication
