"""Reads of innovation records. `public_records(now)` is the one rule of which records the public may see: a record
is public only while one of its history steps rests on an announcement that publication's
visible_announcements(now) shows (approved and past its embargo). The catalogue, the record page, the API,
the statistics and the photo view all start from it."""

import hashlib
import re
from collections import defaultdict
from decimal import Decimal

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, F, Func, OuterRef, Value

from entries.enums import IndicatorDirection, InnovationStage
from judging.models import (
    AnnouncementRow,
    IndicatorValue,
    InnovationRecord,
    RecordEntry,
    RecordPhoto,
    ReplicationRequest,
)
from judging.publication.enums import AnnouncementKind
from judging.publication.queries import visible_announcements
from judging.records.enums import RecordOutcome, ReplicationState
from judging.scoring.enums import Outcome

PAGE_SIZE = 20


def public_records(now=None):
    published = RecordEntry.objects.filter(record=OuterRef("pk"), announcement__in=visible_announcements(now))
    return InnovationRecord.objects.filter(Exists(published))


def public_history(now=None):
    return RecordEntry.objects.filter(announcement__in=visible_announcements(now))


SEARCH_MAX_LENGTH = 200  # characters of the query that are read
SEARCH_MAX_TERMS = 20  # words and quoted phrases that are searched for
_SEARCH_TOKEN = re.compile(r'(-*)("[^"]*"?|[^\s"]+)')
_SEARCH_WORD = re.compile(r"\w+(?:[-.']\w+)*")


def _search_tokens(text):
    """Words, quoted phrases and "or", in order, the lone operators dropped; no bound on their number."""
    terms = []
    for negation, body in _SEARCH_TOKEN.findall(text):
        words = _SEARCH_WORD.findall(body)
        if not words:
            continue
        if body.startswith('"'):
            words = ['"' + " ".join(words) + '"']
        elif words[0].lower() == "or" and len(words) == 1:
            if not negation and terms and terms[-1] != "or":
                terms.append("or")
            continue
        terms.extend([("-" if negation else "") + words[0], *words[1:]])
    return terms


def search_terms(text):
    """The search of a websearch-syntax query, bounded: its words and quoted phrases (each with at most one leading
    '-', "not"), "or" only between two terms, at most SEARCH_MAX_TERMS of them from its first SEARCH_MAX_LENGTH
    characters. Lone operators ('-', '--', '"', '!', '(' ...) are dropped: PostgreSQL's parser fails on a run of
    them ("tsquery stack too small") instead of ignoring them."""
    kept, counted = [], 0
    for term in _search_tokens(text[:SEARCH_MAX_LENGTH]):
        counted += term != "or"
        if counted > SEARCH_MAX_TERMS:
            break
        kept.append(term)
    while kept and kept[-1] == "or":
        kept.pop()
    return kept


def search_is_cut(text):
    """True when search_terms() searches for less than the query asked: too long, or too many terms."""
    return len(text) > SEARCH_MAX_LENGTH or sum(t != "or" for t in _search_tokens(text)) > SEARCH_MAX_TERMS


def search_query(text):
    """websearch syntax ('putus sekolah', "a b", -c, a or b) on unaccented text, 'simple' config: the same treatment
    as the stored document; bounded by search_terms()."""
    text = " ".join(search_terms(text))
    return SearchQuery(Func(Value(text), function="unaccent"), config="simple", search_type="websearch")


