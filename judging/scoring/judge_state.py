"""The state of a round as judges are shown it. A round becomes "published" when its announcement is approved, but
the announcement may still be under embargo: until it is public, judges see the round as closed ("Ditutup"), never
"Diumumkan". Which rounds have a public announcement is publication's to say; scoring cannot import it, so it asks
the kipp hook "public_rounds" (registered by judging/publication/hooks.py). Without an answer a published round
stays "Ditutup": the safe side of an embargo."""

from judging.scoring.enums import RoundState
from kipp import hooks


def with_judge_states(rounds):
    """Set `judge_state` and `judge_state_label` on each round; the rounds, as a list. At most one query (only when
    one of them is published)."""
    rounds = list(rounds)
    published = [r.pk for r in rounds if r.state == RoundState.PUBLISHED]
    public = hooks.collect_mapping("public_rounds", published) if published else {}
    for round_ in rounds:
        state = round_.state
        if state == RoundState.PUBLISHED and not public.get(round_.pk):
            state = RoundState.CLOSED
        round_.judge_state = str(state)
        round_.judge_state_label = RoundState(state).label
    return rounds
