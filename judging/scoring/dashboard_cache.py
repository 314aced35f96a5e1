"""The organiser's figures of a round (ranking, progress, judges' distribution, entries short of judges), computed
once per committed state of the scoring data and kept in Django's cache (settings.CACHES).

Which state? Database triggers (migration 0010) add one row to judging_scoringchange for every statement that
changes data these figures are read from, in the same transaction as the change. A reader first reads
(count, newest id) of the rows it can see, then computes. Why that pair names one committed state:
- rows are only added, except by `squash` below; the set of committed rows a reader sees only grows over time
  (a transaction committed before a snapshot is visible to every later one), so two readers that see the same
  number of rows see the same rows, and so the same committed data;
- `squash` deletes the rows and adds a marker row in one transaction: every later reader sees the marker, whose
  id is larger than any id seen before, so no state after a squash shares a key with one before it.
The count is read BEFORE the figures are computed, so what is stored under a key is never older than the state the
key names (at worst newer, for a reader that raced a commit, which the next reader's key then corrects).
The key also holds the round's and its criteria's own settings as the caller read them, and the database name.

The figures themselves are kept in the process that computed them (round_figures); the template fragments (ranking
table, judges' progress, the distribution chart) are cached in the shared cache per window (head / page / all) and
language under the same key; forms with a CSRF token are never inside a cached fragment. Each round has one
cache entry per purpose holding (key, value): a new state replaces the old entry, so memory does not grow with the
number of changes.
"""

import hashlib
import threading

from django.core.cache import cache
from django.db import connection, transaction
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from judging.scoring import charts, queries
from judging.scoring.enums import RoundState

TIMEOUT = 60 * 60
SQUASH_AT = 10_000  # change rows kept before they are squashed into one marker
SQUASH_LOCK = 7_310_010  # advisory lock id: one squash at a time
HTML_FRAGMENTS = ("ranking", "judges", "chart")
CANDIDATES_SHOWN = 10  # replacement judges offered per entry (least loaded first); any judge: round setup


def scoring_state():
    """'count.newest' of the change rows this connection sees now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), COALESCE(max(id), 0) FROM judging_scoringchange")
        count, newest = cursor.fetchone()
    if count > SQUASH_AT and squash():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*), COALESCE(max(id), 0) FROM judging_scoringchange")
            count, newest = cursor.fetchone()
    return f"{count}.{newest}"


def squash():
    """Replace the change rows by one marker row (one squash at a time; others skip). True when it ran."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SQUASH_LOCK])
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("DELETE FROM judging_scoringchange")
        cursor.execute("INSERT INTO judging_scoringchange (at, source) VALUES (now(), 'squash')")
    return True


def round_key(round_, criteria, state=None, snapshot=None):
    """The cache key of the round's figures: the scoring state, the round's and its rubric's settings, and (for a
    closed or published round, whose ranking is its latest snapshot) that snapshot."""
    state = state if state is not None else scoring_state()
    settings_of_round = (
        getattr(snapshot, "pk", None),
        round_.pk,
        round_.competition_id,
        str(round_.aggregation),
        [str(step) for step in round_.tie_break],
        round_.top_n,
        round_.reserve_n,
        round_.judges_per_entry,
        str(round_.state),
    )
    rubric = [(c.pk, c.key, c.title, str(c.weight), c.scale_min, c.scale_max, c.order, c.required) for c in criteria]
    digest = hashlib.sha256(repr((settings_of_round, rubric)).encode()).hexdigest()[:24]
    return f"judging:round:{connection.settings_dict['NAME']}:{round_.pk}:{state}:{digest}"


def table_rows(rows, keys, judge_names=None):
    """The ranking table's rows (templates/judging/scoring/_ranking_table.html): each ranking row with its numbers
    formatted as the table shows them (total_text 2 decimals, spread_text and criteria_texts 1, "" where there is
    none; Django's floatformat in the active language, each distinct value formatted once), criteria_list (means
    aligned with `keys`) and outlier_names (from `judge_names`, {judge id: name}; none without it)."""
    formatted = {}

    def text(value, decimals):
        if value is None:
            return ""
        found = formatted.get((value, decimals))
        if found is None:
            found = formatted[(value, decimals)] = floatformat(value, decimals)
        return found

    out = []
    for row in rows:
        means = [row["criteria"].get(key) for key in keys]
        out.append(
            {
                **row,
                "outlier_names": []
                if judge_names is None
                else [judge_names.get(pk, "?") for pk in row.get("outlier_judge_ids") or ()],
                "criteria_list": means,
                "criteria_texts": [text(mean, 1) for mean in means],
                "total_text": text(row["total"], 2),
                "spread_text": text(row["spread"], 1),
            }
        )
    return out