def filter_records(qs, filters, now=None):
    """Apply records_filters.catalogue_filters() output. A search orders by relevance, otherwise by year (latest
    first) and title."""
    if "province" in filters:
        qs = qs.filter(region__province__code=filters["province"])
    if "organisation" in filters:
        # the organisation's records read first, as ids: with a subquery PostgreSQL guessed that every organisation
        # holds its share of all records and tested every record in the list's order until a page was full (at
        # 50,000 records: 0.4 s for an organisation with 12)
        steps = public_history(now).filter(competition__organisation__slug=filters["organisation"]).order_by()
        qs = qs.filter(pk__in=sorted(set(steps.values_list("record_id", flat=True))))
    if "region" in filters:
        qs = qs.filter(region_id=filters["region"])
    if "agency" in filters:
        qs = qs.filter(agency_id=filters["agency"])
    if "category" in filters:
        qs = qs.filter(category_key=filters["category"])
    if "stage" in filters:
        qs = qs.filter(stage=filters["stage"])
    if "outcome" in filters:
        qs = qs.filter(outcome=filters["outcome"])
    if "digital" in filters:
        qs = qs.filter(is_digital=filters["digital"])
    if "status" in filters:
        qs = qs.filter(is_running=filters["status"] == "running")
    if "year" in filters:
        qs = qs.filter(Exists(public_history(now).filter(record=OuterRef("pk"), year=filters["year"])))
    if "q" in filters and search_terms(filters["q"]):
        query = search_query(filters["q"])
        qs = (
            qs.filter(search_document=query)
            .annotate(relevance=SearchRank(F("search_document"), query))
            .order_by("-relevance", "-year", "title", "id")
        )
    else:
        qs = qs.order_by("-year", "title", "id")
    return qs


def catalogue(filters, now=None):
    """The public records matching the filters, with what a list row shows (one query per page; with an
    organisation, one more: its records' ids)."""
    qs = public_records(now).select_related("region", "agency").defer("search_document", "summary")
    return filter_records(qs, filters, now)


FILTER_CHOICES_TIMEOUT = 5 * 60  # a record's own region, agency or category edited shows in the lists within this


def filter_choices(now=None):
    """Values for the catalogue's filter fields, from public records only: the same for every visitor, so kept in
    Django's cache under the visible announcements and the newest history row (publishing, a correction or a
    withdrawal is a new key); two small queries, and six whatever the size when the key is new."""
    visible = list(visible_announcements(now).order_by("pk").values_list("pk", flat=True))
    newest = RecordEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    digest = hashlib.sha256(repr((visible, newest)).encode()).hexdigest()[:24]
    key = f"records:filter-choices:{connection.settings_dict['NAME']}:{digest}"
    choices = cache.get(key)
    if choices is None:
        choices = _filter_choices(now)
        cache.set(key, choices, FILTER_CHOICES_TIMEOUT)
    return {**choices, "stages": InnovationStage.choices, "outcomes": RecordOutcome.choices}


def _filter_choices(now):
    from kipp.models import Agency, Organisation, Province, Region

    # The public records read once for their regions, agencies and categories (one scan; an EXISTS per region and
    # per agency scanned them again for each list: at 50,000 records 0.3 s a page).
    region_ids, agency_ids, names = set(), set(), {}
    seen = public_records(now).order_by().values_list("region_id", "agency_id", "category_key", "category_name")
    for region_id, agency_id, key, name in seen.distinct():
        region_ids.add(region_id)
        agency_ids.add(agency_id)
        if key and (key not in names or name < names[key]):
            names[key] = name
    regions = Region.objects.filter(pk__in=sorted(region_ids)).order_by("code")
    provinces = Province.objects.filter(regions__in=regions).distinct().order_by("code")
    organisations = Organisation.objects.filter(
        Exists(public_history(now).filter(competition__organisation_id=OuterRef("pk")))
    ).order_by("name")
    agencies = Agency.objects.filter(pk__in=sorted(agency_ids)).order_by("name")
    years = sorted(set(public_history(now).order_by().values_list("year", flat=True).distinct()), reverse=True)
    return {
        "provinces": list(provinces),
        "organisations": list(organisations.only("slug", "name")),
        "regions": list(regions),
        "agencies": list(agencies),
        "categories": sorted(names.items()),
        "years": years,
    }


def final_selected_rows(now=None):
    """Rows selected in visible final announcements that no visible correction replaces: the entries whose
    record the older entry-numbered addresses (/penilaian/inovasi/<entry>/) lead to."""
    visible = visible_announcements(now)
    return (
        AnnouncementRow.objects.filter(
            announcement__in=visible.filter(kind=AnnouncementKind.FINAL), outcome=Outcome.SELECTED
        )
        .exclude(Exists(visible.filter(previous=OuterRef("announcement_id"))))
        .select_related("announcement__round__competition")
    )


def final_record_of_entry(entry_id, now=None):
    """The public record holding an entry selected in a visible final announcement, or None."""
    if not final_selected_rows(now).filter(entry_id=entry_id).exists():
        return None
    return public_records(now).filter(history__entry_id=entry_id).first()


