"""The audit log's hash chain: checking it (`manage.py verify_audit`, a periodic job, the organisers' dashboard).

Every audit event is chained by the database when it is inserted (trigger kipp_audit_chain, kipp migration 0010):
seq is its place, prev_hash the hash of the event before it, hash the SHA-256 of its content and prev_hash
(SQL function kipp_audit_hash: the one definition of what the hash covers). `verify_chain` recomputes every hash
in one statement and reports the first event where the chain breaks:
- changed: the event's content no longer gives its hash (a detail, an actor, a time was changed);
- missing: a place in the chain is empty (an event was deleted);
- broken link: the event's prev_hash is not the hash of the event before it (an event before it was changed and
  re-hashed, or an event was inserted out of order);
- unchained: an event without a place (inserted with the chaining trigger switched off).
- truncated / rewritten (check_and_record): the chain is shorter than the head an earlier good check recorded, or
  the event at that head has another hash now (the newest events deleted, or the chain re-hashed from some event).
Someone who can switch triggers off and also deletes the stored checks can still rewrite everything: the head hash
(printed, stored with every check, shown on the dashboard) kept outside the database is the last defence. That is
the limit of a chain kept in the same database.
"""

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

GENESIS = "0" * 64

# One statement, so one snapshot: the first broken event (if any), the number of events and the head.
VERIFY_SQL = """
WITH c AS (
    SELECT e.id, e.seq, e.hash, e.prev_hash, kipp_audit_hash(e) AS recomputed,
           lag(e.hash) OVER w AS before_hash, lag(e.seq) OVER w AS before_seq
    FROM kipp_auditevent e
    WINDOW w AS (ORDER BY e.seq NULLS LAST, e.id)
), judged AS (
    SELECT id, seq, CASE
        WHEN seq IS NULL THEN 'unchained'
        WHEN recomputed IS DISTINCT FROM hash THEN 'changed'
        WHEN seq <> coalesce(before_seq, 0) + 1 THEN 'missing'
        WHEN prev_hash IS DISTINCT FROM coalesce(before_hash, %(genesis)s) THEN 'broken_link'
    END AS problem
    FROM c
), bad AS (
    SELECT id, seq, problem FROM judged WHERE problem IS NOT NULL ORDER BY seq NULLS LAST, id LIMIT 1
)
SELECT (SELECT count(*) FROM c), (SELECT max(seq) FROM c),
       (SELECT hash FROM c WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1),
       bad.id, bad.seq, bad.problem
FROM (SELECT 1) AS one LEFT JOIN bad ON true
"""


@dataclass
class ChainVerdict:
    ok: bool
    events: int
    head_seq: int | None
    head_hash: str
    problem: str = ""
    problem_event_id: int | None = None
    problem_seq: int | None = None

    def sentence(self):
        if self.ok:
            return _("Rantai catatan audit utuh: %(n)s catatan, kepala %(head)s.") % {
                "n": self.events,
                "head": self.head_hash[:16] or "-",
            }
        reasons = {
            "changed": _("isinya diubah setelah ditulis"),
            "missing": _("catatan sebelumnya hilang (dihapus)"),
            "broken_link": _(
                "tautan ke catatan sebelumnya putus (catatan sebelumnya diubah, atau disisipkan tidak urut)"
            ),
            "unchained": _("catatan tanpa tempat di rantai (ditulis dengan pemicu dimatikan)"),
            "truncated": _("catatan terbaru hilang: rantai kini lebih pendek daripada saat pemeriksaan sebelumnya"),
            "rewritten": _("rantai ditulis ulang: catatan di kepala pemeriksaan sebelumnya kini berbeda"),
        }
        return _("Rantai catatan audit rusak pada catatan #%(id)s (urutan %(seq)s): %(reason)s.") % {
            "id": self.problem_event_id if self.problem_event_id is not None else "-",
            "seq": self.problem_seq if self.problem_seq is not None else "-",
            "reason": reasons.get(self.problem, self.problem),
        }


def verify_chain():
    """Recompute the chain (one statement) and return the verdict."""
    with connection.cursor() as cursor:
        cursor.execute(VERIFY_SQL, {"genesis": GENESIS})
        events, head_seq, head_hash, bad_id, bad_seq, problem = cursor.fetchone()
    return ChainVerdict(
        ok=problem is None,
        events=events,
        head_seq=head_seq,
        head_hash=head_hash or "",
        problem=problem or "",
        problem_event_id=bad_id,
        problem_seq=bad_seq,
    )


def _against_last_head(verdict):
    """The chain as it stands against the head an earlier check recorded: the newest events cut off (the head
    is lower than before, or the log emptied), or the chain rewritten from some event on (the event at the
    recorded head has another hash now), is a broken chain too. Returns the verdict, marked when so."""
    from kipp.models import AuditCheck, AuditEvent

    if not verdict.ok:
        return verdict
    earlier = AuditCheck.objects.filter(ok=True, head_seq__isnull=False).order_by("-head_seq", "-id").first()
    if earlier is None:
        return verdict
    if verdict.head_seq is None or verdict.head_seq < earlier.head_seq:
        verdict.ok, verdict.problem, verdict.problem_seq = False, "truncated", earlier.head_seq
        return verdict
    now_at_head = AuditEvent.objects.filter(seq=earlier.head_seq).values_list("id", "hash").first()
    if now_at_head is None or now_at_head[1] != earlier.head_hash:
        verdict.ok, verdict.problem, verdict.problem_seq = False, "rewritten", earlier.head_seq
        verdict.problem_event_id = now_at_head[0] if now_at_head else None
    return verdict


def check_and_record(now=None):
    """verify_chain, also against the head the last good check recorded, its result stored (AuditCheck) for the
    dashboard. Returns (verdict, check)."""
    from kipp.models import AuditCheck

    verdict = _against_last_head(verify_chain())
    check = AuditCheck.objects.create(
        ran_at=now or timezone.now(),
        ok=verdict.ok,
        events=verdict.events,
        head_seq=verdict.head_seq,
        head_hash=verdict.head_hash,
        problem=verdict.problem,
        problem_event_id=verdict.problem_event_id,
        problem_seq=verdict.problem_seq,
        summary=verdict.sentence(),
    )
    return verdict, check


def last_check():
    from kipp.models import AuditCheck

    return AuditCheck.objects.order_by("-ran_at", "-id").first()


def dashboard_sections(request):
    """The organisers' dashboard shows the audit chain's last check (hook "dashboard_sections")."""
    from kipp.permissions import is_organiser

    if not is_organiser(request.user):
        return []
    return [{"template": "kipp/_dashboard_audit.html", "context": {"check": last_check()}, "order": 90}]
