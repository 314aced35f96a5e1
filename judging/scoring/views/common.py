"""What every scoring page shares: the refusal page and loading a round from the URL."""

from django.shortcuts import get_object_or_404, render

from judging.models import Round


def refuse(request, message, status=403):
    return render(request, "judging/scoring/refused.html", {"message": message}, status=status)


def round_for(competition, round_slug):
    return get_object_or_404(
        Round.objects.select_related("competition"), competition__slug=competition, slug=round_slug
    )
