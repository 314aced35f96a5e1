"""Forwarding upward (issue 13, item 5): the upper competition's organisers say which competitions feed it and the
quota per feeding organisation (configure_feeding); once a lower competition's final announcement is public, its
organisers nominate entries of its final list in one step, within the quota (nominate_entries). Each nominated
entry arrives as a draft of the same agency (entries.services.copy_entry) with a Nomination that freezes its
provenance. Nothing of the lower competition changes. Audited on both sides; the agency's innovators are mailed."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from entries import services as entry_services
from judging.models import Feed, FeedingRule, Nomination
from judging.publication.forwarding import permissions
from judging.publication.forwarding.queries import final_list, lower_candidates, public_final_announcement
from judging.publication.services.notifications import innovators_of_agencies
from kipp.errors import Invalid, Refused
from kipp.files import save_files_or_none
from kipp.mail import absolute_url, send_templated_mails, templated_message
from kipp.models import Competition
from kipp.outbox import context as mail_context
from kipp.outbox.enums import NotificationKind
from kipp.services import record_event

MAX_QUOTA = 100


def configure_feeding(*, competition, actor, quota, lowers, request=None):
    """Set what `competition` accepts from below: `quota` nominations per feeding organisation and the competitions
    `lowers` (of organisations below its own: queries.lower_candidates). A competition taken off the list keeps the
    nominations it made. Returns the FeedingRule."""
    if not permissions.can_configure_feeding(actor, competition):
        raise PermissionDenied(_("Hanya penyelenggara kompetisi ini yang dapat mengatur penerusan ke kompetisi ini."))
    try:
        quota = int(quota)
    except (TypeError, ValueError):
        quota = 0
    if not 1 <= quota <= MAX_QUOTA:
        raise Invalid(_("Kuota usulan per penyelenggara harus antara 1 dan %(max)d.") % {"max": MAX_QUOTA})
    wanted = {c.pk for c in lowers}
    allowed = set(lower_candidates(competition).filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - allowed:
        raise Invalid(_("Hanya kompetisi penyelenggara di tingkat bawah yang dapat mengusulkan ke kompetisi ini."))
    with transaction.atomic():
        rule, created = FeedingRule.objects.select_for_update().get_or_create(
            competition=competition, defaults={"quota_per_organisation": quota, "updated_by": actor}
        )
        before = {"quota": None if created else rule.quota_per_organisation}
        before["lowers"] = sorted(rule.feeds.values_list("lower_id", flat=True))
        rule.quota_per_organisation = quota
        rule.updated_by = actor
        rule.save()
        rule.feeds.exclude(lower_id__in=wanted).delete()
        Feed.objects.bulk_create(
            [Feed(rule=rule, lower_id=pk, added_by=actor) for pk in sorted(wanted - set(before["lowers"]))]
        )
        record_event(
            actor=actor,
            action="forwarding.configure",
            obj=competition,
            details={"before": before, "quota": quota, "lowers": sorted(wanted)},
            request=request,
        )
    return rule


def quota_refusal(*, upper, organisation, quota, used, chosen):
    return _(
        "Kuota %(competition)s adalah %(quota)d usulan per penyelenggara; %(organisation)s sudah memakai %(used)d "
        "(sisa %(left)d), sedangkan Anda memilih %(chosen)d. Kurangi pilihan Anda."
    ) % {
        "competition": upper.name,
        "quota": quota,
        "organisation": organisation.name,
        "used": used,
        "left": max(quota - used, 0),
        "chosen": chosen,
    }


def nominate_entries(*, upper, lower, entry_ids, actor, now=None, notify=True, request=None):
    """Nominate the entries `entry_ids` of `lower`'s public final list into `upper`, all or none: each becomes a
    draft of `upper` for its agency. Refused (nothing written) when the person does not organise `lower`, `upper`
    does not accept `lower`, `upper` is not open, the final list is not public, an entry is not selected in it or
    already nominated, or the choice exceeds the quota left for `lower`'s organisation (checked under the rule's
    row lock; a database trigger refuses it too). Returns the Nominations, in rank order."""
    now = now or timezone.now()
    if not permissions.can_nominate_from(actor, lower):
        raise PermissionDenied(
            _("Hanya penyelenggara %(competition)s yang dapat mengusulkan inovasinya.") % {"competition": lower.name}
        )
    chosen = {int(pk) for pk in entry_ids}
    if not chosen:
        raise Invalid(_("Pilih sedikitnya satu inovasi dari daftar hasil akhir."))
    with save_files_or_none(), transaction.atomic():
        rule = FeedingRule.objects.select_for_update().filter(competition=upper).first()
        if rule is None or not rule.feeds.filter(lower=lower).exists():
            raise Refused(
                _("%(upper)s tidak menerima usulan dari %(lower)s.") % {"upper": upper.name, "lower": lower.name}
            )
        upper = Competition.objects.select_related("organisation").get(pk=upper.pk)  # its window as it is now
        if not upper.is_open(now):
            raise Refused(
                _("Pendaftaran %(upper)s tidak sedang dibuka; usulan tidak dapat dikirim.") % {"upper": upper.name}
            )
        announcement = public_final_announcement(lower, now)
        if announcement is None:
            raise Refused(
                _(
                    "Hasil akhir %(lower)s belum diumumkan; inovasi dapat diusulkan setelah pengumuman hasil akhir "
                    "tayang."
                )
                % {"lower": lower.name}
            )
        rows = {row.entry_id: row for row in final_list(announcement)}
        if chosen - set(rows):
            raise Invalid(_("Hanya inovasi yang terpilih dalam daftar hasil akhir yang dapat diusulkan."))
        already = set(
            Nomination.objects.filter(competition=upper, lower_entry_id__in=chosen).values_list(
                "lower_entry_id", flat=True
            )
        )
        if already:
            codes = ", ".join(sorted(rows[pk].entry_code for pk in already))
            raise Refused(_("Sudah diusulkan ke %(upper)s: %(codes)s.") % {"upper": upper.name, "codes": codes})
        organisation = lower.organisation
        used = Nomination.objects.filter(competition=upper, organisation=organisation).count()
        if used + len(chosen) > rule.quota_per_organisation:
            raise Refused(
                quota_refusal(
                    upper=upper,
                    organisation=organisation,
                    quota=rule.quota_per_organisation,
                    used=used,
                    chosen=len(chosen),
                )
            )
        nominations = [
            _nominate(row, upper=upper, lower=lower, announcement=announcement, actor=actor, now=now, request=request)
            for row in sorted((rows[pk] for pk in chosen), key=lambda r: r.rank)
        ]
        record_event(
            actor=actor,
            action="forwarding.nominate",
            obj=upper,
            details={
                "lower_competition": lower.slug,
                "announcement": announcement.pk,
                "entries": [n.lower_entry_id for n in nominations],
                "drafts": [n.entry_id for n in nominations],
                "quota": rule.quota_per_organisation,
                "used": used + len(nominations),
            },
            request=request,
        )
        if notify:
            _notify(nominations)
    return nominations


def _nominate(row, *, upper, lower, announcement, actor, now, request):
    note = _("Diusulkan dari %(lower)s (Pengumuman Nomor %(number)s, peringkat %(rank)d).") % {
        "lower": lower.name,
        "number": announcement.number,
        "rank": row.rank,
    }
    copy = entry_services.copy_entry(
        entry=row.entry, competition=upper, actor=actor, note=note, now=now, request=request
    )
    nomination = Nomination.objects.create(
        competition=upper,
        lower_entry=row.entry,
        entry=copy.entry,
        lower_competition=lower,
        organisation=lower.organisation,
        announcement=announcement,
        announcement_number=announcement.number,
        rank=row.rank,
        total=row.total,  # sent on by the lower organiser with the nomination (the form says so)
        unmapped=copy.unmapped,
        nominated_by=actor,
        created_at=now,
    )
    # the lower side: its entry is unchanged; the event says where it went
    record_event(
        actor=actor,
        action="forwarding.nominated",
        obj=row.entry,
        details={"upper_competition": upper.slug, "draft": copy.entry.pk, "draft_code": copy.entry.code},
        request=request,
    )
    record_event(
        actor=actor,
        action="forwarding.arrived",
        obj=copy.entry,
        details={
            "lower_competition": lower.slug,
            "lower_entry": row.entry_id,
            "lower_code": row.entry_code,
            "announcement": announcement.pk,
            "rank": row.rank,
        },
        request=request,
    )
    return nomination


def _notify(nominations):
    """One mail per innovator of each nominated entry's agency (kipp.outbox), in the nominations' transaction."""
    people = innovators_of_agencies({n.entry.agency_id for n in nominations})
    messages = []
    for nomination in nominations:
        context = {
            "nomination": nomination,
            "entry_url": absolute_url(reverse("entries:detail", args=[nomination.entry_id])),
            "closes": mail_context.wita(nomination.competition.closes_at),
            "announcement_url": absolute_url(reverse("judging:public_announcement", args=[nomination.announcement_id])),
        }
        messages += [
            templated_message(
                to=email,
                template="judging/publication/forwarding/email/nominated",
                context={**context, "person": mail_context.ref("kipp.user", user_id)},
                language=language,
                kind=NotificationKind.ENTRY_NOMINATED,
                competition=nomination.competition_id,
                key=f"nominated:{nomination.pk}:{user_id}",
                user=user_id,
                about=nomination.entry,
            )
            for user_id, email, language in people.get(nomination.entry.agency_id, [])
        ]
    return send_templated_mails(messages)
