"""Business writes of publication: announcements (prepare, change with a reason, submit, approve by a second
organiser, withdraw, correct), advancing to the next round, replacing a withdrawn entry by the next reserve,
objections, notifications and anonymous feedback.

A refusal raises judging.scoring.services.JudgingError with a message for the user; nothing is changed then."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from entries.enums import EntryStatus
from entries.models import Entry
from judging.models import (
    Announcement,
    AnnouncementRow,
    Objection,
    Round,
    RoundEntry,
    Score,
    ScoreSheet,
    SelectionChange,
)
from judging.publication.enums import AnnouncementKind, AnnouncementState
from judging.publication.queries import (
    announcement_ready,
    is_visible,
    objection_window,
    objection_window_open,
    ranking_rows,
    visible_announcements,
)
from judging.publication.ratelimit import objection_limit, take_objection_allowance
from judging.scoring.enums import Outcome, RoundEntrySource, RoundState, SheetState
from judging.scoring.queries import recused_q, rows_short_of_k
from judging.scoring.services import JudgingError, publish_round
from kipp.mail import absolute_url
from kipp.models import User
from kipp.services import record_event

TEXT_FIELDS = (
    "number",
    "title",
    "date",
    "place",
    "signatory_name",
    "signatory_title",
    "letterhead",
    "body",
    "show_ranks",
    "show_totals",
    "list_order",
    "embargo_until",
    "objection_days",
)


def _is_organiser(user):
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or user.role == "organiser"))


def _require_organiser(actor):
    if not _is_organiser(actor):
        raise JudgingError(_("Hanya penyelenggara yang boleh melakukan ini."))


def _locked(announcement):
    return Announcement.objects.select_for_update().select_related("round__competition").get(pk=announcement.pk)


# Preparing -----------------------------------------------------------------------------------------------------


def _freeze_rows(announcement, rows):
    """Copy the ranking rows into the announcement (display fields too, so later edits never alter it)."""
    entries = Entry.objects.filter(pk__in=[r["entry_id"] for r in rows]).select_related("category")
    categories = {e.pk: (e.category.name if e.category else "") for e in entries}
    AnnouncementRow.objects.bulk_create(
        [
            AnnouncementRow(
                announcement=announcement,
                entry_id=row["entry_id"],
                rank=row["rank"],
                total=row["total"],
                judges=row.get("judges") or 0,
                ranked_outcome=row["outcome"],
                outcome=row["outcome"],
                entry_code=row["entry_code"],
                title=row["title"],
                agency=row["agency"],
                region=row["region"],
                category=categories.get(row["entry_id"], ""),
            )
            for row in rows
        ]
    )


@transaction.atomic
def prepare_announcement(
    *, round_, actor, kind=AnnouncementKind.ROUND, now=None, acknowledge_few_judges=False, **fields
):
    """A draft announcement of the round's results: the lists are frozen now from the ranking (round totals, or
    for kind=final the weighted final across rounds). `fields`: the TEXT_FIELDS. Entries scored by fewer than the
    round's k judges (final sheets without a conflict) are refused unless the organiser acknowledges them
    (`acknowledge_few_judges`); the audit event names them."""
    _require_organiser(actor)
    now = now or timezone.now()
    round_ = Round.objects.select_for_update().select_related("competition").get(pk=round_.pk)
    if not announcement_ready(round_):
        raise JudgingError(_("Tutup babak terlebih dahulu: pengumuman dibuat dari peringkat babak yang sudah ditutup."))
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise JudgingError(_("Isian tidak dikenal: %(names)s") % {"names": ", ".join(sorted(unknown))})
    fields.setdefault("embargo_until", now)
    rows = ranking_rows(round_, kind)
    few = few_judges_refusal(round_, rows, acknowledged=acknowledge_few_judges)
    announcement = Announcement(round=round_, kind=kind, prepared_by=actor, prepared_at=now, **fields)
    announcement.full_clean(exclude=["round", "prepared_by", "previous"])
    announcement.save()
    _freeze_rows(announcement, rows)
    details = {"round": round_.slug, "kind": kind, "number": announcement.number}
    if few:
        details["few_judges"] = {row["entry_code"]: row.get("judges") or 0 for row in few}
    record_event(actor=actor, action="publication.prepared", obj=announcement, details=details)
    return announcement


def few_judges_refusal(round_, rows, *, acknowledged):
    """The rows scored by fewer than the round's k judges; refused (JudgingError naming them) unless
    acknowledged."""
    few = rows_short_of_k(rows, round_.judges_per_entry)
    if few and not acknowledged:
        raise JudgingError(
            _(
                "%(n)s proposal dinilai oleh kurang dari %(k)s juri (%(codes)s). Periksa daftarnya dan nyatakan "
                "bahwa Anda mengetahuinya sebelum menyiapkan pengumuman."
            )
            % {"n": len(few), "k": round_.judges_per_entry, "codes": ", ".join(row["entry_code"] for row in few)}
        )
    return few


def _editable(announcement):
    if announcement.state != AnnouncementState.DRAFT:
        raise JudgingError(_("Hanya draf pengumuman yang dapat diubah. Pengumuman yang sudah terbit dikoreksi."))


@transaction.atomic
def update_announcement(*, announcement, actor, **fields):
    _require_organiser(actor)
    announcement = _locked(announcement)
    _editable(announcement)
    before = {name: str(getattr(announcement, name)) for name in fields}
    for name, value in fields.items():
        if name not in TEXT_FIELDS and name != "correction_note":
            raise JudgingError(_("Isian tidak dikenal: %(names)s") % {"names": name})
        setattr(announcement, name, value)
    announcement.full_clean(exclude=["round", "prepared_by", "previous"])
    announcement.save()
    record_event(
        actor=actor,
        action="publication.updated",
        obj=announcement,
        details={"before": before, "after": {k: str(v) for k, v in fields.items()}},
    )
    return announcement


@transaction.atomic
def change_outcome(*, announcement, entry, to_outcome, reason, actor):
    """Move an entry in or out of the list (selected / reserve / not selected) with a written reason."""
    _require_organiser(actor)
    reason = (reason or "").strip()
    if not reason:
        raise JudgingError(_("Tuliskan alasan perubahan daftar; alasan ini dimuat di catatan metode."))
    if to_outcome not in Outcome.values:
        raise JudgingError(_("Hasil tidak dikenal."))
    announcement = _locked(announcement)
    _editable(announcement)
    row = AnnouncementRow.objects.filter(announcement=announcement, entry=entry).first()
    if row is None:
        raise JudgingError(_("Proposal ini tidak ada dalam peringkat pengumuman ini."))
    if row.outcome == to_outcome:
        raise JudgingError(_("Proposal ini sudah berstatus itu."))
    change = SelectionChange.objects.create(
        announcement=announcement,
        entry=entry,
        from_outcome=row.outcome,
        to_outcome=to_outcome,
        reason=reason,
        actor=actor,
    )
    row.outcome = to_outcome
    row.save(update_fields=["outcome"])
    record_event(
        actor=actor,
        action="publication.outcome_changed",
        obj=announcement,
        details={"entry": row.entry_code, "from": change.from_outcome, "to": to_outcome, "reason": reason},
    )
    return change


@transaction.atomic
def submit_for_approval(*, announcement, actor, now=None):
    _require_organiser(actor)
    announcement = _locked(announcement)
    if announcement.state != AnnouncementState.DRAFT:
        raise JudgingError(_("Hanya draf yang dapat diajukan untuk persetujuan."))
    announcement.state = AnnouncementState.AWAITING
    announcement.submitted_at = now or timezone.now()
    announcement.save(update_fields=["state", "submitted_at"])
    record_event(actor=actor, action="publication.submitted", obj=announcement)
    return announcement


@transaction.atomic
def return_to_draft(*, announcement, actor, reason):
    """The approver sends it back (with a reason) instead of approving."""
    _require_organiser(actor)
    if not (reason or "").strip():
        raise JudgingError(_("Tuliskan alasan mengembalikan pengumuman ke draf."))
    announcement = _locked(announcement)
    if announcement.state != AnnouncementState.AWAITING:
        raise JudgingError(_("Hanya pengumuman yang menunggu persetujuan yang dapat dikembalikan."))
    announcement.state = AnnouncementState.DRAFT
    announcement.save(update_fields=["state"])
    record_event(actor=actor, action="publication.returned", obj=announcement, details={"reason": reason})
    return announcement


def two_person_refusal(announcement, actor):
    """The message shown when the preparer tries to approve their own announcement, else None."""
    if announcement.prepared_by_id == getattr(actor, "pk", None):
        return _(
            "Anda menyiapkan pengumuman ini, jadi Anda tidak dapat menyetujuinya sendiri. Persetujuan harus diberikan "
            "oleh penyelenggara lain (aturan dua orang)."
        )
    return None


def approve_announcement(*, announcement, actor, now=None):
    """A second organiser approves: the announcement is published (visible once the embargo time has passed), the
    round becomes published, its selected entries advance to the next round, and (if already visible) the
    innovators are notified."""
    now = now or timezone.now()
    with transaction.atomic():
        _require_organiser(actor)
        announcement = _locked(announcement)
        refusal = two_person_refusal(announcement, actor)
        if refusal:
            raise JudgingError(refusal)
        if announcement.state != AnnouncementState.AWAITING:
            raise JudgingError(_("Hanya pengumuman yang menunggu persetujuan yang dapat disetujui."))
        announcement.state = AnnouncementState.PUBLISHED
        announcement.approved_by = actor
        announcement.published_at = now
        try:
            with transaction.atomic():
                announcement.save(update_fields=["state", "approved_by", "published_at"])
        except IntegrityError as error:
            raise JudgingError(two_person_refusal(announcement, actor) or str(error)) from error
        round_ = announcement.round
        if round_.state == RoundState.CLOSED:
            publish_round(round_=round_, actor=actor)
        record_event(
            actor=actor,
            action="publication.approved",
            obj=announcement,
            details={
                "number": announcement.number,
                "version": announcement.version,
                "embargo_until": announcement.embargo_until.isoformat(),
            },
        )
        advance_selected(announcement=announcement, actor=actor)
    if is_visible(announcement, now):
        went_public(announcement=announcement, now=now)
    return announcement


def went_public(*, announcement, now=None):
    """What follows once an announcement is visible to the public (at approval, or from `publish_due` after the
    embargo): the innovators hear their outcome, and the innovation records of the catalogue are built or refreshed.
    Both steps are idempotent. Returns the number of emails sent."""
    from judging.records.services import build_all_records  # records build on publication, not the reverse

    sent = notify_outcomes(announcement=announcement, now=now)
    build_all_records(now=now)
    return sent


@transaction.atomic
def withdraw_announcement(*, announcement, actor, reason):
    """Cancel a draft or an announcement awaiting approval. A published announcement is never withdrawn
    silently: it is corrected by a new version."""
    _require_organiser(actor)
    reason = (reason or "").strip()
    if not reason:
        raise JudgingError(_("Tuliskan alasan pembatalan."))
    announcement = _locked(announcement)
    if announcement.state not in (AnnouncementState.DRAFT, AnnouncementState.AWAITING):
        raise JudgingError(_("Pengumuman yang sudah terbit tidak dapat dibatalkan; terbitkan koreksi."))
    announcement.state = AnnouncementState.WITHDRAWN
    announcement.withdrawn_reason = reason
    announcement.save(update_fields=["state", "withdrawn_reason"])
    record_event(actor=actor, action="publication.withdrawn", obj=announcement, details={"reason": reason})
    return announcement


@transaction.atomic
def prepare_correction(*, announcement, actor, correction_note, now=None, changes=None, refreeze=True, **fields):
    """A new version of a published announcement, with a visible correction note. Its lists are frozen again from
    the ranking now (refreeze) or copied from the corrected version; the organiser's reasoned changes of the
    corrected version are carried over (and any new `changes`: [(entry, to_outcome, reason)] applied)."""
    _require_organiser(actor)
    now = now or timezone.now()
    note = (correction_note or "").strip()
    if not note:
        raise JudgingError(_("Tuliskan catatan koreksi: apa yang diubah dan mengapa."))
    base = _locked(announcement)
    if base.state != AnnouncementState.PUBLISHED:
        raise JudgingError(_("Hanya pengumuman yang sudah terbit yang dapat dikoreksi."))
    if base.corrections.exclude(state=AnnouncementState.WITHDRAWN).exists():
        raise JudgingError(_("Pengumuman ini sudah memiliki koreksi; koreksi versi terbarunya."))
    values = {name: getattr(base, name) for name in TEXT_FIELDS}
    values.update(fields)
    values.setdefault("embargo_until", now)
    if values["embargo_until"] < now:
        values["embargo_until"] = now
    correction = Announcement.objects.create(
        round=base.round,
        kind=base.kind,
        version=base.version + 1,
        previous=base,
        correction_note=note,
        prepared_by=actor,
        prepared_at=now,
        **values,
    )
    if refreeze:
        _freeze_rows(correction, ranking_rows(base.round, base.kind))
    else:
        _copy_rows(base, correction)
    record_event(
        actor=actor,
        action="publication.correction_prepared",
        obj=correction,
        details={"corrects": base.pk, "version": correction.version, "note": note},
    )
    for change in base.changes.all():
        row = correction.rows.filter(entry_id=change.entry_id).first()
        if row and row.outcome == change.from_outcome:
            change_outcome(
                announcement=correction,
                entry=change.entry,
                to_outcome=change.to_outcome,
                reason=change.reason,
                actor=actor,
            )
    for entry, to_outcome, reason in changes or []:
        change_outcome(announcement=correction, entry=entry, to_outcome=to_outcome, reason=reason, actor=actor)
    return correction


def _copy_rows(base, correction):
    AnnouncementRow.objects.bulk_create(
        [
            AnnouncementRow(
                announcement=correction,
                entry_id=row.entry_id,
                rank=row.rank,
                total=row.total,
                judges=row.judges,
                ranked_outcome=row.ranked_outcome,
                outcome=row.ranked_outcome,
                entry_code=row.entry_code,
                title=row.title,
                agency=row.agency,
                region=row.region,
                category=row.category,
            )
            for row in base.rows.all()
        ]
    )


# Advancing -----------------------------------------------------------------------------------------------------


def next_round(round_):
    return Round.objects.filter(competition_id=round_.competition_id, order__gt=round_.order).order_by("order").first()


def advance_refusal(announcement):
    """The message for the organiser when the next round is already closed or published, so that approving this
    announcement does not change its entries; else None."""
    target = next_round(announcement.round)
    if announcement.kind != AnnouncementKind.ROUND or target is None:
        return None
    if target.state not in (RoundState.CLOSED, RoundState.PUBLISHED):
        return None
    return _(
        "Babak berikutnya, %(round)s, sudah %(state)s: proposal terpilih pengumuman ini tidak ditambahkan ke babak "
        "itu dan tidak ada proposal yang dikeluarkan darinya. Buka kembali babak itu (dengan alasan) lalu tambahkan "
        "proposal di pengaturannya bila perlu."
    ) % {"round": target.name, "state": target.get_state_display().lower()}


@transaction.atomic
def advance_selected(*, announcement, actor):
    """The selected entries of a published announcement of a round enter the next round (source previous round),
    in rank order; entries taken earlier from the ranking but not selected in the announcement (a reasoned change
    or a replacement) leave it, unless a judge has already started on them. Returns (added, removed)."""
    if announcement.kind != AnnouncementKind.ROUND or announcement.state != AnnouncementState.PUBLISHED:
        return 0, 0
    target = next_round(announcement.round)
    if target is None:
        return 0, 0
    if target.state in (RoundState.CLOSED, RoundState.PUBLISHED):
        # Its scoring is over: nothing joins or leaves it silently (advance_refusal says so to the organiser).
        record_event(
            actor=actor,
            action="publication.advance_skipped",
            obj=target,
            details={"announcement": announcement.pk, "state": target.state},
        )
        return 0, 0
    selected = list(
        announcement.rows.filter(outcome=Outcome.SELECTED).order_by("rank").values_list("entry_id", flat=True)
    )
    existing = {re.entry_id: re for re in RoundEntry.objects.filter(round=target)}
    start = max([re.position or 0 for re in existing.values()], default=0)
    new = [
        RoundEntry(round=target, entry_id=entry_id, source=RoundEntrySource.PREVIOUS_ROUND, position=start + i)
        for i, entry_id in enumerate((e for e in selected if e not in existing), start=1)
    ]
    RoundEntry.objects.bulk_create(new)
    stale = [
        re
        for entry_id, re in existing.items()
        if entry_id not in selected and re.source == RoundEntrySource.PREVIOUS_ROUND
    ]
    started = set(
        ScoreSheet.objects.filter(
            assignment__round=target, assignment__entry_id__in=[re.entry_id for re in stale]
        ).values_list("assignment__entry_id", flat=True)
    )
    removable = [re.entry_id for re in stale if re.entry_id not in started]
    if removable:
        from judging.models import Assignment, ScheduleSlot

        Assignment.objects.filter(round=target, entry_id__in=removable).delete()
        ScheduleSlot.objects.filter(round=target, entry_id__in=removable).delete()
        RoundEntry.objects.filter(round=target, entry_id__in=removable).delete()
    if new or removable:
        from judging.scoring.services import refresh_automatic_conflicts

        refresh_automatic_conflicts(round_=target)
        record_event(
            actor=actor,
            action="publication.advanced",
            obj=target,
            details={"announcement": announcement.pk, "added": len(new), "removed": len(removable)},
        )
    return len(new), len(removable)


def replace_withdrawn(*, announcement, entry, actor, now=None):
    """A selected entry was withdrawn (entries.services.withdraw_entry): prepare a correction in which the best
    ranked reserve takes its place. The correction is announced after approval by a second organiser, like any
    correction; its approval moves the entries in the next round."""
    if entry.status != EntryStatus.WITHDRAWN:
        raise JudgingError(_("Proposal ini belum ditarik oleh inovatornya."))
    latest = announcement
    while True:
        nxt = latest.corrections.filter(state=AnnouncementState.PUBLISHED).first()
        if nxt is None:
            break
        latest = nxt
    row = latest.rows.filter(entry=entry).first()
    if row is None or row.outcome != Outcome.SELECTED:
        raise JudgingError(_("Proposal ini tidak termasuk daftar terpilih pengumuman ini."))
    reserve = latest.rows.filter(outcome=Outcome.RESERVE).order_by("rank").first()
    if reserve is None:
        raise JudgingError(_("Tidak ada cadangan yang dapat menggantikan proposal ini."))
    note = _("%(out)s (%(title)s) mengundurkan diri; digantikan oleh cadangan pertama %(in)s (%(in_title)s).") % {
        "out": row.entry_code,
        "title": row.title,
        "in": reserve.entry_code,
        "in_title": reserve.title,
    }
    with transaction.atomic():
        correction = prepare_correction(
            announcement=latest,
            actor=actor,
            correction_note=note,
            now=now,
            refreeze=False,
            changes=[
                (entry, Outcome.NOT_SELECTED, _("Mengundurkan diri (proposal ditarik).")),
                (reserve.entry, Outcome.SELECTED, _("Cadangan pertama menggantikan peserta yang mengundurkan diri.")),
            ],
        )
        record_event(
            actor=actor,
            action="publication.replacement_prepared",
            obj=correction,
            details={"withdrawn": row.entry_code, "replacement": reserve.entry_code},
        )
    return correction


# Objections ----------------------------------------------------------------------------------------------------


class ObjectionRateLimited(JudgingError):
    """Too many anonymous objections from one client address on one announcement within the hour."""


def file_objection(*, announcement, entry, reason, user=None, name="", email="", client_address=None, now=None):
    """Anyone may object about an entry of a visible announcement while its window is open: signed in (name and
    email from the account) or by name and email. Refused after the window with the closing time shown.
    Anonymous objections are counted per client_address and announcement (publication_ratelimit); over the limit
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
    if not reason:
        raise JudgingError(_("Tuliskan alasan sanggahan."))
    if not announcement.rows.filter(entry=entry).exists():
        raise JudgingError(_("Proposal ini tidak termasuk dalam pengumuman ini."))
    if user is not None and user.is_authenticated:
        name, email, filed_by = user.full_name, user.email, user
    else:
        name, email, filed_by = (name or "").strip(), (email or "").strip().lower(), None
        if not name or not email:
            raise JudgingError(_("Tuliskan nama dan email Anda agar jawaban penyelenggara dapat dikirimkan."))
        if not take_objection_allowance(announcement, client_address):
            raise ObjectionRateLimited(
                _(
                    "Sanggahan belum disimpan: batas sanggahan per jam untuk pengumuman ini dari alamat jaringan "
                    "Anda (%(limit)s) sudah tercapai. Silakan coba lagi nanti (paling lama satu jam lagi); isian "
                    "Anda masih ada di formulir."
                )
                % {"limit": objection_limit()}
            )
    with transaction.atomic():
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
    _require_organiser(actor)
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
    _send(
        [objection.email],
        _("Jawaban atas sanggahan Anda: %(number)s") % {"number": objection.announcement.number},
        "judging/publication/email/objection_answered.txt",
        {"objection": objection, "url": _public_url(objection.announcement)},
    )
    return objection


