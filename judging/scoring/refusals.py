"""Scoring's refusal page: a person who may not use a page is told why, with status 403
(judging/scoring/refused.html); and the one check of the round pages that judges reach."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from judging.scoring.permissions import can_view_round_pages


def refuse(request, message, status=403):
    return render(request, "judging/scoring/refused.html", {"message": message}, status=status)


def round_page_refusal(request, round_):
    """None when the user may open the pages of `round_` that judges reach (queue, schedule, field verification):
    organisers and the round's judges; otherwise the 403 page that says so."""
    if can_view_round_pages(request.user, round_):
        return None
    return refuse(
        request,
        _(
            "Anda bukan juri babak %(round)s. Halaman babak ini hanya untuk penyelenggara dan juri yang ditugaskan "
            "di babak ini; buka babak Anda dari halaman Penilaian saya."
        )
        % {"round": round_.name},
    )
