"""Sections that entries adds to kipp's dashboard (kipp.hooks "dashboard_sections")."""

from django.urls import reverse
from django.utils.translation import gettext as _

from entries import permissions
from entries.enums import EntryStatus
from entries.models import Entry
from entries.queries import agency_entries, verified_by_q
from kipp.permissions import organised_q
from kipp.queries import open_competitions


def dashboard_sections(request):
    """One section per thing the person is (an innovator, a verifier and an organiser see all three)."""
    user = request.user
    sections = []
    if permissions.can_create_entry(user):
        sections.append(
            {
                "template": "entries/_dashboard_innovator.html",
                "context": {"entries": list(agency_entries(user)), "competitions": list(open_competitions())},
                "order": 10,
            }
        )
    if permissions.can_use_verifier_queue(user):
        count = Entry.objects.filter(verified_by_q(user), status=EntryStatus.SUBMITTED).count()
        sections.append(_staff(count, "entries:verify_queue", _("Antrean verifikasi")))
    if permissions.is_organiser(user):
        count = Entry.objects.filter(organised_q(user, "competition__organisation_id"), status=EntryStatus.FORWARDED)
        count = count.count()
        sections.append(_staff(count, "entries:selection", _("Seleksi administrasi")))
    return sections


def _staff(count, url_name, label):
    context = {"count": count, "url": reverse(url_name), "label": label}
    return {"template": "entries/_dashboard_staff.html", "context": context, "order": 10}
