"""Role-based navigation. Apps register their menu items in AppConfig.ready(), so kipp imports no app."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


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


def _shown(item, user):
    if PUBLIC in item.roles:
        return True
    if not user.is_authenticated:
        return False
    return user.role in item.roles or (user.is_superuser and "organiser" in item.roles)


def items_for(user):
    result = []
    for item in sorted(_items, key=lambda i: i.order):
        if _shown(item, user):
            try:
                result.append({"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name})
            except NoReverseMatch:
                continue
    return result
