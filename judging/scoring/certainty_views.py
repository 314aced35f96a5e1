"""The organiser's certainty-of-the-cut page: how sure the Top N line of a round is (judging/scoring/certainty.py
resamples the judges' sheets)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from judging.models import Round
from judging.scoring.certainty import cut_certainty
from judging.scoring.permissions import can_view_ranking


@login_required
def certainty(request, competition, round_slug):
    round_ = get_object_or_404(
        Round.objects.select_related("competition"), competition__slug=competition, slug=round_slug
    )
    if not can_view_ranking(request.user, round_):
        raise Http404
    result = cut_certainty(round_)
    return render(request, "judging/scoring/certainty.html", {"round": round_, "result": result})
