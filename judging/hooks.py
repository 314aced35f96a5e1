"""What judging shows on kipp's pages (kipp.hooks)."""

from judging.models import Round
from judging.scoring.permissions import is_judge, is_organiser
from judging.scoring.queries import judge_rounds


def dashboard_sections(request):
    user = request.user
    if is_judge(user):
        return [
            {
                "template": "judging/scoring/_dashboard_judge.html",
                "context": {"rounds": judge_rounds(user)},
                "order": 20,
            }
        ]
    if is_organiser(user):
        rounds = (
            Round.objects.select_related("competition")
            .exclude(state="published")
            .order_by("-competition__year", "order")[:10]
        )
        return [
            {"template": "judging/scoring/_dashboard_organiser.html", "context": {"rounds": list(rounds)}, "order": 40}
        ]
    return []
