"""What a new announcement's form starts with: the letterhead, place and signatory of the organiser's latest
announcement (or drawn from the competition), a title and body naming the round, and the default embargo."""

from django.db.models import Case, When
from django.utils import timezone
from django.utils.translation import gettext as _

from judging.models import Announcement
from judging.publication import services
from judging.publication.enums import AnnouncementKind


def letter_defaults(competition):
    """Letterhead, place and signatory of a new announcement: those of the organiser's latest announcement (this
    competition first, then another of the same organiser), else drawn from the competition (its organiser heads
    the letter and its head signs); never a fixed organisation."""
    previous = (
        Announcement.objects.filter(round__competition__organiser_name=competition.organiser_name)
        .order_by(Case(When(round__competition=competition, then=0), default=1), "-date", "-id")
        .only("letterhead", "place", "signatory_name", "signatory_title")
        .first()
    )
    if previous is not None:
        fields = ("letterhead", "place", "signatory_name", "signatory_title")
        return {name: getattr(previous, name) for name in fields}
    return {
        "letterhead": competition.organiser_name.upper(),
        "signatory_title": _("Kepala %(organiser)s") % {"organiser": competition.organiser_name},
    }


def initial_fields(round_, kind):
    competition = round_.competition
    label = _("Top %(n)s") % {"n": round_.top_n}
    return {
        "title": _("Hasil %(round)s %(competition)s: %(label)s")
        % {"round": round_.name, "competition": competition.name, "label": label},
        "date": timezone.localdate(),
        **letter_defaults(competition),
        "body": _(
            "Berdasarkan hasil %(round)s %(competition)s, dengan ini diumumkan daftar inovasi yang terpilih "
            "(%(label)s) sebagai berikut. Sanggahan dapat diajukan melalui portal selama masa sanggah."
        )
        % {"round": round_.name, "competition": competition.name, "label": label},
        "embargo_until": services.default_embargo(),
        "show_ranks": kind == AnnouncementKind.FINAL,
        "list_order": "rank",
    }
