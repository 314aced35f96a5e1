"""Past winners (issue 16): the check that reads earlier announcements and records (judging/records/past_winners)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from judging.records.past_winners import past_winner_flags
from kipp import hooks
from tests.factories import AgencyFactory
from tests.judging.records.past_winner_helpers import SMS, current_competition, earlier_list, forwarded_entry

pytestmark = pytest.mark.django_db


def test_last_years_top_list_flags_the_same_agencys_similar_title():
    earlier = earlier_list(year=2026)
    sms = earlier["entries"]["E1"]
    entry = forwarded_entry(current_competition(years=1), sms.agency, SMS + " Jilid 2: Pendampingan Alumni")

    flags = past_winner_flags([entry])

    [flag] = flags[entry.pk]
    assert flag["announcement"] == earlier["announcement"].pk
    assert flag["number"] == "065/134/II/B"
    assert flag["rank"] == 1
    assert flag["entry_code"] == "E1"
    assert flag["year"] == 2026
    assert flag["final"] is True
    assert flag["url"] == reverse("judging:public_announcement", args=[earlier["announcement"].pk])
    assert flag["similarity"] >= 0.4
    # the hook entries use gives the same answer
    assert hooks.collect_mapping("past_winner_flags", [entry.pk]) == flags


def test_another_agency_with_the_same_title_is_not_flagged():
    earlier_list(year=2026)
    entry = forwarded_entry(current_competition(years=1), AgencyFactory(), SMS)
    assert past_winner_flags([entry]) == {}


def test_an_old_result_outside_the_window_is_not_flagged_and_a_wider_window_flags_it():
    sms = earlier_list(year=2023)["entries"]["E1"]
    near = forwarded_entry(current_competition(years=3), sms.agency, SMS)
    far = forwarded_entry(current_competition(years=4), sms.agency, SMS)
    flags = past_winner_flags([near, far])
    assert near.pk not in flags
    assert [f["year"] for f in flags[far.pk]] == [2023]


def test_a_rule_of_zero_years_flags_nothing():
    sms = earlier_list(year=2026)["entries"]["E1"]
    entry = forwarded_entry(current_competition(years=0), sms.agency, SMS)
    with CaptureQueriesContext(connection) as queries:
        assert past_winner_flags([entry]) == {}
    assert len(queries) == 1


def test_an_entry_in_reserve_or_not_selected_is_no_past_winner():
    entries = earlier_list(year=2026)["entries"]
    current = current_competition(years=1)
    reserve = forwarded_entry(current, entries["E3"].agency, entries["E3"].title)
    not_selected = forwarded_entry(current, entries["E4"].agency, entries["E4"].title)
    selected = forwarded_entry(current, entries["E2"].agency, entries["E2"].title)
    assert set(past_winner_flags([reserve, not_selected, selected])) == {selected.pk}


def test_the_stage_decides_whether_a_round_announcement_counts():
    sms = earlier_list(year=2026, kind="round")["entries"]["E1"]
    final_only = forwarded_entry(current_competition(years=1, stage="final"), sms.agency, SMS)
    any_round = forwarded_entry(current_competition(years=1, stage="round"), sms.agency, SMS)
    flags = past_winner_flags([final_only, any_round])
    assert final_only.pk not in flags
    assert flags[any_round.pk][0]["final"] is False


def test_an_announcement_still_under_embargo_does_not_count():
    sms = earlier_list(year=2026, embargo_until=timezone.now() + datetime.timedelta(days=1))["entries"]["E1"]
    entry = forwarded_entry(current_competition(years=1), sms.agency, SMS)
    assert past_winner_flags([entry]) == {}


def test_the_innovation_record_links_a_renamed_entry_by_its_short_name():
    sms = earlier_list(year=2026, records=True)["entries"]["E1"]
    renamed = forwarded_entry(
        current_competition(years=1), sms.agency, "Gerakan Kunjungan Rumah Siswa Rawan Putus Sekolah", short_name="sms"
    )
    unrelated = forwarded_entry(current_competition(years=1), sms.agency, "Gerakan Kunjungan Rumah Siswa")
    flags = past_winner_flags([renamed, unrelated])
    assert unrelated.pk not in flags
    [flag] = flags[renamed.pk]
    assert flag["by_record"] is True
    assert flag["entry_code"] == "E1"


@pytest.mark.parametrize("count", [1, 6])
def test_one_query_for_the_whole_list(count):
    sms = earlier_list(year=2026)["entries"]["E1"]
    current = current_competition(years=1)
    entries = [forwarded_entry(current, sms.agency, f"{SMS} Jilid {n + 2}") for n in range(count)]
    with CaptureQueriesContext(connection) as queries:
        flags = past_winner_flags(entries)
    assert len(flags) == count
    assert len(queries) == 1
