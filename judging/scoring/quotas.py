"""Quotas at the cut: a round's selection rules (SelectionRule) applied to its ranking. The one implementation,
called by judging.scoring.queries.ranking.assign_outcomes when the round has rules (docs/judging.md, "Aturan
seleksi").

The algorithm (greedy by rank, deterministic: the rows come in rank order, the rank's tie-break already applied):
1. Demands: each "at least" rule asks for places: min_per_category k asks k for its category (or for every category
   of an entry in the round, when it names none); share_per_group p asks ceil(p * N / 100) for its group.
2. Reservations: going down the ranking, an entry that meets a demand not yet met is selected, unless selecting it
   would break an "at most" rule (max_per_region m: more than m selected from the entry's agency's region), until
   N are selected. The best-ranked entries of each category (group) not yet in are thereby the ones reserved.
3. Fill: going down the ranking again, every entry not yet selected is selected while fewer than N are, unless it
   would break an "at most" rule.
4. Reserves: the next reserve_n entries by rank among the rest (the rules do not apply to reserves).
An entry without a total is never selected or reserve, as without rules.

Marks (row["rule"], empty when the rank alone decided the outcome): "in:<rule>" for an entry selected although its
rank is below N, "out:<rule>" for an entry ranked inside N that is not selected; <rule> is the rule's code
(`rule_code`). An entry in by a reservation names the rule that reserved it; one in by the fill names the first
"at most" rule that skipped an entry above it; one out by an "at most" rule names it; one out because reserved
entries took the places names the rule of a reserved entry (the lowest-ranked out paired with the best-ranked in).
An entry whose reserve outcome changed because of those moves carries the mark of the nearest moved entry above it.
"""

import math
from collections import Counter, defaultdict

from django.utils.translation import gettext as _

from judging.scoring.enums import Outcome, SelectionRuleKind
from kipp.enums import EntryGroup

NEAR_CUT = 3


def rule_code(rule):
    """A stable text for a rule: kind, value and target, e.g. min_per_category=1 or share_per_group=30@replikasi."""
    target = ""
    if rule.kind == SelectionRuleKind.MIN_PER_CATEGORY and rule.category_id:
        target = f"@{rule.category.key}"
    elif rule.kind == SelectionRuleKind.SHARE_PER_GROUP:
        target = f"@{rule.group}"
    return f"{rule.kind}={rule.value}{target}"


def category_names(competition_id):
    """{category key: its name} of a competition's categories (rule_text's `categories`). One query."""
    from kipp.models import Category

    return dict(Category.objects.filter(competition_id=competition_id).values_list("key", "name"))


def rule_text(code, categories=None):
    """A mark (in:<code> / out:<code>) or a rule code in words of the active language: a category by its name from
    `categories` (category_names(): the key where it is not there), a group by its label."""
    if not code:
        return ""
    direction, _sep, rest = code.partition(":") if ":" in code else ("", "", code)
    kind, _sep, value_target = rest.partition("=")
    value, _sep, target = value_target.partition("@")
    if kind == SelectionRuleKind.MIN_PER_CATEGORY:
        target = (categories or {}).get(target, target)
    elif kind == SelectionRuleKind.SHARE_PER_GROUP and target in EntryGroup.values:
        target = EntryGroup(target).label
    if kind == SelectionRuleKind.MIN_PER_CATEGORY:
        text = (
            _("minimal %(k)s per kategori %(target)s") % {"k": value, "target": target}
            if target
            else _("minimal %(k)s per kategori") % {"k": value}
        )
    elif kind == SelectionRuleKind.MAX_PER_REGION:
        text = _("maksimal %(m)s per daerah") % {"m": value}
    elif kind == SelectionRuleKind.SHARE_PER_GROUP:
        text = _("minimal %(p)s%% untuk kelompok %(target)s") % {"p": value, "target": target}
    else:
        text = rest
    if direction == "in":
        return _("Masuk karena aturan: %(rule)s") % {"rule": text}
    if direction == "out":
        return _("Keluar karena aturan: %(rule)s") % {"rule": text}
    return text


