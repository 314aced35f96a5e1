"""The organiser's certainty-of-the-cut page: how sure the Top N line of a round is (judging/scoring/certainty.py
resamples the judges' sheets). A small round's figures are computed when the page opens; a large one's
(settings.CERTAINTY_IN_BACKGROUND_ENTRIES) by a background job (judging/scoring/jobs.py), which the page offers and
whose latest result it shows, marked out of date when the scores or the round changed since."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from judging.models import Round
from judging.scoring import jobs
from judging.scoring.certainty import cut_certainty, result_from_json
from judging.scoring.permissions import can_view_ranking


def _round(request, competition, round_slug):
    round_ = get_object_or_404(
        Round.objects.select_related("competition"), competition__slug=competition, slug=round_slug
    )
    if not can_view_ranking(request.user, round_):
        raise Http404
    return round_


@login_required
def certainty(request, competition, round_slug):
    round_ = _round(request, competition, round_slug)
    stored, active = jobs.stored_certainty(round_)
    background = jobs.certainty_in_background(round_)
    fresh = stored is not None and stored.result.get("key") == jobs.certainty_key(round_)
    result, computed_at = None, None
    if fresh or (background and stored is not None):
        result, computed_at = result_from_json(stored.result["certainty"]), stored.finished_at
    elif not background:
        result = cut_certainty(round_)
    context = {
        "round": round_,
        "result": result,
        "computed_at": computed_at,
        "out_of_date": computed_at is not None and not fresh,
        "background": background,
        "active_job": active,
    }
    return render(request, "judging/scoring/certainty.html", context)


@require_POST
@login_required
def certainty_start(request, competition, round_slug):
    round_ = _round(request, competition, round_slug)
    return redirect(jobs.start_certainty(round_=round_, actor=request.user))
