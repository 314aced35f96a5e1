"""Every URL pattern of the project, walked through Django's resolver (used by the CSRF test and the
permission matrix): each as (qualified name, route with converters, callback)."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route itself when the pattern has no name
    route: str  # the full route, e.g. "proposal/<int:pk>/"
    callback: object

    def params(self):
        return [(m.group("name"), m.group("conv") or "str") for m in _PARAM.finditer(self.route)]

    def url(self, **values):
        """The path with each parameter replaced by values[name] (or a dummy of the converter's shape)."""
        dummies = {"int": "999999", "slug": "tidak-ada", "str": "tidak-ada", "uuid": "0" * 32, "path": "x"}

        def repl(match):
            name, conv = match.group("name"), match.group("conv") or "str"
            return str(values.get(name, dummies.get(conv, "x")))

        return "/" + _PARAM.sub(repl, self.route)


def _route_text(pattern):
    return str(pattern.pattern)


def walk(patterns=None, prefix="", namespace=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from walk(
                pattern.url_patterns, prefix + _route_text(pattern), f"{namespace}{ns}:" if ns else namespace
            )
        elif isinstance(pattern, URLPattern):
            route = prefix + _route_text(pattern)
            name = f"{namespace}{pattern.name}" if pattern.name else route
            yield Route(name=name, route=route.lstrip("^").rstrip("$"), callback=pattern.callback)


def project_routes(include_admin=False):
    routes = {(r.name, r.route): r for r in walk() if include_admin or not r.route.startswith("admin/")}.values()
    return sorted(routes, key=lambda r: r.name)
