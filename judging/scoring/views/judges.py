"""Judges: their rounds and the queue of a round."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from judging.scoring import permissions, queries
from judging.scoring.judge_state import with_judge_states
from judging.scoring.views.common import refuse, round_for, round_page_refusal
from kipp.permissions import organises_competition


@login_required
def my_rounds(request):
    if not permissions.can_view_queue(request.user):
        return refuse(request, _("Halaman ini hanya untuk juri (evaluator/panelis)."))
    return render(request, "judging/scoring/my_rounds.html", {"rounds": queries.judge_rounds(request.user)})


@login_required
def judge_queue(request, competition, round_slug):
    """The judge's own queue in one round. Entries withheld by a conflict of interest are only counted. An organiser
    (who has no queue) is sent to the round's dashboard, a judge of another round is refused."""
    round_ = round_for(competition, round_slug)
    if organises_competition(request.user, round_.competition):
        return redirect("judging:round_dashboard", competition=round_.competition.slug, round_slug=round_.slug)
    if not permissions.can_view_queue(request.user):
        return refuse(request, _("Halaman ini hanya untuk juri (evaluator/panelis)."))
    refusal = round_page_refusal(request, round_)
    if refusal is not None:
        return refusal
    with_judge_states([round_])
    # Open sheets first (in presentation order), finished ones folded below them; both paged, so a judge with 250
    # assignments gets a light page on a phone.
    page = queries.judge_queue_page(
        round_, request.user, open_page=request.GET.get("halaman"), done_page=request.GET.get("selesai")
    )
    return render(
        request,
        "judging/scoring/queue.html",
        {
            "round": round_,
            **page,
            "withheld": queries.withheld_count(round_, request.user),
            "percent": queries.progress_percent(page["final"], page["total"]),
            "done_open": "selesai" in request.GET,
        },
    )
