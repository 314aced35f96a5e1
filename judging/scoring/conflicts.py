"""The conflict-of-interest rule, once: a conflict applies to a sheet of a round when it is of the same competition,
the same judge and the same entry, and recorded for the whole competition (round null) or for this round.

Two forms of the one rule, kept side by side so they cannot drift apart:
- `conflict_applies_q(...)`: a Q object over Conflict for the ORM (values, or OuterRef() in a subquery);
- `conflict_applies_sql(...)`: the same condition as an SQL fragment for the hand-written statements (the ranking,
  the progress figures, the score export, the submit path), over a conflict row aliased `c`.
"""

from django.db.models import Q

# The SQL form of the rule. Each name is an SQL expression (a column of the statement or a parameter placeholder);
# `c` is the alias of the conflict table. The order (competition, judge, entry, round) is that of positional
# parameters where a statement uses `%s`.
CONFLICT_APPLIES_SQL = (
    "{c}.competition_id = {competition} AND {c}.judge_id = {judge} AND {c}.entry_id = {entry}"
    " AND ({c}.round_id IS NULL OR {c}.round_id = {round})"
)


def conflict_applies_sql(
    c="c", *, competition="%(competition)s", judge="a.judge_id", entry="a.entry_id", round="%(round)s"
):
    """The rule as an SQL condition. By default: the assignment `a`'s judge and entry, the competition and round as
    the named parameters %(competition)s and %(round)s."""
    return CONFLICT_APPLIES_SQL.format(c=c, competition=competition, judge=judge, entry=entry, round=round)


def conflict_applies_q(round_=None, *, round_id=None, competition_id=None, judge_id=None, entry_id=None):
    """The rule as a Q over Conflict: the conflicts that apply to the sheets of `round_` (a Round), or of the round
    and competition given by id (values or OuterRef()), narrowed to a judge and/or an entry when given."""
    if round_ is not None:
        round_id, competition_id = round_.pk, round_.competition_id
    q = Q(competition_id=competition_id) & (Q(round__isnull=True) | Q(round_id=round_id))
    if judge_id is not None:
        q &= Q(judge_id=judge_id)
    if entry_id is not None:
        q &= Q(entry_id=entry_id)
    return q
