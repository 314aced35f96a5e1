"""Isolation by organisation at the query layer (issue 13 item 4), with django-scopes as pretalx uses it.

Every model that belongs to an organisation (a competition and what hangs from it: entries, rounds, sheets,
announcements, objections, ...) has `objects = OrganisationScopedManager("<path to its organisation id>")`.
- Inside `organiser_scope(user)` (entered by every organiser page: judging.scoring.permissions.organiser_required
  and `organiser_view` below) a query of such a model is filtered to the organisations the organiser organises,
  whatever the view forgot to filter: another organisation's objects are not found (404). The portal administrator
  (None: every organisation) reads unscoped.
- Inside a scope that does not name the organisation (e.g. `scope()` of another dimension), a query of such a model
  raises django_scopes.ScopeError: a query that forgets its organisation fails loudly.
- Outside any scope (public pages, the innovator's, verifier's and judge's own pages, which their predicates guard,
  commands, tasks, migrations, which use historical managers) the managers are Django's plain ones. This is the one
  difference from django-scopes' default (which refuses queries outside a scope): kipp reads across organisations in
  many legitimate places, and each organiser page opts in. `scopes_disabled()` marks a read inside an organiser
  page that legitimately crosses organisations.

SCOPED lists (model, path) for every scoped model: the audit log page narrows its events by it.
"""

import functools

from django.db import models
from django_scopes import ScopedManager, get_scope, scope, scopes_disabled
from django_scopes.manager import DisabledQuerySet

DIMENSION = "organisation"
SCOPED = []  # (model, path to its organisation id), filled as the models are defined


def OrganisationScopedManager(path, manager_class=models.Manager):  # noqa: N802 (a class factory, like ScopedManager)
    """The default manager of a model that belongs to an organisation; `path` reaches the organisation's id
    (e.g. "competition__organisation_id")."""
    scoped_class = type(ScopedManager(_manager_class=manager_class, **{DIMENSION: path}))

    class Manager(scoped_class):
        organisation_path = path

        def get_queryset(self):
            current = getattr(self, "_override_scope", None) or get_scope()
            plain = manager_class.get_queryset(self)
            if not current or not current.get("_enabled", True):
                return plain  # no scope entered at all, or scopes_disabled(): a plain manager
            if DIMENSION not in current:
                return DisabledQuerySet(self.model, using=self._db, missing_scopes={DIMENSION})
            ids = current[DIMENSION]
            if ids is None:
                return plain
            return plain.filter(within(self.model, path, ids))

        def contribute_to_class(self, cls, name):
            super().contribute_to_class(cls, name)
            if not cls._meta.abstract and (cls, path) not in SCOPED:
                SCOPED.append((cls, path))

    return Manager()


def within(model, path, ids):
    """The condition "belongs to one of the organisations `ids`" of `model`, whose organisation id is at `path`: its
    foreign key in a subquery on the few rows near the organisation (the organisations' rounds or competitions),
    through one join where the path is longer (a score sheet: its assignment's round). Not a subquery on the
    model's own ids: PostgreSQL then read every row of the organisations (at M, counting one round's 15,000
    assignments read the organisation's 197,000: 77 ms instead of 4). Without a join, select_for_update() locks only
    the model's own rows."""
    *relations, column = path.split("__")
    if not relations:
        return models.Q(**{f"{column}__in": list(ids)})
    joined = relations[:-2]  # the hops kept in the outer query (none for a model one or two hops from a round)
    owner = model
    for name in joined:
        owner = owner._meta.get_field(name).related_model
    field = owner._meta.get_field(relations[len(joined)])
    rest = "__".join([*relations[len(joined) + 1 :], column])
    parents = field.related_model._base_manager.filter(**{f"{rest}__in": list(ids)}).values("pk")
    return models.Q(**{"__".join([*joined, field.attname]) + "__in": parents})


def organisation_scope(ids):
    """The scope of an organiser page: `ids` the organisations organised (None: every one, unscoped)."""
    if ids is None:
        return scopes_disabled()
    return scope(**{DIMENSION: sorted(ids)})


def organiser_scope(user):
    from kipp.permissions import organised_organisation_ids

    return organisation_scope(organised_organisation_ids(user))


def organiser_view(view):
    """Run `view` inside the organiser scope of the signed-in user (for organiser pages whose refusal is their own,
    e.g. the audit log page; organiser_required does the same for judging's)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with organiser_scope(request.user):
            return view(request, *args, **kwargs)

    return wrapper


__all__ = ["SCOPED", "OrganisationScopedManager", "organisation_scope", "organiser_scope", "organiser_view", "within"]