# What the entries short of judges and their replacement candidates are read from (judging_scoringchange.source):
# assignments, conflicts and the round's judges, entries and settings, and the names shown. Not the sheets: a sheet
# saved or submitted leaves them as they were, so during live scoring they are read again only when these change.
SHORT_SOURCES = (
    "judging_assignment",
    "judging_conflict",
    "judging_roundjudge",
    "judging_roundentry",
    "judging_round",
    "entries_entry",
    "kipp_user",
    "squash",
)


def compute_figures(round_, criteria, snapshot=None, previous=None):
    """The figures of the dashboard. The ranking of a closed or published round is its snapshot (queries.frozen_ranking:
    the figures it was closed with), of any other round the live one (queries.live_ranking: `previous` figures of the
    round brought up to date); progress and judges are the sheets' own; the entries short of judges are those of
    `previous` when nothing they are read from changed since."""
    previous = previous or {}
    changes = queries.change_counts()  # before anything it names the state of
    short_state = queries.state_of(changes, SHORT_SOURCES)
    frozen = queries.frozen_ranking(round_, snapshot=snapshot) if snapshot is not None else None
    live = None
    if frozen is None:
        live = queries.live_ranking(round_, criteria, previous=previous.get("live"), counts=changes)
    counts, active = queries.round_assignment_counts(round_)
    judges, progress = queries.judge_and_round_progress(round_, counts=counts)
    if previous.get("short_state") == short_state:
        short = previous["short"]
    else:
        short = _short_of_judges(round_, counts, active)
    return {
        "ranking": frozen if frozen is not None else live.rows,
        "live": live,
        "progress": progress,
        "judges": judges,
        "distribution": queries.judge_distribution(round_),
        "short": short,
        "short_state": short_state,
    }


def _short_of_judges(round_, counts, active):
    """The entries with fewer than k judges not recused, each with its replacement candidates (least loaded)."""
    short = queries.entries_short_of_k(round_, active=active)
    loads = {judge_id: assigned + recused for judge_id, (assigned, _f, _d, recused) in counts.items()}
    candidates = queries.replacement_candidates(round_, short, loads=loads) if short else {}
    return [
        {
            "entry_id": item.entry_id,
            "code": item.entry.code,
            "title": item.entry.title,
            "active": item.active,
            "candidates": [
                {"judge_id": rj.judge_id, "name": rj.judge.full_name, "load": rj.load}
                for rj in candidates.get(item.entry_id, [])
            ],
        }
        for item in short
    ]


def _slot(round_, name):
    """One cache entry per round and purpose, holding (key, value): a new state replaces the old value instead of
    adding another one beside it, so memory stays at one copy per round (the figures of a round of 50,000 entries
    are about 13 MB)."""
    return f"judging:round:{connection.settings_dict['NAME']}:{round_.pk}:{name}"


def _cached(round_, name, key, compute):
    """The slot holds its key and its value under two cache keys: a request after a change reads the small key, sees
    that it names an older state and computes, without reading (unpickling) the older value first (at M 5,000 ranking
    rows). The value is written before its key, so a reader that sees the new key finds the new value (or, evicted
    meanwhile, none: computed again)."""
    slot = _slot(round_, name)
    if cache.get(f"{slot}:key") == key:
        held = cache.get(f"{slot}:value")
        if held is not None and held[0] == key:
            return held[1]
    value = compute()
    cache.set(f"{slot}:value", (key, value), TIMEOUT)
    cache.set(f"{slot}:key", key, TIMEOUT)
    return value


def frozen_snapshot(round_):
    """The snapshot a closed or published round's figures come from (None for a round in setup or open)."""
    if round_.state not in (RoundState.CLOSED, RoundState.PUBLISHED):
        return None
    return queries.latest_snapshot(round_, with_rows=False)  # the rows are read on a cache miss only


