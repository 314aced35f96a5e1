"""Builders for forwarding tests: a provincial competition whose final list (Top 4) is public, with content to copy,
and a national competition fed by it."""

import contextlib
import datetime

from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from entries.models import Attachment, ImpactIndicator, ProposalAnswer, TeamMember
from judging.publication import services as pub
from judging.publication.forwarding import services as forwarding
from kipp.files import save_files_or_none
from kipp.models import ProposalSection
from tests.factories import CompetitionFactory, InnovatorFactory, OrganisationFactory, OrganiserFactory
from tests.judging.publication.helpers import text_fields
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round
from tests.world import png

CRITERIA = [("a", 1, 1, 10)]
SCORES = {"E1": 9, "E2": 8, "E3": 7, "E4": 6, "E5": 5}  # Top 4 selected, E5 not
LOWER_SECTIONS = [("ringkasan", "Ringkasan"), ("kebaruan", "Kebaruan"), ("kearifan_lokal", "Kearifan lokal")]
UPPER_SECTIONS = [("ringkasan", "Ringkasan"), ("kebaruan", "Kebaruan"), ("dampak", "Dampak")]


@contextlib.contextmanager
def no_jobs_left_behind():
    """For transactional tests: the task queue's tables are not emptied by the flush that ends them, so the jobs
    deferred inside this block (a final announcement's go_public, mails) are removed at its end."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM procrastinate_jobs")
        [last] = cursor.fetchone()
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM procrastinate_jobs WHERE id > %s", [last])


def _sections(competition, keys):
    for order, (key, title) in enumerate(keys):
        ProposalSection.objects.create(competition=competition, key=key, title=title, order=order, word_limit=500)


def lower_with_final():
    """(lower competition, its published final announcement, {code: entry}, (organiser a, organiser b))."""
    competition = CompetitionFactory(
        slug="kipp-sulsel-uji",
        name="KIPP Sulawesi Selatan Uji",
        opens_at=timezone.now() - datetime.timedelta(days=200),
        closes_at=timezone.now() - datetime.timedelta(days=100),
    )
    _sections(competition, LOWER_SECTIONS)
    round_ = make_round(CRITERIA, competition=competition, top_n=4, reserve_n=0, state="open", k=1)
    judge = add_judge(round_)
    entries = {}
    for minutes, (code, score) in enumerate(SCORES.items()):
        entries[code] = entry = add_entry(round_, code, minutes=minutes)
        add_sheet(round_, entry, judge, {"a": score})
    round_.state = "closed"
    round_.save(update_fields=["state"])
    a, b = OrganiserFactory(full_name="Organiser Sulsel A"), OrganiserFactory(full_name="Organiser Sulsel B")
    final = pub.prepare_announcement(
        round_=round_, actor=a, kind="final", acknowledge_few_judges=True, **text_fields(number="065/312/III/B")
    )
    pub.submit_for_approval(announcement=final, actor=a)
    final = pub.approve_announcement(announcement=final, actor=b)
    return competition, final, entries, (a, b)


def upper_fed_by(lower, *, quota=3, organiser=None):
    """A national open call fed by `lower`, and its organiser."""
    national = OrganisationFactory(slug="kemenpanrb-uji", level="nasional")
    upper = CompetitionFactory(slug="kipp-nasional-uji", name="KIPP Nasional Uji", organisation=national)
    _sections(upper, UPPER_SECTIONS)
    organiser = organiser or OrganiserFactory(full_name="Organiser Nasional", organisation=national)
    forwarding.configure_feeding(competition=upper, actor=organiser, quota=quota, lowers=[lower])
    return upper, organiser


def fill(entry):
    """Proposal text (one section the upper competition does not have), a team member, an indicator, a photo with
    its thumbnail; the innovator of the entry's agency."""
    for section in entry.competition.sections.all():
        ProposalAnswer.objects.create(entry=entry, section=section, text=f"Teks {section.key} dari {entry.code}.")
    TeamMember.objects.create(entry=entry, name="Suhaedir Bahtiar", position="Kepala UPT")
    ImpactIndicator.objects.create(
        entry=entry,
        name="Angka putus sekolah",
        unit="%",
        kind="percent",
        direction="lower",
        baseline_value=12,
        baseline_on=datetime.date(2019, 7, 1),
        latest_value=3,
        latest_on=datetime.date(2022, 7, 1),
    )
    innovator = InnovatorFactory(agency=entry.agency, email=f"inovator-{entry.code.lower()}@example.org")
    data = png()
    with save_files_or_none() as files:
        photo = Attachment(
            entry=entry,
            kind="photo",
            original_name="kegiatan.png",
            size=len(data),
            content_type="image/png",
            sha256="0" * 64,
            uploaded_by=innovator,
        )
        files.save(photo.file, "kegiatan.png", data)
        files.save(photo.thumbnail, "kegiatan-thumb.jpg", data)
        photo.save()
    assert default_storage.exists(photo.file.name)
    return innovator
