"""Reusable reads on entries: deadlines, completeness, the automatic checks, list querysets, display data.

For other layers (judging): `entry_display_data(entry)` returns everything templates/entries/_proposal.html
needs; render it with {% include "entries/_proposal.html" with entry=entry data=data %}.
"""

from decimal import Decimal

from django.contrib.postgres.search import TrigramDistance, TrigramSimilarity
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from entries.enums import QUOTA_STATUSES, AttachmentKind, EntryStatus, IndicatorDirection
from entries.models import Attachment, DeadlineExtension, Entry, PastWinnerDecision, ProposalAnswer, StatusChange
from kipp import hooks
from kipp.models import Membership
from kipp.organisations.enums import MembershipKind
from kipp.text import count_words

DUPLICATE_SIMILARITY = 0.5
PENDING_STATUSES = (EntryStatus.SUBMITTED, *QUOTA_STATUSES)


# Deadlines and completeness -------------------------------------------------------------------------


def entry_deadline(entry):
    """The last moment the entry may be submitted: the competition's close, or a later per-entry extension."""
    extended = getattr(entry, "extended_until", None)
    if extended is None:
        extended = (
            DeadlineExtension.objects.filter(entry=entry)
            .order_by("-deadline")
            .values_list("deadline", flat=True)
            .first()
        )
    closes = entry.competition.closes_at
    return max(closes, extended) if extended else closes


def submission_problems(entry):
    """Every reason the entry cannot be submitted yet, as messages (empty: complete)."""
    problems = []
    competition = entry.competition
    if not entry.title.strip():
        problems.append(_("Judul inovasi belum diisi."))
    if competition.categories.exists() and entry.category_id is None:
        problems.append(_("Kategori belum dipilih."))
    if not entry.started_on:
        problems.append(_("Tanggal mulai penerapan inovasi belum diisi."))
    if not entry.stage:
        problems.append(_("Tahap inovasi belum dipilih."))
    answers = {a.section_id: a.text for a in entry.answers.all()}
    for section in competition.sections.all():
        text = answers.get(section.pk, "")
        words = count_words(text)
        if section.required and words == 0:
            problems.append(_("Bagian “%(section)s” belum diisi.") % {"section": section.title})
        elif section.word_limit and words > section.word_limit:
            problems.append(
                _("Bagian “%(section)s” berisi %(words)d kata; batasnya %(limit)d kata.")
                % {"section": section.title, "words": words, "limit": section.word_limit}
            )
    kinds = set(entry.attachments.values_list("kind", flat=True))
    if AttachmentKind.PHOTO not in kinds:
        problems.append(_("Unggah minimal satu foto kegiatan inovasi."))
    if AttachmentKind.DECREE not in kinds:
        problems.append(_("Unggah SK inovator."))
    return problems


# The automatic checks -------------------------------------------------------------------------------