# The record page -----------------------------------------------------------------------------------------------


def public_record_or_none(key, now=None):
    """A public record by slug (the stable URL) or by an entry code of its history."""
    qs = public_records(now).select_related("agency__region", "region", "entry__category", "entry__competition")
    record = qs.filter(slug=key).first()
    if record is None:
        record = qs.filter(history__entry__code__iexact=key).first()
    return record


def record_history(record, now=None):
    """The record's published steps across competitions and years, latest first."""
    return list(
        public_history(now)
        .filter(record=record)
        .select_related("competition", "announcement", "entry")
        .order_by("-year", "-id")
    )


def record_photos(record, profile_allows=True):
    """Photos only (never decrees or documents): those of the record's entries and those added later."""
    from entries.enums import AttachmentKind
    from entries.models import Attachment

    if not profile_allows:
        return [], list(RecordPhoto.objects.filter(record=record).order_by("created_at", "id"))
    entry_photos = list(
        Attachment.objects.filter(
            entry__innovation_record_entry__record=record,
            kind=AttachmentKind.PHOTO,
            content_type__startswith="image/",
        ).order_by("-entry__competition__year", "created_at", "id")
    )
    return entry_photos, list(RecordPhoto.objects.filter(record=record).order_by("created_at", "id"))


def public_profile(entry):
    from judging.models import PublicProfile

    profile = PublicProfile.objects.filter(entry=entry).first()
    return {
        "show_contacts": bool(profile and profile.show_contacts),
        "show_photos": profile.show_photos if profile else True,
    }


def indicator_series(record):
    """[{name, unit, direction, kind, points: [(date, Decimal, label)], chart}] for the record's indicators: the
    baseline and latest values of its entries, then the values reported after the competition. Two queries."""
    from entries.models import ImpactIndicator

    series = {}
    indicators = ImpactIndicator.objects.filter(entry__innovation_record_entry__record=record).order_by(
        "entry__competition__year", "order", "id"
    )
    for ind in indicators:
        item = series.setdefault(
            ind.name, {"name": ind.name, "unit": ind.unit, "direction": ind.direction, "kind": ind.kind, "p": {}}
        )
        item["p"][ind.baseline_on] = (ind.baseline_value, "proposal")
        item["p"][ind.latest_on] = (ind.latest_value, "proposal")
    for value in IndicatorValue.objects.filter(record=record).order_by("measured_on", "id"):
        item = series.setdefault(
            value.name,
            {"name": value.name, "unit": value.unit, "direction": value.direction, "kind": "measure", "p": {}},
        )
        item["p"][value.measured_on] = (value.value, "update")
    result = []
    for item in series.values():
        points = [(day, val, source) for day, (val, source) in sorted(item["p"].items())]
        result.append(
            {
                "name": item["name"],
                "unit": item["unit"],
                "direction": item["direction"],
                "kind": item["kind"],
                "points": points,
                "chart": series_chart(points, item["direction"]),
            }
        )
    return result


def series_chart(points, direction, width=360, height=150):
    """Geometry of a dated bar chart of an indicator (first value grey, later values green when better than the
    first, red when worse), drawn as SVG by templates/judging/records/_impact_chart.html."""
    if not points:
        return None
    top = max(abs(Decimal(v)) for _d, v, _s in points) or Decimal(1)
    plot_h = height - 44
    slot = (width - 20) / len(points)
    bar_w = max(min(slot - 8, 48), 6)
    first = Decimal(points[0][1])
    lower_is_better = direction == IndicatorDirection.LOWER_IS_BETTER
    bars = []
    for index, (day, value, source) in enumerate(points):
        value = Decimal(value)
        h = max(int(plot_h * abs(value) / top), 1)
        x = round(10 + index * slot + (slot - bar_w) / 2, 1)
        better = value < first if lower_is_better else value > first
        worse = value > first if lower_is_better else value < first
        bars.append(
            {
                "x": x,
                "y": 20 + plot_h - h,
                "w": round(bar_w, 1),
                "h": h,
                "cx": round(x + bar_w / 2, 1),
                "value": value,
                "date": day,
                "source": source,
                "fill": "#adb5bd" if index == 0 else ("#1f7a3a" if better else "#b02a37" if worse else "#6c757d"),
            }
        )
    last = Decimal(points[-1][1])
    change = last - first
    return {
        "width": width,
        "height": height,
        "axis_y": 20 + plot_h,
        "axis_x2": width - 10,
        "label_y": height - 6,
        "bars": bars,
        "change": change,
        "improved": (change < 0) if lower_is_better else (change > 0),
        "unchanged": change == 0,
    }


