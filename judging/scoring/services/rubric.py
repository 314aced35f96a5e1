"""The rubric of a round: its criteria and their score bands, editable until a sheet is final (or after a reopen)."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from judging.models import Criterion, Round, Score, ScoreBand, ScoreSheet
from judging.scoring.enums import RoundState, SheetState
from judging.scoring.rubrics import default_bands
from judging.scoring.services.errors import JudgingError, require_round_not_closed
from judging.scoring.services.errors import require_organiser as _require_organiser
from judging.scoring.totals import record_rubric_recompute
from kipp.services import record_event

RESERVED_KEYS = {"rank", "entry_code", "title", "agency", "region", "total", "judges", "spread", "outcome"}


def rubric_editable(round_):
    if round_.state in (RoundState.CLOSED, RoundState.PUBLISHED):
        return False
    if round_.reopened_at is not None:
        return True
    return not ScoreSheet.objects.filter(assignment__round=round_, state=SheetState.FINAL).exists()


def check_rubric_editable(round_):
    """Refuse (JudgingError) while the rubric is locked: a sheet is final and the round was not reopened."""
    require_round_not_closed(round_)
    if not rubric_editable(round_):
        raise JudgingError(
            _(
                "Rubrik terkunci karena sudah ada lembar nilai final. "
                "Buka kembali babak (dengan alasan) untuk mengubahnya."
            )
        )


def _band_lines(bands):
    return [f"{low}-{high}: {text}" for low, high, text in bands]


def _check_bands(criterion, bands):
    """Bands inside the criterion's scale, each min <= max with a text, no two overlapping (the form names the
    line; this guards every other caller)."""
    ordered = sorted(bands)
    for index, (low, high, text) in enumerate(ordered):
        if not (criterion.scale_min <= low <= high <= criterion.scale_max) or not str(text).strip():
            raise JudgingError(
                _("Deskriptor nilai %(low)s-%(high)s tidak sah untuk skala %(min)s-%(max)s.")
                % {"low": low, "high": high, "min": criterion.scale_min, "max": criterion.scale_max}
            )
        if index and low <= ordered[index - 1][1]:
            raise JudgingError(_("Deskriptor nilai tidak boleh bertumpuk rentangnya."))


@transaction.atomic
def save_criterion(*, round_, actor, criterion=None, bands=None, **fields):
    """Add a criterion (criterion=None) or change one. The stored totals follow in the same statement (a trigger,
    judging/scoring/totals.py); the recomputation is audited.

    bands: (min, max, text) triples that replace the criterion's score bands (part of the rubric); None keeps them
    as they are, and gives a new criterion the default bands that fit its scale."""
    _require_organiser(actor, round_.competition)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    check_rubric_editable(round_)
    if fields.get("key") in RESERVED_KEYS:
        raise JudgingError(_("Kunci kriteria ini dipakai oleh kolom ekspor; pilih kunci lain."))
    creating = criterion is None
    key = fields.get("key")
    if key and Criterion.objects.filter(round=round_, key=key).exclude(pk=getattr(criterion, "pk", None)).exists():
        raise JudgingError(_("Kunci kriteria ini sudah dipakai di babak ini."))
    criterion = criterion or Criterion(round=round_)
    before = {name: str(getattr(criterion, name, "")) for name in fields}
    bands_before = [] if creating else list(criterion.bands.values_list("min_value", "max_value", "text"))
    for name, value in fields.items():
        setattr(criterion, name, value)
    criterion.full_clean(exclude=["round"])
    if bands is not None:
        bands = [(int(low), int(high), str(text).strip()) for low, high, text in bands]
        _check_bands(criterion, bands)
    if not creating:
        lo, hi = criterion.scale_min, criterion.scale_max
        if criterion.scores.filter(Q(value__lt=lo) | Q(value__gt=hi)).exists():
            raise JudgingError(_("Sudah ada nilai di luar skala baru; skala tidak dapat diubah seperti itu."))
    criterion.save()
    if bands is None and creating:
        bands = [
            (low, high, text)
            for low, high, text in default_bands()
            if criterion.scale_min <= low and high <= criterion.scale_max
        ]
    details = {"criterion": criterion.key, "before": before, "after": {k: str(v) for k, v in fields.items()}}
    if bands is not None:
        criterion.bands.all().delete()
        ScoreBand.objects.bulk_create(
            [ScoreBand(criterion=criterion, min_value=low, max_value=high, text=text) for low, high, text in bands]
        )
        details["bands"] = {"before": _band_lines(bands_before), "after": _band_lines(sorted(bands, reverse=True))}
    changed = ["added"] if creating else [name for name, value in fields.items() if before[name] != str(value)]
    record_rubric_recompute(round_=round_, actor=actor, criterion=criterion.key, changed=changed)
    record_event(
        actor=actor,
        action="judging.criterion_added" if creating else "judging.criterion_changed",
        obj=round_,
        details=details,
    )
    return criterion


@transaction.atomic
def delete_criterion(*, criterion, actor):
    _require_organiser(actor, criterion.round.competition)
    round_ = Round.objects.select_for_update().get(pk=criterion.round_id)
    check_rubric_editable(round_)
    removed = Score.objects.filter(criterion=criterion).delete()[0]
    record_event(
        actor=actor,
        action="judging.criterion_deleted",
        obj=round_,
        details={"criterion": criterion.key, "scores_removed": removed},
    )
    criterion.delete()
    record_rubric_recompute(round_=round_, actor=actor, criterion=criterion.key, changed=["removed"])