def _count_subquery(qs):
    return Coalesce(
        Subquery(qs.order_by().values("competition").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def annotate_checks(qs):
    """Annotate, in one query for the whole list, what the automatic checks need:
    dup_similarity / dup_code (most similar other title in the competition, pg_trgm), region_pending /
    agency_pending (entries of the region / agency submitted or beyond), has_photo, has_decree."""
    others = (
        Entry.objects.filter(competition=OuterRef("competition"))
        .exclude(pk=OuterRef("pk"))
        .exclude(status__in=[EntryStatus.WITHDRAWN, EntryStatus.DRAFT])
        .annotate(
            similarity=TrigramSimilarity("title", OuterRef("title")),
            # nearest title first: title <-> title, served by the GiST trigram index (entry_title_trgm)
            distance=TrigramDistance("title", OuterRef("title")),
        )
        .order_by("distance", "code")
    )
    pending = Entry.objects.filter(competition=OuterRef("competition"), status__in=PENDING_STATUSES)
    return qs.annotate(
        dup_similarity=Subquery(others.values("similarity")[:1]),
        dup_code=Subquery(others.values("code")[:1]),
        region_pending=_count_subquery(pending.filter(agency__region=OuterRef("agency__region"))),
        agency_pending=_count_subquery(pending.filter(agency=OuterRef("agency"))),
        has_photo=Exists(Attachment.objects.filter(entry=OuterRef("pk"), kind=AttachmentKind.PHOTO)),
        has_decree=Exists(Attachment.objects.filter(entry=OuterRef("pk"), kind=AttachmentKind.DECREE)),
    )


def months_between(start, end):
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def entry_checks(entry, at=None):
    """The automatic checks of an entry annotated by annotate_checks: a list of {key, message}."""
    competition = entry.competition
    checks = []
    reference = timezone.localdate(at or entry.submitted_at or timezone.now())
    if entry.started_on is None:
        checks.append({"key": "too_young", "message": _("Tanggal mulai penerapan tidak diisi.")})
    else:
        age = months_between(entry.started_on, reference)
        if age < competition.minimum_age_months:
            checks.append(
                {
                    "key": "too_young",
                    "message": _("Usia inovasi %(age)d bulan; minimal %(minimum)d bulan.")
                    % {"age": max(age, 0), "minimum": competition.minimum_age_months},
                }
            )
    if entry.dup_similarity is not None and entry.dup_similarity >= DUPLICATE_SIMILARITY:
        checks.append(
            {
                "key": "duplicate",
                "message": _("Judul mirip dengan %(code)s (kemiripan %(pct)d%%).")
                % {"code": entry.dup_code, "pct": round(entry.dup_similarity * 100)},
            }
        )
    if competition.quota_per_region and entry.region_pending > competition.quota_per_region:
        checks.append(
            {
                "key": "quota",
                "message": _("Daerah ini mengajukan %(n)d proposal; kuota %(quota)d.")
                % {"n": entry.region_pending, "quota": competition.quota_per_region},
            }
        )
    if competition.quota_per_agency and entry.agency_pending > competition.quota_per_agency:
        checks.append(
            {
                "key": "quota",
                "message": _("Instansi ini mengajukan %(n)d proposal; kuota %(quota)d.")
                % {"n": entry.agency_pending, "quota": competition.quota_per_agency},
            }
        )
    if not entry.has_photo or not entry.has_decree:
        missing = [
            label for ok, label in ((entry.has_photo, _("foto")), (entry.has_decree, _("SK inovator"))) if not ok
        ]
        checks.append(
            {"key": "evidence", "message": _("Bukti belum lengkap: %(missing)s.") % {"missing": ", ".join(missing)}}
        )
    return checks


def past_winner_checks(entries):
    """{entry pk: check} for the entries whose innovation an earlier competition selected, within their
    competition's past-winner rule: the flags come from judging (kipp hook "past_winner_flags", one query), the
    organiser's latest answer (PastWinnerDecision) from here (one query). Nothing is asked without a rule."""
    ruled = [e.pk for e in entries if e.competition.past_winner_years]
    if not ruled:
        return {}
    flags = hooks.collect_mapping("past_winner_flags", ruled)
    if not flags:
        return {}
    decisions = {}
    for decision in PastWinnerDecision.objects.filter(entry_id__in=list(flags)).select_related("actor"):
        decisions.setdefault(decision.entry_id, decision)  # ordered latest first per entry
    checks = {}
    for entry_pk, earlier in flags.items():
        first = earlier[0]
        message = _("Inovasi ini pernah terpilih: %(title)s, peringkat %(rank)d di %(competition)s.") % {
            "title": first["title"],
            "rank": first["rank"],
            "competition": first["competition"],
        }
        checks[entry_pk] = {
            "key": "past_winner",
            "message": message,
            "earlier": earlier,
            "decision": decisions.get(entry_pk),
            "entry_pk": entry_pk,
        }
    return checks


def with_checks(entries, at=None):
    """Attach .checks to each entry of an annotated (annotate_checks) list and return the list."""
    entries = list(entries)
    past_winners = past_winner_checks(entries)
    for entry in entries:
        entry.checks = entry_checks(entry, at=at)
        if entry.pk in past_winners:
            entry.checks.append(past_winners[entry.pk])
    return entries


# Lists ----------------------------------------------------------------------------------------------


def _list_base():
    return Entry.objects.select_related("competition", "agency__region", "category")


def agency_entries(user):
    """The innovator's entries (their agency's), each with its status history prefetched."""
    if not user.agency_id:
        return Entry.objects.none()
    mine = Q(agency_id=user.agency_id)
    if user.agency_confirmed_at is None:  # a pending member sees only the drafts they started
        mine &= Q(created_by_id=user.pk)
    return (
        _list_base()
        .filter(mine)
        .prefetch_related(
            Prefetch(
                "status_changes", queryset=StatusChange.objects.select_related("actor").order_by("created_at", "id")
            )
        )
        .order_by("-competition__year", "code")
    )


def verified_by_q(user):
    """Entries `user` verifies: of a region they verify, in a competition of the organisation that made them its
    verifier there (their Membership). One EXISTS, whatever the number of memberships."""
    return Exists(
        Membership.objects.filter(
            user_id=user.pk,
            kind=MembershipKind.VERIFIER,
            region_id=OuterRef("agency__region_id"),
            organisation_id=OuterRef("competition__organisation_id"),
        )
    )


def verifier_queue(user):
    """Entries of the verifier's regions waiting for verification, with the automatic checks annotated."""
    return annotate_checks(
        _list_base().filter(verified_by_q(user), status=EntryStatus.SUBMITTED).order_by("submitted_at")
    )


def verifier_handled(user):
    return (
        _list_base()
        .filter(verified_by_q(user))
        .exclude(status__in=[EntryStatus.DRAFT, EntryStatus.SUBMITTED])
        .order_by("-updated_at")
    )


def selection_queue(competition=None):
    qs = _list_base().filter(status=EntryStatus.FORWARDED)
    if competition is not None:
        qs = qs.filter(competition=competition)
    return annotate_checks(qs.order_by("competition", "code"))


def organiser_entries(*, competition=None, status="", region=None, category=None, group="", search=""):
    qs = _list_base()
    if competition is not None:
        qs = qs.filter(competition=competition)
    if status:
        qs = qs.filter(status=status)
    if region is not None:
        qs = qs.filter(agency__region=region)
    if category is not None:
        qs = qs.filter(category=category)
    if group:
        qs = qs.filter(group=group)
    search = (search or "").strip()
    if search:
        qs = qs.filter(
            Q(title__icontains=search)
            | Q(code__icontains=search)
            | Q(short_name__icontains=search)
            | Q(agency__name__icontains=search)
        )
    return qs.order_by("competition", "code")


def annotate_summary(qs, section_key="ringkasan"):
    """Annotate `summary`: the entry's answer to the summary section (the KIPP "ringkasan"), "" when missing."""
    answer = ProposalAnswer.objects.filter(entry=OuterRef("pk"), section__key=section_key).values("text")[:1]
    return qs.annotate(summary=Coalesce(Subquery(answer), Value(""), output_field=TextField()))


# Display --------------------------------------------------------------------------------------------


def indicator_chart(indicator, width=240, height=110):
    """Geometry of a small bar chart (baseline -> latest) drawn as inline SVG by the template."""
    base, latest = Decimal(indicator.baseline_value), Decimal(indicator.latest_value)
    top = max(abs(base), abs(latest)) or Decimal(1)
    plot_h = height - 40
    bar_w = 60

    def bar(value, x, label, date):
        h = max(int(plot_h * abs(value) / top), 1)
        return {"x": x, "y": 20 + plot_h - h, "w": bar_w, "h": h, "label": label, "value": value, "date": date}

    change = latest - base
    pct = (change / abs(base) * 100) if base else None
    lower_is_better = indicator.direction == IndicatorDirection.LOWER_IS_BETTER
    improved = change < 0 if lower_is_better else change > 0
    return {
        "width": width,
        "height": height,
        "baseline": bar(base, 30, _("Awal"), indicator.baseline_on),
        "latest": bar(latest, 140, _("Terkini"), indicator.latest_on),
        "axis_y": 20 + plot_h,
        "change": change,
        "pct": pct,
        "improved": improved,
        "unchanged": change == 0,
        "fill_latest": "#1f7a3a" if improved else ("#6c757d" if change == 0 else "#b02a37"),
    }


def entry_display_data(entry):
    """Everything the read-only proposal partial (templates/entries/_proposal.html) shows, in a few queries:

    {"sections": [{"section", "text", "words", "limit", "over"}], "team": [...], "indicators": [{"indicator",
    "chart"}], "photos": [...], "documents": [...], "decrees": [...], "history": [...], "deadline": datetime}
    """
    answers = {a.section_id: a.text for a in entry.answers.all()}
    sections = []
    for section in entry.competition.sections.all():
        text = answers.get(section.pk, "")
        words = count_words(text)
        sections.append(
            {
                "section": section,
                "text": text,
                "words": words,
                "limit": section.word_limit,
                "over": bool(section.word_limit and words > section.word_limit),
            }
        )
    attachments = list(entry.attachments.all())
    return {
        "sections": sections,
        "team": list(entry.team_members.all()),
        "indicators": [{"indicator": i, "chart": indicator_chart(i)} for i in entry.indicators.all()],
        "photos": [a for a in attachments if a.kind == AttachmentKind.PHOTO],
        "documents": [a for a in attachments if a.kind == AttachmentKind.DOCUMENT],
        "decrees": [a for a in attachments if a.kind == AttachmentKind.DECREE],
        "history": list(entry.status_changes.select_related("actor").order_by("created_at", "id")),
        "deadline": entry_deadline(entry),
    }
