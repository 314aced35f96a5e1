"""Anonymous feedback to the entrants after publication: released by the organiser, per-criterion means and the
judges' comments, never a judge's name."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from judging.models import Score, ScoreSheet
from judging.publication.queries import is_visible
from judging.publication.services.base import locked, require_organiser
from judging.scoring.enums import SheetState
from judging.scoring.queries import recused_q
from judging.scoring.services import JudgingError
from kipp.services import record_event


@transaction.atomic
def release_feedback(*, announcement, actor, now=None):
    """After publication, the organiser releases anonymous feedback (per-criterion means and judges' comments,
    never names) to every entrant of the announcement."""
    require_organiser(actor, announcement.round.competition)
    announcement = locked(announcement)
    if not is_visible(announcement, now):
        raise JudgingError(_("Umpan balik hanya dapat dibuka setelah pengumuman terbit."))
    if announcement.feedback_released_at:
        raise JudgingError(_("Umpan balik pengumuman ini sudah dibuka."))
    announcement.feedback_released_at = now or timezone.now()
    announcement.feedback_released_by = actor
    announcement.save(update_fields=["feedback_released_at", "feedback_released_by"])
    record_event(actor=actor, action="publication.feedback_released", obj=announcement)
    return announcement


def entry_feedback(entry, round_):
    """Anonymous feedback for one entry in one round: per-criterion mean normalised score (counting sheets only) and
    the comments, shuffled by criterion order and text, with no judge name or id. Two queries."""
    counting = (
        ScoreSheet.objects.filter(assignment__round=round_, assignment__entry=entry, state=SheetState.FINAL)
        .annotate(recused=recused_q("assignment__"))
        .filter(recused=False)
    )
    scores = Score.objects.filter(sheet__in=counting.values("pk")).select_related("criterion")
    by_criterion = {}
    for score in scores.order_by("criterion__order", "criterion_id", "comment"):
        c = score.criterion
        item = by_criterion.setdefault(c.pk, {"criterion": c, "values": [], "comments": []})
        item["values"].append(100.0 * (score.value - c.scale_min) / (c.scale_max - c.scale_min))
        if score.comment.strip():
            item["comments"].append(score.comment.strip())
    criteria = [
        {"title": i["criterion"].title, "mean": sum(i["values"]) / len(i["values"]), "comments": i["comments"]}
        for i in by_criterion.values()
    ]
    overall = sorted(c for c in counting.values_list("overall_comment", flat=True) if c.strip())
    return {"criteria": criteria, "overall": overall}
