"""Sections that entries adds to kipp's dashboard (kipp.hooks "dashboard_sections")."""

from django.urls import reverse
from django.utils.translation import gettext as _

from entries import permissions
from entries.enums import EntryStatus
from entries.models import Entry
from entries.queries import agency_entries
from kipp.queries import open_competitions


def dashboard_sections(request):
    user = request.user
    if permissions.can_create_entry(user):
        return [
            {
                "template": "entries/_dashboard_innovator.html",
                "context": {"entries": list(agency_entries(user)), "competitions": list(open_competitions())},
                "order": 10,
            }
        ]
    if permissions.can_use_verifier_queue(user):
        count = Entry.objects.filter(agency__region_id=user.region_id, status=EntryStatus.SUBMITTED).count()
        label = _("Antrean verifikasi")
        return [_staff(count, "entries:verify_queue", label)]
    if permissions.is_organiser(user):
        count = Entry.objects.filter(status=EntryStatus.FORWARDED).count()
        label = _("Seleksi administrasi")
        return [_staff(count, "entries:selection", label)]
    return []


def _staff(count, url_name, label):
    context = {"count": count, "url": reverse(url_name), "label": label}
    return {"template": "entries/_dashboard_staff.html", "context": context, "order": 10}
