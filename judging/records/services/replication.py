"""Replication requests of innovation records: another agency asks (requested), the owning agency agrees or
declines (with a reason), and the requester reports it implemented. Every step is audited and the other side is
emailed after the commit; a refusal raises JudgingError with a message for the person."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from judging.models import ReplicationRequest
from judging.records.enums import OPEN_REPLICATION_STATES, REPLICATION_STEPS, ReplicationState
from judging.records.permissions import can_answer_replication, can_mark_implemented, can_request_replication
from judging.records.services.updates import refuse_pending
from judging.scoring.services import JudgingError
from kipp.mail import absolute_url, send_templated_mails, templated_message
from kipp.models import User
from kipp.outbox.enums import NotificationKind
from kipp.services import record_event


def _record_url(record):
    return absolute_url(reverse("records:detail", args=[record.slug]))


def _owners(record):
    return list(
        User.objects.filter(agency_id=record.agency_id, is_active=True, agency_confirmed_at__isnull=False).order_by(
            "email"
        )
    )


def _requesters(replication):
    """[(email, language)]: the request's contact and the requesting agency's innovators, by email."""
    people = {replication.contact_email: None}
    people.update(
        User.objects.filter(
            agency_id=replication.requester_agency_id,
            is_active=True,
            agency_confirmed_at__isnull=False,
        ).values_list("email", "language")
    )
    return sorted((email, language) for email, language in people.items() if email)


def _notify(recipients, template, replication, kind):
    """One email per (email, language) of `recipients`, in that language, queued in the caller's transaction
    (kipp.mail, kipp.outbox)."""
    context = {"replication": replication, "record": replication.record, "url": _record_url(replication.record)}
    send_templated_mails(
        templated_message(to=email, template=template, context=context, language=language, kind=kind, about=replication)
        for email, language in recipients
    )


@transaction.atomic
def request_replication(
    *, record, actor, plan, contact_name="", contact_email="", contact_phone="", now=None, request=None, notify=True
):
    """A signed-in innovator of another agency asks to replicate a public record; the owner agency is emailed."""
    from judging.records.queries import public_records

    now = now or timezone.now()
    if not public_records(now).filter(pk=record.pk).exists():
        raise JudgingError(_("Catatan inovasi ini belum tayang untuk publik."))
    if not can_request_replication(actor, record):
        refuse_pending(actor)
        raise JudgingError(_("Permintaan replikasi diajukan oleh inovator dari instansi lain yang sudah masuk."))
    plan = (plan or "").strip()
    if not plan:
        raise JudgingError(_("Tuliskan rencana replikasi: di mana, kapan, dan siapa yang menjalankan."))
    if ReplicationRequest.objects.filter(
        record=record, requester_agency_id=actor.agency_id, state__in=OPEN_REPLICATION_STATES
    ).exists():
        raise JudgingError(_("Instansi Anda sudah punya permintaan replikasi yang masih berjalan untuk inovasi ini."))
    try:
        with transaction.atomic():
            replication = ReplicationRequest.objects.create(
                record=record,
                requester_agency_id=actor.agency_id,
                requested_by=actor,
                contact_name=(contact_name or actor.full_name).strip(),
                contact_email=(contact_email or actor.email).strip(),
                contact_phone=(contact_phone or actor.phone or "").strip(),
                plan=plan,
                requested_at=now,
            )
    except IntegrityError as exc:
        raise JudgingError(_("Instansi Anda sudah punya permintaan replikasi yang masih berjalan.")) from exc
    record_event(
        actor=actor,
        action="replication.requested",
        obj=replication,
        details={"record": record.slug, "agency": actor.agency_id},
        request=request,
    )
    if notify:
        _notify(
            [(owner.email, owner.language) for owner in _owners(record)],
            "judging/records/email/replication_requested",
            replication,
            NotificationKind.REPLICATION_REQUESTED,
        )
    return replication


def _step(replication, to_state):
    if to_state not in REPLICATION_STEPS[ReplicationState(replication.state)]:
        raise JudgingError(
            _("Permintaan ini berstatus %(state)s dan tidak dapat diubah menjadi %(to)s.")
            % {"state": replication.get_state_display(), "to": ReplicationState(to_state).label}
        )


@transaction.atomic
def answer_replication(*, replication, actor, agree, note="", now=None, request=None, notify=True):
    """The owner agency agrees or declines (declining needs a reason); the requester is emailed."""
    now = now or timezone.now()
    replication = ReplicationRequest.objects.select_for_update().select_related("record").get(pk=replication.pk)
    if not can_answer_replication(actor, replication):
        refuse_pending(actor)
        raise JudgingError(_("Hanya inovator dari instansi pemilik inovasi yang dapat menjawab permintaan ini."))
    to_state = ReplicationState.AGREED if agree else ReplicationState.DECLINED
    _step(replication, to_state)
    note = (note or "").strip()
    if not agree and not note:
        raise JudgingError(_("Tuliskan alasan penolakan; alasan ini dikirim ke instansi peminta."))
    replication.state = to_state
    replication.answered_by = actor
    replication.answer_note = note
    if agree:
        replication.agreed_at = now
    else:
        replication.declined_at = now
    replication.save()
    record_event(
        actor=actor,
        action=f"replication.{to_state}",
        obj=replication,
        details={"record": replication.record.slug, "note": note},
        request=request,
    )
    if notify:
        _notify(
            _requesters(replication),
            "judging/records/email/replication_answered",
            replication,
            NotificationKind.REPLICATION_ANSWERED,
        )
    return replication


@transaction.atomic
def mark_replication_implemented(*, replication, actor, note="", now=None, request=None):
    now = now or timezone.now()
    replication = ReplicationRequest.objects.select_for_update().select_related("record").get(pk=replication.pk)
    if not can_mark_implemented(actor, replication):
        raise JudgingError(_("Hanya instansi peminta atau pemilik yang dapat mencatat penerapan replikasi."))
    _step(replication, ReplicationState.IMPLEMENTED)
    replication.state = ReplicationState.IMPLEMENTED
    replication.implemented_at = max(now, replication.agreed_at)
    replication.implementation_note = (note or "").strip()
    replication.save()
    record_event(
        actor=actor,
        action="replication.implemented",
        obj=replication,
        details={"record": replication.record.slug},
        request=request,
    )
    return replication
