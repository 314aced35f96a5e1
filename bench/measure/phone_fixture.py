"""The round the phone section measures (bench/measure/phone.py): a presentation round open for scoring, with proposals
as heavy as real ones.

Competition `bench-phone` (made with the product's create_competition: the KIPP 2023 proposal template and its word
limits), 50 eligible entries, each with every proposal section written to 75% of its word limit (about 6,000 words;
the words are drawn at random from the portal's own Indonesian texts, so that gzip gets no easier text than a real
proposal), a team of three, two impact indicators, two photos with thumbnails and a decree; the presentation round
`presentasi-ponsel` (the product's default presentation rubric) with 6 panelists on every entry, opened through the
services. The first panelist has 20 sheets final, 2 drafts and 28 not started (the queue shows open and final ones,
paged). Seeded once into the benchmark database; later runs reuse it.
"""

import datetime
import random
import re
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bench.seed import _judges, bench_organisation, ensure_agencies, ensure_organiser
from entries.demo.year2023 import _attach
from entries.models import Entry, ImpactIndicator, ProposalAnswer, TeamMember
from judging.models import Assignment, Criterion, Round
from judging.scoring import services
from kipp.models import Agency, Province, User
from kipp.services import create_competition

SLUG = "bench-phone"
ROUND_SLUG = "presentasi-ponsel"
ENTRIES = 50
JUDGES = 6
FILL = 0.75  # share of each section's word limit that is written
FINAL, DRAFTS = 20, 2
INDICATORS = [
    ("Warga terlayani", "orang", "count", "higher"),
    ("Waktu layanan", "menit", "measure", "lower"),
]  # the first panelist's sheets: final, then drafts; the rest not started