def record_replications(record, user):
    """The record's replication requests the user may see: agreed and implemented ones are public; open and
    declined ones only for the two agencies. One query."""
    from judging.records.permissions import can_see_replication

    rows = list(
        ReplicationRequest.objects.filter(record=record)
        .select_related("requester_agency__region", "requested_by")
        .order_by("-requested_at", "-id")
    )
    for row in rows:
        row.record = record
    return [r for r in rows if can_see_replication(user, r)]


def replicated_by(record, now=None):
    """Public: agencies that agreed to or implemented a replication, each with their own public records."""
    rows = list(
        ReplicationRequest.objects.filter(
            record=record, state__in=[ReplicationState.AGREED, ReplicationState.IMPLEMENTED]
        )
        .select_related("requester_agency__region")
        .order_by("-implemented_at", "-agreed_at", "-id")
    )
    agency_ids = {r.requester_agency_id for r in rows}
    theirs = defaultdict(list)
    if agency_ids:
        for other in public_records(now).filter(agency_id__in=agency_ids).order_by("-year", "title"):
            theirs[other.agency_id].append(other)
    return [{"replication": r, "records": theirs.get(r.requester_agency_id, [])} for r in rows]


# Statistics ----------------------------------------------------------------------------------------------------


def statistics(now=None, organisation=None):
    """Counts of public records: per region and year (of history), per category, per stage. Three queries.
    `organisation`: only the records of its competitions (its home page, /o/<slug>/)."""
    from django.db.models import Count

    history = public_history(now)
    if organisation is not None:
        history = history.filter(competition__organisation=organisation)
    by_region_year = defaultdict(dict)
    years = set()
    for row in (
        history.values("record__region__kind", "record__region__name", "year")
        .annotate(n=Count("record_id", distinct=True))
        .order_by()
    ):
        region = f"{row['record__region__kind'].title()} {row['record__region__name']}"
        by_region_year[region][row["year"]] = row["n"]
        years.add(row["year"])
    public = public_records(now)
    if organisation is not None:
        public = public.filter(Exists(history.filter(record=OuterRef("pk"))))
    by_category = [
        (row["category_name"] or "-", row["n"])
        for row in public.values("category_name").annotate(n=Count("id")).order_by("-n", "category_name")
    ]
    stage_labels = dict(InnovationStage.choices)
    by_stage = [
        (str(stage_labels.get(row["stage"], "-")), row["n"])
        for row in public.values("stage").annotate(n=Count("id")).order_by("-n", "stage")
    ]
    years = sorted(years)
    region_rows = sorted(
        (
            {"region": region, "counts": [counts.get(y, 0) for y in years], "total": sum(counts.values())}
            for region, counts in by_region_year.items()
        ),
        key=lambda r: (-r["total"], r["region"]),
    )
    return {
        "years": years,
        "region_rows": region_rows,
        "by_region": [(r["region"], r["total"]) for r in region_rows],
        "by_year": [(str(y), sum(r["counts"][i] for r in region_rows)) for i, y in enumerate(years)],
        "by_category": by_category,
        "by_stage": by_stage,
    }


# The catalogue as CSV: the same columns for the page's download (/inovasi/?format=csv) and the API's CSV.
RECORD_CSV_COLUMNS = [
    "slug",
    "title",
    "agency",
    "region",
    "category",
    "stage",
    "digital",
    "first_year",
    "year",
    "outcome",
    "running",
    "last_updated",
]


def record_csv_row(record):
    return [
        record.slug,
        record.title,
        record.agency.name,
        str(record.region),
        record.category_name,
        record.stage,
        "1" if record.is_digital else "0",
        record.first_year,
        record.year,
        record.outcome,
        "1" if record.is_running else "0",
        record.last_updated_at.isoformat(),
    ]
