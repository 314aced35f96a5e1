import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from entries import services
from entries.models import Entry, ImpactIndicator
from entries.queries import annotate_checks, annotate_summary, entry_display_data, indicator_chart, with_checks
from tests.entries.conftest import make_complete
from tests.factories import AgencyFactory, EntryFactory, InnovatorFactory


def checked(competition):
    return {
        e.code: {c["key"] for c in e.checks}
        for e in with_checks(
            annotate_checks(Entry.objects.filter(competition=competition).select_related("competition"))
        )
    }


def test_automatic_checks(competition, agency, innovator):
    competition.quota_per_region = 1
    competition.save()
    young = make_complete(
        EntryFactory(competition=competition, agency=agency, created_by=innovator, title="Layanan Adminduk Jemput Bola")
    )
    young.started_on = datetime.date.today() - datetime.timedelta(days=100)
    young.status, young.submitted_at = "submitted", None
    Entry.objects.filter(pk=young.pk).update(
        started_on=young.started_on, status="submitted", submitted_at=datetime.datetime.now(datetime.UTC)
    )
    twin = make_complete(
        EntryFactory(
            competition=competition, agency=agency, created_by=innovator, title="Layanan Adminduk Jemput Bola Plus"
        )
    )
    Entry.objects.filter(pk=twin.pk).update(status="submitted", submitted_at=datetime.datetime.now(datetime.UTC))
    bare = EntryFactory(
        competition=competition, agency=agency, created_by=innovator, title="Sesuatu yang berbeda sama sekali"
    )
    flags = checked(competition)
    assert "too_young" in flags[young.code] and "too_young" not in flags[twin.code]
    assert "duplicate" in flags[young.code] and "duplicate" in flags[twin.code]
    assert "duplicate" not in flags[bare.code]
    assert "quota" in flags[young.code]  # 2 entries of the region submitted, quota 1
    assert "evidence" in flags[bare.code] and "evidence" not in flags[twin.code]


def test_checks_are_one_query_for_a_whole_list(competition, agency, innovator):
    for i in range(30):
        EntryFactory(competition=competition, agency=agency, created_by=innovator, title=f"Inovasi Nomor {i}")
    with CaptureQueriesContext(connection) as ctx:
        entries = with_checks(
            annotate_checks(Entry.objects.filter(competition=competition).select_related("competition"))
        )
    assert len(entries) == 30 and len(ctx.captured_queries) == 1


def test_indicator_chart_lower_is_better(entry):
    indicator = ImpactIndicator(
        entry=entry,
        name="Angka putus sekolah",
        direction="lower",
        baseline_value=Decimal("7.8"),
        baseline_on=datetime.date(2019, 7, 1),
        latest_value=Decimal("1.2"),
        latest_on=datetime.date(2022, 7, 1),
    )
    chart = indicator_chart(indicator)
    assert chart["improved"] and chart["change"] == Decimal("-6.6")
    assert round(chart["pct"], 1) == Decimal("-84.6")
    assert chart["latest"]["h"] < chart["baseline"]["h"]
    indicator.direction = "higher"
    assert not indicator_chart(indicator)["improved"]


def test_entry_display_data(complete_entry):
    data = entry_display_data(complete_entry)
    assert [s["section"].key for s in data["sections"]] == ["ringkasan", "latar_belakang", "kebaruan"]
    assert len(data["photos"]) == 1 and len(data["decrees"]) == 1
    assert data["deadline"] == complete_entry.competition.closes_at


@pytest.mark.django_db(transaction=True)
def test_codes_are_unique_when_innovators_create_at_the_same_time():
    from tests.entries.conftest import SECTIONS  # noqa: F401 - the competition needs no sections here
    from tests.factories import CompetitionFactory

    competition = CompetitionFactory()
    users = [InnovatorFactory(agency=AgencyFactory(name=f"Dinas Paralel {i}")) for i in range(6)]
    errors = []
    barrier = threading.Barrier(len(users))

    def create(user):
        try:
            barrier.wait()
            services.create_entry(user=user, competition=competition, title=f"Inovasi {user.pk}")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    codes = sorted(Entry.objects.filter(competition=competition).values_list("code", flat=True))
    assert codes == [f"{competition.code_prefix}-{i:03d}" for i in range(1, 7)]


def test_annotate_summary(complete_entry, entry):
    from entries.models import ProposalAnswer

    ProposalAnswer.objects.filter(entry=complete_entry, section__key="ringkasan").update(text="Ringkas sekali.")
    bare = EntryFactory(competition=complete_entry.competition, agency=complete_entry.agency)
    summaries = dict(annotate_summary(Entry.objects.all()).values_list("pk", "summary"))
    assert summaries == {complete_entry.pk: "Ringkas sekali.", bare.pk: ""}