def vocabulary():
    """The Indonesian words of the portal's own texts (the msgids of locale/en/LC_MESSAGES/django.po)."""
    po = (settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    msgids = " ".join(re.findall(r'^msgid "(.*)"$', po, flags=re.MULTILINE))
    return sorted({w.lower() for w in re.findall(r"[A-Za-z]{3,}", msgids) if not w.isupper()})


def proposal_text(rng, words, n):
    """About n words in sentences of 8 to 20 and paragraphs of 4 to 6 sentences."""
    paragraphs, count = [], 0
    while count < n:
        sentences = []
        for _ in range(rng.randrange(4, 7)):
            length = min(rng.randrange(8, 21), max(1, n - count))
            sentence = [rng.choice(words) for _ in range(length)]
            sentences.append(" ".join(sentence).capitalize() + ".")
            count += length
            if count >= n:
                break
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def phone_round():
    """The round, seeding it first when it is not there yet. Returns (round, the first panelist)."""
    round_ = Round.objects.filter(competition__slug=SLUG, slug=ROUND_SLUG).select_related("competition").first()
    if round_ is None:
        round_ = _seed()
    judge = User.objects.get(email="panelis-ponsel-1@bench.kipp.id")
    return round_, judge


def pages(round_, judge):
    """{"queue": path, "sheet": path}: the first panelist's queue and a sheet of theirs not started yet."""
    assignment = (
        Assignment.objects.filter(round=round_, judge=judge, sheet__isnull=True).order_by("entry__code").first()
    )
    return {
        "queue": reverse("judging:queue", args=[round_.competition.slug, round_.slug]),
        "sheet": reverse("judging:sheet", args=[assignment.pk]),
    }


def _seed():
    rng = random.Random(15)  # noqa: S311 - benchmark data, not security
    organiser = ensure_organiser()
    agency_ids, innovator_ids = ensure_agencies()
    now = timezone.now()
    with transaction.atomic():
        competition = create_competition(
            actor=None,
            slug=SLUG,
            name="Uji beban ponsel",
            year=2027,
            province=Province.objects.order_by("code").first(),
            organisation=bench_organisation(),
            code_prefix="BENCHPH",
            opens_at=now - datetime.timedelta(days=90),
            closes_at=now - datetime.timedelta(days=30),
            requires_regional_verification=False,
        )
        entries = _entries(competition, agency_ids, innovator_ids, rng)
        _proposals(competition, entries, rng)
    _attach(SimpleNamespace(count=lambda *args, **kwargs: None), entries)
    round_ = services.create_round(
        competition=competition,
        slug=ROUND_SLUG,
        name="Presentasi dan wawancara",
        kind="presentation",
        actor=organiser,
        top_n=20,
        reserve_n=5,
        judges_per_entry=JUDGES,
        weight=30,
        opens_at=now - datetime.timedelta(hours=2),
        closes_at=now + datetime.timedelta(days=3),
    )
    judges = User.objects.filter(pk__in=_judges("panelis-ponsel-", JUDGES)).order_by("email")
    services.add_judges(round_=round_, judges=list(judges), actor=organiser)
    services.auto_assign(round_=round_, actor=organiser)
    round_ = services.open_round(round_=round_, actor=organiser)
    _sheets(round_, judges[0], rng)
    return Round.objects.select_related("competition").get(pk=round_.pk)


def _entries(competition, agency_ids, innovator_ids, rng):
    agencies = Agency.objects.in_bulk(agency_ids[:ENTRIES])
    categories = list(competition.categories.order_by("pk"))
    submitted = competition.opens_at + datetime.timedelta(days=10)
    entries = [
        Entry(
            competition=competition,
            agency=agencies[agency_ids[i]],
            created_by_id=innovator_ids[i],
            code=f"{competition.code_prefix}-{i + 1:03d}",
            title=f"Layanan Inovasi Uji Ponsel {i + 1}",
            short_name=f"LIUP{i + 1}",
            category=categories[i % len(categories)] if categories else None,
            group="umum",
            stage="pelembagaan",
            status="eligible",
            submitted_at=submitted + datetime.timedelta(minutes=i),
            forwarded_at=submitted + datetime.timedelta(days=1),
            decided_at=submitted + datetime.timedelta(days=20),
            kecamatan="Rumbia",
            desa="Tompobulu",
            started_on=datetime.date(2021, 1 + rng.randrange(12), 1),
            is_digital=i % 3 == 0,
        )
        for i in range(ENTRIES)
    ]
    return Entry.objects.bulk_create(entries)


def _proposals(competition, entries, rng):
    words = vocabulary()
    sections = list(competition.sections.order_by("order"))
    answers, team, indicators = [], [], []
    for entry in entries:
        for section in sections:
            n = int((section.word_limit or 1000) * FILL)
            answers.append(ProposalAnswer(entry=entry, section=section, text=proposal_text(rng, words, n)))
        for order in range(3):
            team.append(TeamMember(entry=entry, name=f"Anggota Tim {order + 1}", position="Analis", order=order))
        for order, (name, unit, kind, direction) in enumerate(INDICATORS):
            baseline = Decimal(100 + rng.randrange(400))
            indicators.append(
                ImpactIndicator(
                    entry=entry,
                    order=order,
                    name=name,
                    kind=kind,
                    unit=unit,
                    direction=direction,
                    baseline_value=baseline,
                    baseline_on=datetime.date(2021, 7, 1),
                    latest_value=baseline * 2 if direction == "higher" else baseline / 2,
                    latest_on=datetime.date(2024, 7, 1),
                    source="Laporan instansi",
                )
            )
    ProposalAnswer.objects.bulk_create(answers)
    TeamMember.objects.bulk_create(team)
    ImpactIndicator.objects.bulk_create(indicators)


def _sheets(round_, judge, rng):
    criteria = list(Criterion.objects.filter(round=round_).order_by("order"))
    mine = list(Assignment.objects.filter(round=round_, judge=judge).order_by("entry__code"))
    for index, assignment in enumerate(mine[: FINAL + DRAFTS]):
        values = {c.pk: (rng.randint(c.scale_min, c.scale_max), "") for c in criteria}
        if index < FINAL:
            services.submit_sheet(assignment=assignment, judge=judge, values=values, version=0)
        else:
            services.save_sheet(assignment=assignment, judge=judge, values=dict(list(values.items())[:2]), version=0)
