"""Extension points. A higher layer (entries, judging) registers functions here in AppConfig.ready(), so that
a lower layer's page can show something of a higher one without importing it (DESIGN.md, Layers).

Known hooks:
- "home_sections"(request) -> list of {"template": str, "context": dict, "order": int}
- "dashboard_sections"(request) -> same shape, shown on the signed-in user's dashboard
"""

from collections import defaultdict

_hooks = defaultdict(list)


def register(name, func):
    if func not in _hooks[name]:
        _hooks[name].append(func)


def collect_sections(name, request):
    sections = []
    for func in _hooks[name]:
        sections.extend(func(request) or [])
    return sorted(sections, key=lambda s: s.get("order", 100))
