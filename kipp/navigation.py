"""Role-based navigation. Apps register their menu items in AppConfig.ready(), so kipp imports no app."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from kipp import permissions


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple
    order: int = 100


_items: list[NavItem] = []

PUBLIC = "public"  # an item registered for this role is shown to everyone, anonymous visitors included


def register(label, url_name, roles, order=100):
    item = NavItem(label=label, url_name=url_name, roles=tuple(roles), order=order)
    if item not in _items:
        _items.append(item)


# An item is registered for role names; each name is shown to whoever its base predicate admits (a superuser sees
# the organiser's items, an inactive account sees none).
ROLE_PREDICATES = {
    "innovator": permissions.is_innovator,
    "verifier": permissions.is_verifier,
    "organiser": permissions.is_organiser,
    "judge": permissions.is_judge,
}


def _shown(item, user):
    if PUBLIC in item.roles:
        return True
    return any(role in ROLE_PREDICATES and ROLE_PREDICATES[role](user) for role in item.roles)


def items_for(user):
    result = []
    for item in sorted(_items, key=lambda i: i.order):
        if _shown(item, user):
            try:
                result.append({"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name})
            except NoReverseMatch:
                continue
    return result
