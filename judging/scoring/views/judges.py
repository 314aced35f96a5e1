"""Judges: their rounds and the queue of a round."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from judging.scoring import permissions, queries
from judging.scoring.views.common import refuse, round_for


@login_required
def my_rounds(request):
    if not permissions.can_view_queue(request.user):
        return refuse(request, _("Halaman ini hanya untuk juri (evaluator/panelis)."))
    return render(request, "judging/scoring/my_rounds.html", {"rounds": queries.judge_rounds(request.user)})


@login_required
def judge_queue(request, competition, round_slug):
    if not permissions.can_view_queue(request.user):
        return refuse(request, _("Halaman ini hanya untuk juri (evaluator/panelis)."))
    round_ = round_for(competition, round_slug)
    items = queries.judge_queue(round_, request.user)
    counted = [i for i in items if not i["recused"]]
    final = sum(1 for i in counted if i["status"] == "final")
    # Open sheets first (in presentation order), finished and recused ones folded below them.
    done = [i for i in items if i["recused"] or i["status"] == "final"]
    return render(
        request,
        "judging/scoring/queue.html",
        {
            "round": round_,
            "items": items,
            "open_items": [i for i in items if not (i["recused"] or i["status"] == "final")],
            "done_items": done,
            "final": final,
            "total": len(counted),
            "percent": queries.progress_percent(final, len(counted)),
        },
    )
