"""Building innovation records from published results: the records of the entries selected in a visible
announcement, their history steps and their stored search documents. Idempotent: a build over records that are
already there changes nothing, the audit log included (a `records.built` event only when a record or a step was
created or changed).

Nothing here writes an entry, an announcement or its frozen rows: what an announcement said never changes."""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from entries.models import Entry, ProposalAnswer
from judging.models import Announcement, AnnouncementRow, InnovationRecord, RecordEntry
from judging.publication.enums import AnnouncementKind
from judging.publication.queries import is_visible
from judging.records.enums import RecordOutcome
from judging.scoring.enums import Outcome
from judging.scoring.services import JudgingError
from kipp.services import record_event

SUMMARY_SECTION = "ringkasan"
SUMMARY_MAX = 1500

# The search document: title and short name (A), summary (B), the proposal text of every entry of the record (C),
# agency and region (D). 'simple' config (PostgreSQL has no Indonesian stemmer) on unaccented text.
SEARCH_SQL = """
UPDATE {record} r SET search_document =
    setweight(to_tsvector('simple', unaccent(coalesce(r.title, '') || ' ' || coalesce(r.short_name, ''))), 'A')
    || setweight(to_tsvector('simple', unaccent(coalesce(r.summary, ''))), 'B')
    || setweight(to_tsvector('simple', unaccent(coalesce((
        SELECT string_agg(a.text, ' ' ORDER BY h.year, a.entry_id, a.id) FROM {answer} a
        JOIN {history} h ON h.entry_id = a.entry_id
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
    run changes nothing and writes no audit event. Returns the records touched."""
    now = now or timezone.now()
    if not is_visible(announcement, now):
        raise JudgingError(_("Catatan inovasi hanya dibuat dari pengumuman yang sudah tayang untuk publik."))
    announcement = Announcement.objects.select_related("round__competition").get(pk=announcement.pk)
    entry_ids = list(
        AnnouncementRow.objects.filter(announcement=announcement, outcome=Outcome.SELECTED).values_list(
            "entry_id", flat=True
        )
    )
    entries = Entry.objects.filter(pk__in=entry_ids).select_related("agency__region", "category").order_by("code")
    touched, created, changed = [], 0, 0
    for entry in entries:
        record, change = _build_step(entry, announcement, now)
        touched.append(record)
        changed += change is not None
        created += change == "created"
    refresh_search_documents([r.pk for r in touched])
    if changed:
        record_event(
            actor=actor,
            action="records.built",
            obj=announcement,
            details={"records": len(touched), "created": created, "changed": changed},
        )
    return touched


def _build_step(entry, announcement, now):
    """The entry's step in the history of its record: (record, None) when the step already says this or better,
    else (record, "created" | "added" | "moved") after writing the new record, the new step or the moved step."""
    competition = announcement.round.competition
    outcome = _outcome_of(announcement)
    step = RecordEntry.objects.select_related("record", "announcement").filter(entry=entry).first()
    if step is not None:
        if not _better((announcement, outcome), (step.announcement, step.outcome)):
            return step.record, None
        step.announcement, step.outcome, step.title = announcement, outcome, entry.title
        step.save(update_fields=["announcement", "outcome", "title"])
        record, change = step.record, "moved"
    else:
        record, change = _matching_record(entry), "added"
        if record is None:
            record, change = (
                InnovationRecord(
                    slug=unique_slug(entry.title, competition.year),
                    first_year=competition.year,
                    year=competition.year,
                    outcome=outcome,
                    last_updated_at=now,
                ),
                "created",
            )
            _apply_profile(record, entry)
            record.save()
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
    return record, change


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


def _chosen(visible):
    """Of visible announcements (ordered by publication), those that give records: each competition's final
    announcements, or where none is visible, its latest round announcement."""
    finals = {a.round.competition_id for a in visible if a.kind == AnnouncementKind.FINAL}
    latest_round = {}
    for a in visible:
        if a.kind != AnnouncementKind.FINAL:
            latest_round[a.round.competition_id] = a
    chosen = [a for a in visible if a.kind == AnnouncementKind.FINAL]
    chosen += [a for cid, a in latest_round.items() if cid not in finals]
    return sorted(chosen, key=lambda a: (a.published_at, a.pk))


def build_all_records(*, actor=None, now=None, organisation_ids=None):
    """Records for every competition with a visible announcement: from its final announcements (e.g. the Top 30),
    or, where none is visible yet, from its latest visible round announcement (e.g. the Top 50). Oldest first;
    used by seed_demo, `manage.py build_records` and the hourly job. `organisation_ids`: only the competitions of
    these organisations (an organiser's button builds their own; None: every one)."""
    from judging.publication.queries import visible_announcements

    visible = visible_announcements(now)
    if organisation_ids is not None:
        visible = visible.filter(round__competition__organisation_id__in=sorted(organisation_ids))
    visible = list(visible.select_related("round").order_by("published_at", "id"))
    touched = {}
    for announcement in _chosen(visible):
        for record in build_records(announcement=announcement, actor=actor, now=now):
            touched[record.pk] = record
    return list(touched.values())


def build_announcement_records(*, announcement, actor=None, now=None):
    """The records one announcement gives as it goes public (the job deferred on announcement_published): those of
    build_all_records for this announcement only, i.e. none when its competition has a visible final announcement
    and this is a round announcement, or when a later round announcement replaced it. Returns the records touched."""
    from judging.publication.queries import visible_announcements

    visible = list(
        visible_announcements(now)
        .filter(round__competition_id=announcement.round.competition_id)
        .select_related("round")
        .order_by("published_at", "id")
    )
    if announcement.pk not in {a.pk for a in _chosen(visible)}:
        return []
    return build_records(announcement=announcement, actor=actor, now=now)
