"""What a new announcement's form starts with: the place and signatory of the competition's organisation, a title
and body naming the round, and the default embargo."""

from django.utils import timezone
from django.utils.translation import gettext as _

from judging.publication import services
from judging.publication.enums import AnnouncementKind


def letter_defaults(competition):
    """Place and signatory of a new announcement: the city and default signatory of the competition's organisation
    (its letterhead page, /o/<slug>/kop/). The letterhead itself is frozen by prepare_announcement
    (publication/letterhead.py freeze): the page and the PDF print it as it stood when the announcement was prepared."""
    organisation = competition.organisation
    return {
        "letterhead": letterhead_text(organisation),
        "place": organisation.city,
        "signatory_name": organisation.signatory_name,
        "signatory_title": organisation.signatory_title,
    }


def letterhead_text(organisation):
    """The letterhead's lines and address as one text (at least the organisation's name)."""
    lines = organisation.heading + ([organisation.address] if organisation.address else [])
    return "\n".join(lines) or organisation.name


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
