"""Extension points. A higher layer (entries, judging) registers functions here in AppConfig.ready(), so that
a lower layer's page can show something of a higher one without importing it (DESIGN.md, Layers).

Known hooks:
- "home_sections"(request) -> list of {"template": str, "context": dict, "order": int}
- "dashboard_sections"(request) -> same shape, shown on the signed-in user's dashboard
- "entry_sections"(request) -> sections (as "home_sections") shown on an entry's page, each reading `entry` from the
  page: publication's outcomes and schedule, records' link, forwarding's provenance of a nominated entry
- "entry_badges"(entries) -> {entry pk: text}: the latest public outcome of these entries (one query), shown in
  place of the entry's status on the innovator's entry list (kipp/templatetags/kipp_hooks.py `entry_badges`)
- "final_results_public"(competition_ids) -> {competition pk: datetime}: when each competition's final results
  became public (its first visible final announcement); entries.permissions.can_withdraw_entry ends withdrawal then
- "public_rounds"(round_ids) -> {round pk: True}: the rounds among these whose result announcement is public
  (approved and its embargo over; one query). Judges see a round as announced only then
  (judging/scoring/judge_state.py); registered by judging/publication/hooks.py
- "past_winner_flags"(entries) -> {entry pk: [flag dict]}: the earlier announcements that selected the innovation of
  these entries within their competition's past-winner rule (one query); shown with the automatic checks of
  administrative selection (entries.queries.with_checks); registered by judging/records/hooks.py
- "organisation_sections"(request, organisation) -> list of sections (as "home_sections"): what an organisation's
  home /o/<slug>/ shows beside its open calls (its published announcements, records and statistics); registered by
  judging/hooks.py
"""

from collections import defaultdict

_hooks = defaultdict(list)


def register(name, func):
    if func not in _hooks[name]:
        _hooks[name].append(func)


def collect_mapping(name, *args):
    """One dict from the dicts that the functions registered under `name` return (a later registration wins)."""
    merged = {}
    for func in _hooks[name]:
        merged.update(func(*args) or {})
    return merged


def collect_sections(name, request, *args):
    sections = []
    for func in _hooks[name]:
        sections.extend(func(request, *args) or [])
    return sorted(sections, key=lambda s: s.get("order", 100))


# Demo data (seed_demo). Each layer registers a seeder in AppConfig.ready(): kipp first (order 0),
# entries (order 100), judging (order 200), later layers after. A seeder is func(ctx) with ctx a
# kipp.demo.DemoContext; it must be idempotent (get_or_create, skip what exists) and deterministic for a seed.
_seeders = []


def register_seeder(name, func, order):
    if all(existing[1] != name for existing in _seeders):
        _seeders.append((order, name, func))


def seeders():
    return [(name, func) for order, name, func in sorted(_seeders, key=lambda s: (s[0], s[1]))]
