"""Objections (sanggahan) to a visible announcement while its window is open, and the organiser's answers."""

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from judging.models import Objection
from judging.publication.queries import is_visible, objection_window, objection_window_open
from judging.publication.ratelimit import (
    objection_limit,
    retry_after,
    signed_in_hourly_limit,
    signed_in_over_total,
    signed_in_total_limit,
    take_objection_allowance,
    take_signed_in_allowance,
)
from judging.publication.services.base import require_organiser
from judging.publication.services.notifications import mail_objection_answer
from judging.scoring.services import JudgingError
from kipp.services import record_event
from kipp.text import has_visible_text


class ObjectionRateLimited(JudgingError):
    """Too many objections on one announcement: from one client address (anonymous) or one person (signed in)
    within the hour, or from one person in all. `retry_after`: seconds until trying again helps (None: never)."""

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


def _signed_in_limits(announcement, user, now):
    """Refuse (ObjectionRateLimited) a signed-in person over the total or the hourly limit; nothing is stored."""
    if signed_in_over_total(announcement, user):
        raise ObjectionRateLimited(
            _(
                "Sanggahan belum disimpan: Anda sudah mengajukan %(limit)s sanggahan atas pengumuman ini, batas "
                "untuk satu orang. Bila ada hal baru, hubungi penyelenggara; isian Anda masih ada di formulir."
            )
            % {"limit": signed_in_total_limit()}
        )
    if not take_signed_in_allowance(announcement, user, now):
        raise ObjectionRateLimited(
            _(
                "Sanggahan belum disimpan: Anda sudah mengajukan %(limit)s sanggahan atas pengumuman ini dalam satu "
                "jam, batas untuk satu orang. Silakan coba lagi nanti (paling lama satu jam lagi); isian Anda masih "
                "ada di formulir."
            )
            % {"limit": signed_in_hourly_limit()},
            retry_after=retry_after(now),
        )


def file_objection(*, announcement, entry, reason, user=None, name="", email="", client_address=None, now=None):
    """Anyone may object about an entry of a visible announcement while its window is open: signed in (name and
    email from the account) or by name and email. Refused after the window with the closing time shown.
    Anonymous objections are counted per client_address and announcement, signed-in ones per person and
    announcement (hourly and in all; judging/publication/ratelimit.py, in the database); over a limit
    ObjectionRateLimited is raised and nothing is stored."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not is_visible(announcement, now):
        raise JudgingError(_("Pengumuman ini belum terbit."))
    opens, closes = objection_window(announcement)
    if not objection_window_open(announcement, now):
        raise JudgingError(
            _("Masa sanggah sudah ditutup pada %(closes)s WITA; sanggahan tidak dapat diajukan lagi.")
            % {"closes": timezone.localtime(closes).strftime("%d-%m-%Y %H:%M")}
        )
    if not has_visible_text(reason):
        raise JudgingError(_("Tuliskan alasan sanggahan."))
    if not announcement.rows.filter(entry=entry).exists():
        raise JudgingError(_("Proposal ini tidak termasuk dalam pengumuman ini."))
    signed_in = user is not None and user.is_authenticated
    if signed_in:
        name, email, filed_by = user.full_name, user.email, user
    else:
        name, email, filed_by = (name or "").strip(), (email or "").strip().lower(), None
        if not name or not email:
            raise JudgingError(_("Tuliskan nama dan email Anda agar jawaban penyelenggara dapat dikirimkan."))
    with transaction.atomic():
        if signed_in:
            _signed_in_limits(announcement, user, now)
        elif not take_objection_allowance(announcement, client_address, now):
            raise ObjectionRateLimited(
                _(
                    "Sanggahan belum disimpan: batas sanggahan per jam untuk pengumuman ini dari alamat jaringan "
                    "Anda (%(limit)s) sudah tercapai. Silakan coba lagi nanti (paling lama satu jam lagi); isian "
                    "Anda masih ada di formulir."
                )
                % {"limit": objection_limit()},
                retry_after=retry_after(now),
            )
        objection = Objection.objects.create(
            announcement=announcement,
            entry=entry,
            filed_by=filed_by,
            name=name[:150],
            email=email,
            reason=reason,
            created_at=now,
        )
        record_event(
            actor=filed_by,
            action="publication.objection_filed",
            obj=objection,
            details={"announcement": announcement.number, "entry": entry.code},
        )
    return objection


def answer_objection(*, objection, actor, answer, now=None):
    require_organiser(actor)
    answer = (answer or "").strip()
    if not answer:
        raise JudgingError(_("Tuliskan jawaban atas sanggahan ini."))
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        previous = objection.answer
        objection.answer = answer
        objection.answered_by = actor
        objection.answered_at = now or timezone.now()
        objection.save(update_fields=["answer", "answered_by", "answered_at"])
        record_event(
            actor=actor,
            action="publication.objection_answered",
            obj=objection,
            details={"answer": answer, "previous_answer": previous},
        )
        mail_objection_answer(objection)
    return objection


def objection_counts(announcement):
    return announcement.objections.aggregate(total=Count("id"), answered=Count("answered_at"))