# The figures of the last state seen per round, in this process. They are read only to render a window's fragments
# (which the shared cache holds), so they are kept in process memory, not pickled into the shared cache: during live
# scoring every request after a submit is a new state, and pickling the ranking's rows (5,000 at M) cost more than
# the few requests at the same state that read them again saved. Another process that needs them computes them.
_FIGURES = {}
_FIGURES_LOCK = threading.Lock()
FIGURES_KEPT = 8  # rounds whose figures a process keeps (the figures of a round of 50,000 entries: about 13 MB)


def round_figures(round_, criteria, key=None, snapshot=None):
    """(key, figures) of the round: from this process's last figures of the round if they are of this state, or
    computed (and kept)."""
    if key is None:
        snapshot = frozen_snapshot(round_)
        key = round_key(round_, criteria, snapshot=snapshot)
    slot = _slot(round_, "figures")
    held = _FIGURES.get(slot)
    if held is not None and held[0] == key:
        return key, held[1]
    figures = compute_figures(round_, criteria, snapshot=snapshot, previous=held[1] if held is not None else None)
    with _FIGURES_LOCK:  # threads of one process (gunicorn's gthread workers) share the dict
        _FIGURES.pop(slot, None)
        while len(_FIGURES) >= FIGURES_KEPT:
            _FIGURES.pop(next(iter(_FIGURES)))  # the round seen longest ago
        _FIGURES[slot] = (key, figures)
    return key, figures


def candidate_options(candidates):
    """The <option>s of an entry's replacement judges (name and load), written here: the dashboard lists every entry
    short of judges with up to CANDIDATES_SHOWN candidates, and through the template engine they cost more than
    the rest of the page."""
    return mark_safe(  # noqa: S308 - every value escaped
        "".join(
            f'<option value="{int(c["judge_id"])}">{conditional_escape(c["name"])} '
            f"({conditional_escape(localize(c['load']))})</option>"
            for c in candidates
        )
    )


class RoundDashboard:
    """What the dashboard shows, read lazily: the rendered fragments for a window come from the cache without
    loading the figures; the figures are loaded (from the cache, or computed) only when something needs them."""

    def __init__(self, round_, criteria, window_for):
        self.round = round_
        self.criteria = criteria
        self.window_for = window_for  # function(ranking) -> window dict (rows, mode, page, ...)
        self.snapshot = frozen_snapshot(round_)
        self.key = round_key(round_, criteria, snapshot=self.snapshot)
        self._figures = None

    @property
    def figures(self):
        if self._figures is None:
            _key, self._figures = round_figures(self.round, self.criteria, key=self.key, snapshot=self.snapshot)
        return self._figures

    def fragments(self, window_id):
        language = translation.get_language() or ""
        fragments = _cached(self.round, f"fragments:{window_id}:{language}", self.key, self._render)
        # Rendered by our own templates (escaped there): safe to insert as they are.
        return {**fragments, **{name: mark_safe(fragments[name]) for name in HTML_FRAGMENTS}}  # noqa: S308

    def _render(self):
        figures = self.figures
        window = self.window_for(figures["ranking"])
        judges = figures["judges"]
        names = {row["judge"].pk: row["judge"].full_name for row in judges}
        rows = table_rows(window["rows"], [c.key for c in self.criteria], names)
        chart = charts.distribution_chart(figures["distribution"], judges)
        context = {
            "round": self.round,
            "rows": rows,
            "keys": self.criteria,
            "judges": judges,
            "chart": chart,
            "cut_tie": queries.cut_tie(figures["ranking"], self.round.top_n),
        }
        return {
            "ranking": render_to_string("judging/scoring/_ranking_table.html", context),
            "judges": render_to_string("judging/scoring/_dashboard_judges.html", context),
            "chart": render_to_string("judging/scoring/_distribution_chart.html", context) if chart else "",
            "window": {key: value for key, value in window.items() if key != "rows"},
            "progress": figures["progress"],
            "short": [
                {**item, "candidates": shown, "options": candidate_options(shown)}
                for item in figures["short"]
                for shown in [item["candidates"][:CANDIDATES_SHOWN]]
            ],
            "few_judges": [
                {"code": row["entry_code"], "title": row["title"], "judges": row["judges"], "outcome": row["outcome"]}
                for row in queries.rows_short_of_k(figures["ranking"], self.round.judges_per_entry)
            ]
            if self.round.state != RoundState.OPEN  # while scoring is open the table's flags say it per row
            else [],
        }
