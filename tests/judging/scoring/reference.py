"""The method of shared/DESIGN.md in plain Python, from export_scores rows alone (strings as in the CSV).

Used to check the database implementation (round-trip test). Deliberately independent of judging.scoring.queries."""

import statistics
from collections import defaultdict


def recompute(score_rows, method="mean"):
    """score_rows: dicts with the export_scores columns. Returns {entry_code: {"total", "judges", "spread",
    "criteria": {key: mean n}, "criteria_by_weight": [...] }} over final, unrecused sheets."""
    weights = {}
    sheets = defaultdict(dict)  # (entry, judge) -> {criterion: n}
    for row in score_rows:
        weights[row["criterion"]] = float(row["weight"])
        if row["sheet_state"] != "final" or str(row["recused"]).lower() == "true" or row["value"] in ("", None):
            continue
        low, high, value = int(row["min"]), int(row["max"]), int(row["value"])
        sheets[(row["entry_code"], row["judge"])][row["criterion"]] = 100.0 * (value - low) / (high - low)
    totals = {}
    for key, ns in sheets.items():
        totals[key] = sum(weights[c] * n for c, n in ns.items()) / sum(weights[c] for c in ns)
    values = dict(totals)
    if method == "normalised" and totals:
        all_t = list(totals.values())
        mean_all, sd_all = statistics.fmean(all_t), statistics.pstdev(all_t)
        per_judge = defaultdict(list)
        for (_entry, judge), t in totals.items():
            per_judge[judge].append(t)
        for (entry, judge), t in totals.items():
            ts = per_judge[judge]
            sd_p = statistics.pstdev(ts)
            if len(ts) >= 3 and sd_p > 1e-9:
                values[(entry, judge)] = mean_all + sd_all * (t - statistics.fmean(ts)) / sd_p
    per_entry = defaultdict(list)
    for (entry, judge), t in totals.items():
        per_entry[entry].append((judge, t, values[(entry, judge)]))
    result = {}
    for entry, items in per_entry.items():
        ts = [t for _j, t, _v in items]
        vs = [v for _j, _t, v in items]
        total = statistics.median(ts) if method == "median" else statistics.fmean(vs)
        crit = defaultdict(list)
        for judge, _t, _v in items:
            for c, n in sheets[(entry, judge)].items():
                crit[c].append(n)
        result[entry] = {
            "total": total,
            "judges": len(items),
            "spread": statistics.pstdev(ts),
            "criteria": {c: statistics.fmean(ns) for c, ns in crit.items()},
        }
    order = sorted(weights, key=lambda c: -weights[c])
    return result, order


def rank_key(entry_result, criteria_by_weight):
    """Sort key for the default tie-break without the submission time (not in export_scores)."""
    return (
        -round(entry_result["total"], 9),
        *[-round(entry_result["criteria"].get(c, float("-inf")), 9) for c in criteria_by_weight],
        round(entry_result["spread"], 9),
    )
