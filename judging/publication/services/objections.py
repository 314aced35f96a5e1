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
from kipp.errors import Stale
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


class StaleAnswerError(Stale, JudgingError):
    """The objection was answered (or its answer revised) after the answering page was loaded: nothing is saved and
    nothing mailed; the organiser reloads to read that answer first."""


def stale_answer_text(objection):
    """Who answered the objection and when, for a form that did not see that answer."""
    return _(
        "Sanggahan ini sudah dijawab oleh %(name)s pada %(when)s WITA; muat ulang halaman untuk melihat jawaban itu. "
        "Jawaban Anda belum disimpan dan belum dikirim."
    ) % {
        "name": objection.answered_by.full_name if objection.answered_by else _("penyelenggara lain"),
        "when": timezone.localtime(objection.answered_at).strftime("%d-%m-%Y %H:%M:%S"),
    }


_AS_LOADED = object()


def answer_objection(*, objection, actor, answer, seen_answered_at=_AS_LOADED, now=None):
    """Answer an objection, or revise its answer, and mail the objector (a revision's mail says it replaces the
    earlier answer). `seen_answered_at`: the answer time the organiser's page showed (None: it showed no answer;
    by default `objection.answered_at` as the caller loaded it). Under the objection's row lock an answer written
    since then refuses with StaleAnswerError, so two organisers answering at once never both save and mail; the
    same person sending the same text again (a double click) is "already saved" and mails nothing more."""
    require_organiser(actor, objection.announcement.round.competition)
    answer = (answer or "").strip()
    if not answer:
        raise JudgingError(_("Tuliskan jawaban atas sanggahan ini."))
    if seen_answered_at is _AS_LOADED:
        seen_answered_at = objection.answered_at
    with transaction.atomic():
        objection = Objection.objects.select_for_update(of=("self",)).select_related("answered_by").get(pk=objection.pk)
        if objection.answered_at != seen_answered_at:
            if objection.answered_by_id == actor.pk and objection.answer == answer:
                objection.already_saved = True
                return objection
            raise StaleAnswerError(stale_answer_text(objection))
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
        mail_objection_answer(objection, previous_answer=previous)
    objection.already_saved = False
    return objection


def objection_counts(announcement):
    return announcement.objections.aggregate(total=Count("id"), answered=Count("answered_at"))
