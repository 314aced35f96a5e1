"""Past winners (issue 16): which entries repeat an innovation that reached a stated stage of an earlier competition.

A competition's rule (kipp Competition.past_winner_years, .past_winner_stage) names how many years back to look
(0 = off) and which result counts: selected in a final announcement, or selected in any round's announcement. An
entry is flagged when an earlier competition of that window published (visible_announcements: approved, embargo
over; the current version of a corrected announcement) a row selecting an innovation that is the same one:
- the same agency and a similar title (pg_trgm similarity of the entry's title and the title in the announcement);
- or the innovation record (judging/records) of the earlier entry is the entry's: the same record, or a record of
  the entry's agency whose title is similar or whose short name is the entry's short name.

The flag never decides: the organiser does (entries.services.decide_past_winner). Offered to entries through the
kipp hook "past_winner_flags" (entries never import judging); one query for a whole list of entries.
"""

from django.db import connection
from django.db.models import Exists, OuterRef
from django.urls import reverse

from entries.models import Entry
from judging.models import Announcement, AnnouncementRow, InnovationRecord, RecordEntry, Round
from judging.publication.queries import visible_announcements
from judging.scoring.enums import Outcome
from kipp.enums import PastWinnerStage
from kipp.models import Competition

# Below the near-duplicate threshold of one competition (entries.queries.DUPLICATE_SIMILARITY = 0.5): an innovation
# entered again often gets a suffix ("Jilid 2", "2.0", a new subtitle), and the same agency is required as well.
PAST_WINNER_SIMILARITY = 0.4

_SQL = """
WITH current_entry AS (
    SELECT e.id, e.agency_id, e.title, e.short_name, c.year,
           c.past_winner_years AS years, c.past_winner_stage AS stage, own.record_id AS own_record_id
    FROM {entry} e
    JOIN {competition} c ON c.id = e.competition_id
    LEFT JOIN {record_entry} own ON own.entry_id = e.id
    WHERE e.id = ANY(%s) AND c.past_winner_years > 0
)
SELECT ce.id, a.id, a.number, a.version, a.kind, pc.name, pc.year, ar.rank, ar.entry_code, ar.title, ar.agency,
       similarity(ce.title, ar.title) AS title_similarity,
       (re.record_id IS NOT NULL AND (
            re.record_id = ce.own_record_id
            OR (ir.agency_id = ce.agency_id AND (
                similarity(ce.title, ir.title) >= %s
                OR (ce.short_name <> '' AND lower(ir.short_name) = lower(ce.short_name)))))) AS by_record
FROM current_entry ce
JOIN {competition} pc ON pc.year BETWEEN ce.year - ce.years AND ce.year - 1
JOIN {round} r ON r.competition_id = pc.id
JOIN {announcement} a ON a.round_id = r.id
JOIN {row} ar ON ar.announcement_id = a.id
JOIN {entry} pe ON pe.id = ar.entry_id
LEFT JOIN {record_entry} re ON re.entry_id = pe.id
LEFT JOIN {record} ir ON ir.id = re.record_id
WHERE a.id IN ({visible})
  AND ar.outcome = %s
  AND (ce.stage = %s OR a.kind = 'final')
  AND pe.id <> ce.id
  AND ((pe.agency_id = ce.agency_id AND similarity(ce.title, ar.title) >= %s)
       OR (re.record_id IS NOT NULL AND (
            re.record_id = ce.own_record_id
            OR (ir.agency_id = ce.agency_id AND (
                similarity(ce.title, ir.title) >= %s
                OR (ce.short_name <> '' AND lower(ir.short_name) = lower(ce.short_name)))))))
ORDER BY ce.id, pc.year DESC, a.kind, a.id, ar.rank
"""


def _current_visible(now=None):
    """The ONE rule of what is public (visible_announcements), without versions a visible correction replaces."""
    visible = visible_announcements(now)
    return visible.exclude(Exists(visible.filter(previous=OuterRef("pk")))).values("pk")


def past_winner_flags(entries, now=None):
    """{entry pk: [flag]} for these entries (model instances or pks); a flag is a dict: announcement (pk), number,
    version, final (bool), competition, year, rank, entry_code, title, agency, similarity (0..1), by_record, url.
    Entries of a competition without a rule (0 years) get nothing. One query."""
    ids = [getattr(e, "pk", e) for e in entries]
    if not ids:
        return {}
    visible_sql, visible_params = _current_visible(now).query.sql_with_params()
    sql = _SQL.format(
        entry=Entry._meta.db_table,
        competition=Competition._meta.db_table,
        round=Round._meta.db_table,
        announcement=Announcement._meta.db_table,
        row=AnnouncementRow._meta.db_table,
        record_entry=RecordEntry._meta.db_table,
        record=InnovationRecord._meta.db_table,
        visible=visible_sql,
    )
    params = [
        ids,
        PAST_WINNER_SIMILARITY,
        *visible_params,
        Outcome.SELECTED,
        PastWinnerStage.ANY_ROUND,
        PAST_WINNER_SIMILARITY,
        PAST_WINNER_SIMILARITY,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    flags = {}
    for entry_id, pk, number, version, kind, competition, year, rank, code, title, agency, sim, by_record in rows:
        flags.setdefault(entry_id, []).append(
            {
                "announcement": pk,
                "number": number,
                "version": version,
                "final": kind == "final",
                "competition": competition,
                "year": year,
                "rank": rank,
                "entry_code": code,
                "title": title,
                "agency": agency,
                "similarity": float(sim or 0),
                "by_record": bool(by_record),
                "url": reverse("judging:public_announcement", args=[pk]),
            }
        )
    return flags