def entry_attributes(entry_ids):
    """{entry_id: (category_id, group, region_id)} of the entries. One query."""
    from entries.models import Entry

    return {
        pk: (category_id, group, region_id)
        for pk, category_id, group, region_id in Entry.objects.filter(pk__in=entry_ids).values_list(
            "pk", "category_id", "group", "agency__region_id"
        )
    }


def round_rules(round_):
    """The round's rules in their order (with their categories)."""
    from judging.models import SelectionRule

    return list(SelectionRule.objects.filter(round_id=round_.pk).select_related("category").order_by("order", "id"))


def _demands(rules, ranked, attrs, top_n):
    """[(code, kind, target, places)]: what each "at least" rule asks, in rule order."""
    categories = []
    for row in ranked:
        category = attrs[row["entry_id"]][0]
        if category is not None and category not in categories:
            categories.append(category)
    demands = []
    for rule in rules:
        code = rule_code(rule)
        if rule.kind == SelectionRuleKind.MIN_PER_CATEGORY:
            targets = [rule.category_id] if rule.category_id else categories
            demands.extend((code, "category", target, rule.value) for target in targets)
        elif rule.kind == SelectionRuleKind.SHARE_PER_GROUP:
            demands.append((code, "group", rule.group, math.ceil(rule.value * top_n / 100)))
    return demands


def apply_rules(rows, top_n, reserve_n, rules, attributes=None):
    """Set rank, outcome, near_cut and rule on rows (in rank order) under the rules (SelectionRule or objects with
    kind, value, category_id, category.key, group). `attributes`: {entry_id: (category_id, group, region_id)}, read
    from the database when not given. Returns rows."""
    if attributes is None:
        attributes = entry_attributes([row["entry_id"] for row in rows])
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        row["near_cut"] = top_n - NEAR_CUT < rank <= top_n + NEAR_CUT
        row["rule"] = ""
    ranked = [row for row in rows if row["total"] is not None]
    caps = [(rule_code(rule), rule.value) for rule in rules if rule.kind == SelectionRuleKind.MAX_PER_REGION]
    demands = _demands(rules, ranked, attributes, top_n)
    selected = {}  # entry_id -> how it got in: ("reserved", code) or ("fill", None)
    per_region = Counter()
    skipped = {}  # entry_id -> the "at most" rule that kept it out
    first_skip_rank = None

    def breaks_cap(row):
        region = attributes[row["entry_id"]][2]
        for code, m in caps:
            if per_region[region] + 1 > m:
                return code
        return None

    def take(row, how):
        selected[row["entry_id"]] = how
        per_region[attributes[row["entry_id"]][2]] += 1

    met = defaultdict(int)
    for row in ranked:
        if len(selected) >= top_n:
            break
        category, group, _region = attributes[row["entry_id"]]
        wanted = [
            code
            for i, (code, kind, target, places) in enumerate(demands)
            if met[i] < places and (category if kind == "category" else group) == target
        ]
        if not wanted or breaks_cap(row):
            continue
        take(row, ("reserved", wanted[0]))
        for i, (_code, kind, target, _places) in enumerate(demands):
            if (category if kind == "category" else group) == target:
                met[i] += 1
    for row in ranked:
        if len(selected) >= top_n:
            break
        if row["entry_id"] in selected:
            continue
        cap = breaks_cap(row)
        if cap:
            skipped[row["entry_id"]] = cap
            if first_skip_rank is None:
                first_skip_rank = (row["rank"], cap)
            continue
        take(row, ("fill", None))
    reserves = set()
    for row in ranked:
        if len(reserves) >= reserve_n:
            break
        if row["entry_id"] not in selected:
            reserves.add(row["entry_id"])

    plain = {}
    for row in rows:
        rank = row["rank"]
        if row["total"] is None:
            plain[row["entry_id"]] = Outcome.NOT_SELECTED.value
        elif rank <= top_n:
            plain[row["entry_id"]] = Outcome.SELECTED.value
        elif rank <= top_n + reserve_n:
            plain[row["entry_id"]] = Outcome.RESERVE.value
        else:
            plain[row["entry_id"]] = Outcome.NOT_SELECTED.value
        if row["entry_id"] in selected:
            row["outcome"] = Outcome.SELECTED.value
        elif row["entry_id"] in reserves:
            row["outcome"] = Outcome.RESERVE.value
        else:
            row["outcome"] = Outcome.NOT_SELECTED.value

    # The marks of the entries moved in or out of the Top N.
    reserved_in = [r for r in rows if r["entry_id"] in selected and r["rank"] > top_n]
    displaced = []
    for row in rows:
        entry = row["entry_id"]
        if entry in selected and row["rank"] > top_n:
            how, code = selected[entry]
            if how == "reserved":
                row["rule"] = f"in:{code}"
            else:
                row["rule"] = f"in:{first_skip_rank[1]}" if first_skip_rank else ""
        elif row["total"] is not None and row["rank"] <= top_n and entry not in selected:
            if entry in skipped:
                row["rule"] = f"out:{skipped[entry]}"
            else:
                displaced.append(row)
    by_reservation = [r for r in reserved_in if selected[r["entry_id"]][0] == "reserved"]
    fallback = by_reservation[0]["rule"][3:] if by_reservation else (rule_code(rules[0]) if rules else "")
    for i, row in enumerate(sorted(displaced, key=lambda r: -r["rank"])):
        row["rule"] = "out:" + (by_reservation[i]["rule"][3:] if i < len(by_reservation) else fallback)
    # Reserve changes caused by those moves: the mark of the nearest moved entry above.
    last_mark = ""
    for row in rows:
        if row["rule"]:
            last_mark = row["rule"]
        elif row["outcome"] != plain[row["entry_id"]]:
            row["rule"] = last_mark or f"in:{fallback}"
    return rows


