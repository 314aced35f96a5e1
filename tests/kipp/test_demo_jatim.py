"""seed_demo's second province (issue 13 item 8): Jawa Timur's Biro Organisasi with its letterhead, its competition
kovablik-jatim-2023 with entries located in its kabupaten/kota, one round scored with final sheets, nothing
published; seeding again creates nothing. (Twice as processes: tests/kipp/test_seed_demo.py.)"""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from entries.models import Attachment, Entry, ProposalAnswer, StatusChange
from judging.models import Announcement, Assignment, RankingSnapshot, Round, ScoreSheet
from judging.scoring.queries.ranking import round_ranking
from kipp.models import AuditEvent, Competition, Organisation, User
from tests.factories import kinds_of

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-demo-jatim"
NAME = "Biro Organisasi Sekretariat Daerah Provinsi Jawa Timur"


def _seed():
    out = io.StringIO()
    call_command("seed_demo", entries=5, judges=3, password=PASSWORD, stdout=out)
    return out.getvalue()


def test_jawa_timur_has_its_own_organisation_with_its_letterhead(media_root):
    _seed()
    organisation = Organisation.objects.get(name=NAME)
    assert (organisation.level, organisation.province.code, organisation.province.name) == (
        "provinsi",
        "35",
        "Jawa Timur",
    )
    assert organisation.heading == ["PEMERINTAH PROVINSI JAWA TIMUR", "SEKRETARIAT DAERAH", "BIRO ORGANISASI"]
    assert "Surabaya" in organisation.address and organisation.city == "Surabaya"
    assert organisation.signatory_name and "Jawa Timur" in organisation.signatory_title
    sulsel = Organisation.objects.get(name="Biro Organisasi Setda Provinsi Sulawesi Selatan")
    assert sulsel.heading != organisation.heading and sulsel.city != organisation.city


def test_kovablik_has_submitted_entries_in_jawa_timur_regions(media_root):
    _seed()
    competition = Competition.objects.get(slug="kovablik-jatim-2023")
    assert competition.name == "KOVABLIK Jawa Timur 2023"
    assert competition.organisation.name == NAME and competition.province.name == "Jawa Timur"
    entries = Entry.objects.filter(competition=competition).select_related("agency__region", "district", "village")
    assert entries.count() == 8
    assert Counter(e.status for e in entries) == {"eligible": 7, "ineligible": 1}
    assert {e.agency.region.full_name for e in entries} == {
        "Kota Surabaya",
        "Kabupaten Banyuwangi",
        "Kabupaten Sidoarjo",
    }
    for entry in entries:
        assert entry.submitted_at and entry.district.region_id == entry.agency.region_id, entry.code
        assert entry.village is None or entry.village.district_id == entry.district_id
        assert ProposalAnswer.objects.filter(entry=entry).exists()
        assert Attachment.objects.filter(entry=entry, kind="photo").exists()
    kemiren = entries.get(village__code="35.10.15.2004")
    assert (kemiren.village.name, kemiren.district.name) == ("Kemiren", "Glagah")
    # regional verification: Kota Surabaya's entries were forwarded by its verifier, who holds only that region
    verifier = User.objects.get(email="verifier-surabaya@demo.kipp.id")
    assert kinds_of(verifier) == {("jawa-timur", "verifier", "35.78")}
    forwarded_by = StatusChange.objects.filter(entry__competition=competition, to_status="forwarded", actor=verifier)
    assert {c.entry.agency.region.code for c in forwarded_by} == {"35.78"} and forwarded_by.count() == 3
    assert competition.requires_regional_verification


def test_kovablik_has_one_round_scored_with_final_sheets_and_nothing_published(client, media_root):
    _seed()
    competition = Competition.objects.get(slug="kovablik-jatim-2023")
    (round_,) = Round.objects.filter(competition=competition)
    assert (round_.slug, round_.kind, round_.state) == ("presentasi-wawancara", "presentation", "closed")
    assignments = Assignment.objects.filter(round=round_)
    assert assignments.count() == 7 * 3
    assert set(assignments.values_list("judge__email", flat=True)) == {
        f"panelist-jatim{n}@demo.kipp.id" for n in (1, 2, 3)
    }
    sheets = ScoreSheet.objects.filter(assignment__round=round_)
    assert sheets.count() == 21 and set(sheets.values_list("state", flat=True)) == {"final"}
    assert all(s.scores.count() == round_.criteria.count() for s in sheets)
    assert RankingSnapshot.objects.filter(round=round_).count() == 1
    rows = round_ranking(round_)
    assert len(rows) == 7 and all(row["judges"] == 3 for row in rows)
    assert [row["outcome"] for row in rows].count("selected") == 5
    closed = AuditEvent.objects.get(action="judging.round_closed", object_id=str(round_.pk))
    assert closed.actor.email == "organiser-jatim@demo.kipp.id"

    assert not Announcement.objects.filter(round__competition=competition).exists()
    home = client.get(reverse("kipp:organisation", args=["jawa-timur"]))
    assert home.status_code == 200
    html = home.content.decode()
    assert NAME in html
    assert "JATIM-2023" not in html and "Layanan Adminduk Jemput Bola di Balai RW" not in html


def test_jatim_accounts_log_in_and_a_second_run_creates_nothing(client, media_root):
    first = _seed()
    for email in (
        "organiser-jatim@demo.kipp.id",
        "verifier-surabaya@demo.kipp.id",
        "panelist-jatim1@demo.kipp.id",
        "panelist-jatim2@demo.kipp.id",
        "panelist-jatim3@demo.kipp.id",
    ):
        assert email in first
        client.logout()
        response = client.post(reverse("kipp:login"), {"username": email, "password": PASSWORD})
        assert response.status_code == 302, email
    organiser = User.objects.get(email="organiser-jatim@demo.kipp.id")
    assert kinds_of(organiser) == {("jawa-timur", "organiser", None)}
    assert (organiser.agency.name, organiser.agency.region.code) == (NAME, "35")

    def counts():
        competition = Competition.objects.get(slug="kovablik-jatim-2023")
        return (
            Entry.objects.filter(competition=competition).count(),
            ScoreSheet.objects.filter(assignment__round__competition=competition).count(),
            Organisation.objects.count(),
            AuditEvent.objects.count(),
        )

    before = counts()
    assert "Nothing to create" in _seed()
    assert counts() == before
