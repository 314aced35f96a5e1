from django.db.models import Q
from django.utils import timezone

from kipp.models import Competition


def open_competitions(at=None):
    at = at or timezone.now()
    return Competition.objects.filter(is_public=True, opens_at__lte=at, closes_at__gt=at).order_by("closes_at")


def upcoming_or_open_competitions(at=None):
    at = at or timezone.now()
    return Competition.objects.filter(Q(is_public=True) & Q(closes_at__gt=at)).order_by("opens_at")
