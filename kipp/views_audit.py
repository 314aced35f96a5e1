"""The organisers' audit log: every audit event, newest first, filtered by action, person, object and dates, paged,
with the state of its hash chain (kipp.audit) and a CSV export of what the filter shows (kipp.exports).

An organiser reads only the events of their organisations (issue 13, `organisation_events_q`): the events on the
objects that belong to them (every model with an organisation scope, kipp/scopes.py SCOPED: competitions, entries,
rounds, sheets, announcements, objections, ...; and background jobs of their competitions), on the organisations
themselves, on people's accounts done by their organisations' organisers, and their own. The portal administrator
reads every event."""

import datetime
from itertools import chain

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kipp import exports
from kipp.audit import last_check
from kipp.models import AuditEvent
from kipp.permissions import is_organiser, organised_organisation_ids
from kipp.scopes import SCOPED, organiser_view

PAGE_SIZE = 50
EXPORT_COLUMNS = ["seq", "time_wita", "actor", "action", "object", "details", "ip_address", "hash"]


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Tindakan"), required=False, max_length=80, help_text=_("Awal nama tindakan, mis. publication.")
    )
    actor = forms.CharField(label=_("Pelaku"), required=False, max_length=150, help_text=_("Nama atau email."))
    object = forms.CharField(label=_("Objek"), required=False, max_length=150)
    since = forms.DateField(label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _on(model, path, ids):
    """Events on the objects of `model` whose organisation (at `path`) is one of `ids`."""
    pks = model._base_manager.filter(**{f"{path}__in": ids}).annotate(_key=Cast("pk", CharField())).values("_key")
    return Q(content_type=ContentType.objects.get_for_model(model), object_id__in=pks)


def organisation_events_q(user):
    """The events an organiser may read (see the module's docstring); Q() for the portal administrator."""
    from kipp.jobs.models import BackgroundJob
    from kipp.models import User
    from kipp.organisations.enums import MembershipKind
    from kipp.organisations.models import Membership, Organisation

    ids = organised_organisation_ids(user)
    if ids is None:
        return Q()
    ids = sorted(ids)
    colleagues = Membership.objects.filter(organisation_id__in=ids, kind=MembershipKind.ORGANISER).values("user_id")
    q = Q(actor_id=user.pk) | Q(
        content_type=ContentType.objects.get_for_model(Organisation), object_id__in=[str(pk) for pk in ids]
    )
    q |= Q(content_type=ContentType.objects.get_for_model(User), actor_id__in=colleagues)
    for model, path in [*SCOPED, (BackgroundJob, "competition__organisation_id")]:
        q |= _on(model, path, ids)
    return q


def filtered_events(data, user=None):
    """(form, queryset) for the filter in `data` (GET): an invalid filter shows its errors and every event `user`
    may read (every event when no user is given)."""
    form = AuditFilterForm(data or None)
    events = AuditEvent.objects.order_by("-seq", "-id")
    if user is not None:
        events = events.filter(organisation_events_q(user))
    if form.is_valid():
        f = form.cleaned_data
        if f["action"]:
            events = events.filter(action__startswith=f["action"].strip())
        if f["actor"]:
            term = f["actor"].strip()
            events = events.filter(Q(actor_label__icontains=term) | Q(actor__email__iexact=term))
        if f["object"]:
            events = events.filter(object_repr__icontains=f["object"].strip())
        if f["since"]:
            events = events.filter(created_at__gte=_day_start(f["since"]))
        if f["until"]:
            events = events.filter(created_at__lt=_day_start(f["until"] + datetime.timedelta(days=1)))
    return form, events


@require_safe
@login_required
@organiser_view
def audit_log(request):
    if not is_organiser(request.user):
        raise PermissionDenied(_("Catatan audit hanya untuk penyelenggara."))
    form, events = filtered_events(request.GET, request.user)
    if request.GET.get("export") == "csv":
        rows = (
            [
                e.seq,
                timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                e.actor_label,
                e.action,
                e.object_repr,
                e.details_text,
                e.ip_address or "",
                e.hash,
            ]
            for e in events.iterator(chunk_size=2000)
        )
        return exports.csv_streaming_response("catatan-audit.csv", chain([EXPORT_COLUMNS], rows))  # streamed
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "kipp/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode(), "check": last_check()},
    )
