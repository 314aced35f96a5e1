"""The conflict rule, once (judging/scoring/conflicts.py): a conflict applies to a round's sheets when it is of the
same competition, judge and entry, and recorded for the whole competition or for this round. The Q object and the
SQL fragment give the same conflicts."""

import pytest
from django.db import connection

from judging.models import Conflict
from judging.scoring.conflicts import conflict_applies_q, conflict_applies_sql
from tests.factories import JudgeFactory
from tests.judging.scoring.helpers import add_entry, add_judge, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    round_ = make_round([("a", 1, 1, 10)])
    other_round = make_round([("a", 1, 1, 10)], competition=round_.competition, slug="presentasi", order=2)
    entry, other_entry = add_entry(round_, "E1"), add_entry(round_, "E2")
    judge, other_judge = add_judge(round_), JudgeFactory()

    def conflict(name, *, on_round=None, with_judge=judge, with_entry=entry):
        made = Conflict.objects.create(
            competition=round_.competition,
            round=on_round,
            judge=with_judge,
            entry=with_entry,
            source="organiser",
            reason=name,
        )
        return made.pk

    ids = {
        "whole competition": conflict("whole competition"),
        "this round": conflict("this round", on_round=round_),
        "another round": conflict("another round", on_round=other_round),
        "another judge": conflict("another judge", with_judge=other_judge),
        "another entry": conflict("another entry", with_entry=other_entry),
    }
    return round_, judge, entry, ids


def _by_sql(round_, judge, entry):
    fragment = conflict_applies_sql("c", judge="%(judge)s", entry="%(entry)s")
    params = {"round": round_.pk, "competition": round_.competition_id, "judge": judge.pk, "entry": entry.pk}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT c.id FROM {Conflict._meta.db_table} c WHERE {fragment}", params)  # noqa: S608
        return {row[0] for row in cursor.fetchall()}


def test_a_conflict_applies_for_the_whole_competition_or_this_round(scene):
    round_, judge, entry, ids = scene
    by_q = set(
        Conflict.objects.filter(conflict_applies_q(round_, judge_id=judge.pk, entry_id=entry.pk)).values_list(
            "pk", flat=True
        )
    )
    assert by_q == {ids["whole competition"], ids["this round"]}
    assert _by_sql(round_, judge, entry) == by_q


def test_without_judge_and_entry_the_q_gives_every_conflict_of_the_round(scene):
    round_, _judge, _entry, ids = scene
    applying = set(Conflict.objects.filter(conflict_applies_q(round_)).values_list("pk", flat=True))
    assert applying == {ids["whole competition"], ids["this round"], ids["another judge"], ids["another entry"]}
