"""One small, complete world for tests that walk many pages as many people: the security headers, the script
payloads, accessibility, screenshots and the permission matrix.

build_world(media_root) returns a World with:
- competition (open call) with sections and a category; agencies in Jeneponto (73.04) and Makassar (73.71)
- owner / colleague-free innovator of agency A, other_innovator of agency B
- verifier (Jeneponto) and other_verifier (Makassar), organiser and second_organiser
- entry: submitted then forwarded and eligible, with answers, team, indicator and a photo; draft: a draft of the owner
- round (open, 2 criteria) holding the entry, with judge (assigned, draft sheet), unassigned_judge (a judge of the
  round without this entry) and conflicted_judge (assigned, with a declared conflict)
- announcement: a published announcement of a closed earlier round, when the publishing part exists
- another organisation (Biro Organisasi Jawa Timur) with its own competition, round and entry: other_organiser (its
  organiser), other_province_verifier (its verifier of Kota Surabaya) and other_competition_judge (a judge of its
  round, assigned its entry): none of them has anything to do with the world's competition (issue 13)
"""

import datetime
import io
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tests.factories import (
    AgencyFactory,
    CategoryFactory,
    CompetitionFactory,
    InnovatorFactory,
    JudgeFactory,
    OrganiserFactory,
    ProposalSectionFactory,
    VerifierFactory,
    region,
)

PAYLOAD = "\"'><script>alert('xss')</script><img src=x onerror=alert('img')>"


@dataclass
class World:
    competition: object
    owner: object
    other_innovator: object
    verifier: object
    other_verifier: object
    organiser: object
    second_organiser: object
    judge: object
    unassigned_judge: object
    conflicted_judge: object
    entry: object
    draft: object
    round: object
    assignment: object
    conflicted_assignment: object
    other_assignment: object
    attachment: object
    announcement: object = None
    pending_member: object = None  # signed up into the entry's agency, email verified, membership not confirmed
    other_organiser: object = None  # organiser of another organisation (Jawa Timur)
    other_province_verifier: object = None  # verifier of a Jawa Timur region in that organisation's competitions
    other_competition_judge: object = None  # judge of a round of that organisation's competition
    other_competition: object = None
    extra: dict = field(default_factory=dict)

    def people(self):
        return {
            "anonymous": None,
            "owner": self.owner,
            "other_innovator": self.other_innovator,
            "verifier": self.verifier,
            "other_verifier": self.other_verifier,
            "judge": self.judge,
            "unassigned_judge": self.unassigned_judge,
            "conflicted_judge": self.conflicted_judge,
            "organiser": self.organiser,
            "pending_member": self.pending_member,
            "other_organiser": self.other_organiser,
            "other_province_verifier": self.other_province_verifier,
            "other_competition_judge": self.other_competition_judge,
        }


