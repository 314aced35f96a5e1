from django.core.management.base import CommandError

from judging.models import Round


def get_round(competition_slug, round_slug):
    try:
        return Round.objects.select_related("competition").get(competition__slug=competition_slug, slug=round_slug)
    except Round.DoesNotExist:
        raise CommandError(f"No round {round_slug!r} in competition {competition_slug!r}.") from None
