"""The refusals of scoring's services (kipp.errors classes with the names publication and records catch), and
the organiser check every organiser-only service starts with."""

from django.utils.translation import gettext as _

from kipp.errors import Refused, Stale
from kipp.permissions import is_organiser, organises_competition
from kipp.text import has_visible_text


class JudgingError(Refused):
    """A refused action; str(error.messages[0]) is shown to the user."""


class StaleSheetError(Stale, JudgingError):
    """The sheet changed since the form was loaded (another tab, a retry, a double submit). A kipp.errors.Stale;
    still a JudgingError, so a caller that catches every refusal of scoring catches it too."""


class ConflictOfInterestError(JudgingError):
    """The judge has a conflict of interest with the entry of the assignment."""


def require_organiser(actor, competition=None):
    """Refuse unless `actor` organises `competition`'s organisation (kipp.permissions.organises_competition; a
    superuser organises every one). Every organiser service names the competition it acts in; without one (None)
    any active organiser passes."""
    allowed = is_organiser(actor) if competition is None else organises_competition(actor, competition)
    if not allowed:
        raise JudgingError(_("Hanya penyelenggara yang boleh melakukan ini."))


def require_reason(reason, refusal):
    """Refuse with `refusal` (a JudgingError) when no reason is given, or only invisible characters."""
    if not has_visible_text(reason):
        raise JudgingError(refusal)


CLOSED_STATES = ("closed", "published")


def closed_round_refusal(round_name):
    """The one message of every change refused because the round is closed or published."""
    return _(
        "Babak %(round)s sudah ditutup atau diumumkan; perubahan tidak disimpan. Penyelenggara dapat "
        "membukanya kembali dengan alasan terlebih dahulu."
    ) % {"round": round_name}


def require_round_not_closed(round_):
    """Refuse any change to a round once it is closed or published (who and what it scores: entries, judges,
    assignments, conflicts, recusals; its sheets, rubric, schedule and field checks): its ranking was frozen in a
    snapshot and may be announced. The organiser reopens it with a reason first. Callers pass the round's row as
    read under a lock where a concurrent close matters."""
    if round_.state in CLOSED_STATES:
        raise JudgingError(closed_round_refusal(round_.name))
