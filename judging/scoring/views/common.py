"""What every scoring page shares: the refusal page and loading a round from the URL."""

from django.shortcuts import get_object_or_404

from judging.models import Round
from judging.scoring.refusals import refuse, round_page_refusal

__all__ = ["refuse", "round_for", "round_page_refusal"]


def round_for(competition, round_slug):
    return get_object_or_404(
        Round.objects.select_related("competition"), competition__slug=competition, slug=round_slug
    )
