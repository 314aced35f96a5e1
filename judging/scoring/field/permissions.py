"""Who may verify an entry on site: organisers, and the judges assigned to it in the round without a conflict."""

from judging.models import Assignment
from judging.scoring.permissions import is_judge
from judging.scoring.queries import recused_q
from kipp.permissions import organises_competition


def assignment_for(user, round_, entry):
    """The user's own assignment for the entry in the round, without a conflict, or None."""
    if not is_judge(user):
        return None
    return (
        Assignment.objects.filter(round=round_, entry=entry, judge=user)
        .annotate(recused=recused_q())
        .filter(recused=False)
        .first()
    )


def can_check(user, round_, entry):
    return organises_competition(user, round_.competition) or assignment_for(user, round_, entry) is not None