def png(size=(64, 48), color=(40, 120, 200)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def build_world(*, text=None):
    """text: what goes into every free-text field (default: plausible Indonesian text). Needs MEDIA_ROOT set."""
    from entries import services as entry_services
    from entries.models import Entry, ImpactIndicator, ProposalAnswer, StatusChange, TeamMember
    from judging.models import Conflict
    from judging.scoring import services as judging_services
    from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

    label = text or "Sapa Masyarakat Sekitar"
    competition = CompetitionFactory(quota_per_region=None, quota_per_agency=None, requires_regional_verification=True)
    for order, (key, title) in enumerate([("ringkasan", "Ringkasan"), ("kebaruan", "Kebaruan")]):
        ProposalSectionFactory(competition=competition, key=key, title=title, word_limit=300, order=order)
    category = CategoryFactory(competition=competition, key="inklusif", name=text or "Pelayanan publik inklusif")
    agency = AgencyFactory(name=text or "UPT SMPN 2 Rumbia", region=region("73.04"))
    other_agency = AgencyFactory(name="Dinas Kesehatan Kota Makassar", region=region("73.71"))
    owner = InnovatorFactory(agency=agency, full_name=text or "Suhaedir Bahtiar", email="pemilik@example.org")
    other_innovator = InnovatorFactory(agency=other_agency, full_name="Inovator Lain", email="lain@example.org")
    verifier = VerifierFactory(region=region("73.04"), full_name="Verifikator Jeneponto", email="verif@example.org")
    other_verifier = VerifierFactory(
        region=region("73.71"), full_name="Verifikator Makassar", email="verif2@example.org"
    )
    organiser = OrganiserFactory(full_name="Biro Organisasi", email="biro@example.org")
    second_organiser = OrganiserFactory(full_name="Biro Organisasi Dua", email="biro2@example.org")

    entry = entry_services.create_entry(
        user=owner, competition=competition, title=label, group="umum", category=category
    )
    Entry.objects.filter(pk=entry.pk).update(
        short_name=(text or "SMS")[:60],
        kecamatan=(text or "Rumbia")[:100],
        desa=(text or "Tompobulu")[:100],
        supporting_agencies=text or "Dinas Pendidikan Kabupaten Jeneponto",
        started_on=datetime.date(2020, 1, 15),
        stage="pengembangan",
    )
    entry.refresh_from_db()
    for section in competition.sections.all():
        ProposalAnswer.objects.update_or_create(
            entry=entry, section=section, defaults={"text": text or "Anak putus sekolah di Desa Tompobulu menurun."}
        )
    TeamMember.objects.create(entry=entry, name=label[:150], position=text or "Kepala UPT", contact=text or "0812")
    ImpactIndicator.objects.create(
        entry=entry,
        name=text or "Angka putus sekolah",
        unit=(text or "%")[:40],
        baseline_value=12,
        baseline_on=datetime.date(2019, 7, 1),
        latest_value=3,
        latest_on=datetime.date(2022, 7, 1),
        source=text or "Dapodik",
        direction="lower",
    )
    attachment = entry_services.add_attachment(
        entry=entry,
        user=owner,
        kind="photo",
        uploaded=SimpleUploadedFile(f"{label[:40]}.png", png(), content_type="image/png"),
    )
    entry_services.add_attachment(
        entry=entry,
        user=owner,
        kind="decree",
        uploaded=SimpleUploadedFile("sk.png", png(color=(250, 250, 250)), content_type="image/png"),
    )
    # submitted -> forwarded -> eligible, written directly with its history (the services are tested elsewhere)
    now = timezone.now()
    Entry.objects.filter(pk=entry.pk).update(
        status="eligible", submitted_at=now, forwarded_at=now, decided_at=now, decision_note=text or ""
    )
    StatusChange.objects.create(entry=entry, from_status="draft", to_status="submitted", actor=owner)
    StatusChange.objects.create(
        entry=entry, from_status="submitted", to_status="returned", actor=verifier, note=text or "Lengkapi foto."
    )
    entry.refresh_from_db()
    draft = entry_services.create_entry(
        user=owner, competition=competition, title=(text or "Draf Inovasi Kedua")[:250], group="umum"
    )

    round_ = make_round([("kebaruan", 3, 1, 10), ("signifikansi", 5, 1, 10)], competition=competition, top_n=1)
    from judging.models import RoundEntry

    RoundEntry.objects.create(round=round_, entry=entry, source="eligible")
    other_entry = add_entry(round_, "LAIN-001")
    judge = add_judge(round_, JudgeFactory(full_name="Evaluator Satu", email="juri@example.org"))
    unassigned = add_judge(round_, JudgeFactory(full_name="Evaluator Dua", email="juri2@example.org"))
    conflicted = add_judge(round_, JudgeFactory(full_name="Evaluator Tiga", email="juri3@example.org"))
    sheet = add_sheet(round_, entry, judge, {"kebaruan": 7, "signifikansi": 8}, state="draft")
    if text:
        sheet.overall_comment = text
        sheet.save()
    other_assignment = add_sheet(round_, other_entry, unassigned, {}, assign_only=True)
    conflicted_assignment = add_sheet(round_, entry, conflicted, {}, assign_only=True)
    Conflict.objects.create(
        competition=competition,
        round=round_,
        judge=conflicted,
        entry=entry,
        source="declared",
        reason=text or "Kerabat kepala UPT",
    )
    world = World(
        competition=competition,
        owner=owner,
        other_innovator=other_innovator,
        verifier=verifier,
        other_verifier=other_verifier,
        organiser=organiser,
        second_organiser=second_organiser,
        judge=judge,
        unassigned_judge=unassigned,
        conflicted_judge=conflicted,
        entry=entry,
        draft=draft,
        round=round_,
        assignment=sheet.assignment,
        conflicted_assignment=conflicted_assignment,
        other_assignment=other_assignment,
        attachment=attachment,
    )
    world.announcement = _published_announcement(world, judging_services, text)
    world.pending_member = InnovatorFactory(
        agency=agency, full_name="Pendaftar Baru", email="baru@example.org", agency_confirmed_at=None
    )
    _other_organisation(world)
    return world


def other_organisation():
    """A second organisation, in another province (Biro Organisasi Jawa Timur)."""
    from kipp.models import Province
    from tests.factories import OrganisationFactory

    return OrganisationFactory(
        slug="biro-organisasi-jatim",
        name="Biro Organisasi Setda Provinsi Jawa Timur",
        level="provinsi",
        province=Province.objects.get(code="35"),
        heading_lines="PEMERINTAH PROVINSI JAWA TIMUR",
        city="Surabaya",
    )


def _other_organisation(world):
    """The people of another organisation, with a competition, a round and an entry of its own."""
    from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

    organisation = other_organisation()
    competition = CompetitionFactory(organisation=organisation, slug="kovablik-uji", name="KOVABLIK Uji")
    round_ = make_round([("kebaruan", 1, 1, 10)], competition=competition, top_n=1)
    surabaya = AgencyFactory(name="Dinas Kesehatan Kota Surabaya", region=region("35.78"))
    entry = add_entry(round_, "JATIM-001", agency=surabaya)
    judge = add_judge(
        round_,
        JudgeFactory(organisation=organisation, full_name="Evaluator Jatim", email="juri-jatim@example.org"),
    )
    add_sheet(round_, entry, judge, {}, assign_only=True)
    world.other_competition = competition
    world.other_organiser = OrganiserFactory(
        organisation=organisation, full_name="Biro Organisasi Jatim", email="biro-jatim@example.org"
    )
    world.other_province_verifier = VerifierFactory(
        organisation=organisation, region=region("35.78"), full_name="Verifikator Surabaya", email="v-sby@example.org"
    )
    world.other_competition_judge = judge


def _published_announcement(world, judging_services, text):
    """A published announcement of a second, closed round holding the entry (None without the publishing part)."""
    try:
        from judging.publication import services as publication_services
    except ImportError:
        return None
    from tests.judging.scoring.helpers import add_sheet, make_round

    round_ = make_round(
        [("kebaruan", 1, 1, 10)], competition=world.competition, slug="presentasi-wawancara", order=2, top_n=1
    )
    from judging.models import RoundEntry

    RoundEntry.objects.create(round=round_, entry=world.entry, source="organiser", reason="uji")
    add_sheet(round_, world.entry, world.judge, {"kebaruan": 9})
    judging_services.close_round(round_=round_, actor=world.organiser)
    now = timezone.now()
    announcement = publication_services.prepare_announcement(
        round_=round_,
        actor=world.organiser,
        acknowledge_few_judges=True,  # one judge of k
        number="065/134/II/B",
        title=text or "Pengumuman Top 50",
        date=now.date(),
        place="Makassar",
        signatory_name=text or "Kepala Biro Organisasi",
        signatory_title="Kepala Biro Organisasi",
        letterhead="PEMERINTAH PROVINSI SULAWESI SELATAN",
        body=text or "Berikut daftar inovasi yang lolos.",
        embargo_until=now - datetime.timedelta(minutes=1),
    )
    publication_services.submit_for_approval(announcement=announcement, actor=world.organiser)
    return publication_services.approve_announcement(announcement=announcement, actor=world.second_organiser)
