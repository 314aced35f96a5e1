"""Named predicates about people, used by views, templates and tests alike."""

from kipp.enums import Role


def is_organiser(user):
    return bool(user.is_authenticated and user.is_active and (user.role == Role.ORGANISER or user.is_superuser))


def is_portal_administrator(user):
    """The Django admin is for portal administrators (active superusers) only; organisers use the portal's pages."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def can_invite(user):
    """Organisers invite regional verifiers and judges."""
    return is_organiser(user)


def can_manage_competitions(user):
    return is_organiser(user)
