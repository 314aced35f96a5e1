"""A round's selection rules (quotas at the cut, judging/scoring/quotas.py): saved as a whole from the setup page."""

from django.db import transaction

from judging.models import Round, SelectionRule
from judging.scoring.quotas import infeasible_reason, rule_code
from judging.scoring.services.errors import JudgingError, require_round_not_closed
from judging.scoring.services.errors import require_organiser as _require_organiser
from kipp.services import record_event


@transaction.atomic
def save_selection_rules(*, round_, actor, rules):
    """Replace the round's selection rules by `rules` (dicts: kind, value, category, group), in that order. Refused
    in a closed or published round (like the rubric), and when the rules can never be met (the reason)."""
    _require_organiser(actor, round_.competition)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    require_round_not_closed(round_)
    new = [
        SelectionRule(
            round=round_,
            kind=rule["kind"],
            value=rule["value"],
            category=rule.get("category"),
            group=rule.get("group") or "",
            order=order,
        )
        for order, rule in enumerate(rules, start=1)
    ]
    reason = infeasible_reason(round_, new)
    if reason:
        raise JudgingError(reason)
    SelectionRule.objects.filter(round=round_).delete()
    SelectionRule.objects.bulk_create(new)
    record_event(
        actor=actor,
        action="judging.selection_rules_changed",
        obj=round_,
        details={"rules": [rule_code(rule) for rule in new]},
    )
    return new