# Notifications and feedback --------------------------------------------------------------------------------------


def _public_url(announcement):
    return absolute_url(reverse("judging:public_announcement", args=[announcement.pk]))


def _send(recipients, subject, template, context, language=None):
    messages = []
    for email in recipients:
        with translation.override(language or settings.LANGUAGE_CODE):
            body = render_to_string(template, context)
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    if messages:
        get_connection(fail_silently=True).send_messages(messages)


def notify_outcomes(*, announcement, now=None):
    """Email every entry's innovators (active users of the entry's agency) their outcome and a link. Only for a
    visible announcement, and once (notified_at)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if locked.notified_at is not None or not is_visible(locked, now):
            return 0
        locked.notified_at = now
        locked.save(update_fields=["notified_at"])
    rows = list(locked.rows.select_related("entry"))
    people = {}
    for user in User.objects.filter(
        role="innovator",
        is_active=True,
        agency_confirmed_at__isnull=False,
        agency_id__in={r.entry.agency_id for r in rows},
    ).exclude(email=""):
        people.setdefault(user.agency_id, []).append(user)
    url = _public_url(locked)
    messages = []
    for row in rows:
        entry_url = absolute_url(reverse("entries:detail", args=[row.entry_id]))
        for person in people.get(row.entry.agency_id, []):
            with translation.override(person.language or settings.LANGUAGE_CODE):
                context = {"person": person, "row": row, "announcement": locked, "url": url, "entry_url": entry_url}
                body = render_to_string("judging/publication/email/outcome.txt", context)
                subject = _("Hasil %(title)s: %(code)s") % {"title": locked.title, "code": row.entry_code}
            messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email]))
    if messages:
        get_connection(fail_silently=True).send_messages(messages)
    record_event(actor=None, action="publication.notified", obj=locked, details={"emails": len(messages)})
    return len(messages)


def send_due_notifications(now=None):
    """For announcements whose embargo has passed since approval (run from cron: manage.py publish_due)."""
    now = now or timezone.now()
    sent = 0
    for announcement in visible_announcements(now).filter(notified_at__isnull=True):
        sent += went_public(announcement=announcement, now=now)
    return sent


@transaction.atomic
def release_feedback(*, announcement, actor, now=None):
    """After publication, the organiser releases anonymous feedback (per-criterion means and judges' comments,
    never names) to every entrant of the announcement."""
    _require_organiser(actor)
    announcement = _locked(announcement)
    if not is_visible(announcement, now):
        raise JudgingError(_("Umpan balik hanya dapat dibuka setelah pengumuman terbit."))
    if announcement.feedback_released_at:
        raise JudgingError(_("Umpan balik pengumuman ini sudah dibuka."))
    announcement.feedback_released_at = now or timezone.now()
    announcement.feedback_released_by = actor
    announcement.save(update_fields=["feedback_released_at", "feedback_released_by"])
    record_event(actor=actor, action="publication.feedback_released", obj=announcement)
    return announcement


def entry_feedback(entry, round_):
    """Anonymous feedback for one entry in one round: per-criterion mean normalised score (counting sheets only) and
    the comments, shuffled by criterion order and text, with no judge name or id. Two queries."""
    counting = (
        ScoreSheet.objects.filter(assignment__round=round_, assignment__entry=entry, state=SheetState.FINAL)
        .annotate(recused=recused_q("assignment__"))
        .filter(recused=False)
    )
    scores = Score.objects.filter(sheet__in=counting.values("pk")).select_related("criterion")
    by_criterion = {}
    for score in scores.order_by("criterion__order", "criterion_id", "comment"):
        c = score.criterion
        item = by_criterion.setdefault(c.pk, {"criterion": c, "values": [], "comments": []})
        item["values"].append(100.0 * (score.value - c.scale_min) / (c.scale_max - c.scale_min))
        if score.comment.strip():
            item["comments"].append(score.comment.strip())
    criteria = [
        {"title": i["criterion"].title, "mean": sum(i["values"]) / len(i["values"]), "comments": i["comments"]}
        for i in by_criterion.values()
    ]
    overall = sorted(c for c in counting.values_list("overall_comment", flat=True) if c.strip())
    return {"criteria": criteria, "overall": overall}


def objection_counts(announcement):
    return announcement.objections.aggregate(total=Count("id"), answered=Count("answered_at"))


def default_embargo(now=None):
    now = timezone.localtime(now or timezone.now())
    return (now + datetime.timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