def moved_count(rows):
    """How many rows a rule moved (a mark set), per rule code: {code: n}."""
    counts = Counter()
    for row in rows:
        mark = row.get("rule") or ""
        if mark:
            counts[mark.partition(":")[2]] += 1
    return dict(counts)


def infeasible_reason(round_, rules):
    """Why the rules can never be met in the round (a text), or None. The "at least" rules ask for more places than
    the Top N has, or more than the "at most" rules allow."""
    from judging.models import RoundEntry

    top_n = round_.top_n
    entries = RoundEntry.objects.filter(round=round_)
    category_ids = set(entries.exclude(entry__category=None).values_list("entry__category_id", flat=True))
    places = 0
    for rule in rules:
        if rule.kind == SelectionRuleKind.MIN_PER_CATEGORY:
            n_categories = 1 if rule.category_id else len(category_ids)
            places += rule.value * n_categories
            if rule.value > top_n:
                return _("Minimal %(k)s per kategori melebihi Top %(n)s.") % {"k": rule.value, "n": top_n}
        elif rule.kind == SelectionRuleKind.SHARE_PER_GROUP:
            places += math.ceil(rule.value * top_n / 100)
    if places > top_n:
        return _(
            "Aturan minimal meminta %(places)s tempat, lebih dari Top %(n)s: aturan ini tidak mungkin dipenuhi."
        ) % {"places": places, "n": top_n}
    caps = [rule.value for rule in rules if rule.kind == SelectionRuleKind.MAX_PER_REGION]
    if caps:
        n_regions = len(set(entries.values_list("entry__agency__region_id", flat=True)))
        if n_regions and min(caps) * n_regions < top_n:
            return _("Maksimal %(m)s per daerah dengan %(regions)s daerah hanya mengisi %(places)s dari Top %(n)s.") % {
                "m": min(caps),
                "regions": n_regions,
                "places": min(caps) * n_regions,
                "n": top_n,
            }
    return None
