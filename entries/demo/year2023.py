"""kipp-sulsel-2023: N entries over the 24 kabupaten/kota, verified and administratively selected."""

import datetime
import hashlib
import uuid

from django.contrib.auth.hashers import make_password

from entries.demo.content import (
    INELIGIBLE,
    SMS_PLAN,
    TITLE_SUFFIXES,
    TOPICS,
    TRANSPORT_PLAN,
    WITA,
    _answer,
    _indicators,
    _photo,
    _team,
    decree_pdf,
)
from entries.enums import AttachmentKind, EntryStatus
from entries.models import (
    Attachment,
    Entry,
    ImpactIndicator,
    ProposalAnswer,
    StatusChange,
    TeamMember,
    attachment_upload_to,
)
from kipp.files import save_files_or_none
from kipp.models import Agency, Membership, Region, User
from kipp.organisations.enums import MembershipKind


def seed_2023(ctx, competition, rng):
    plans = _plan_2023(ctx, competition, rng, ctx.options.get("entries", 141))
    _create(ctx, competition, plans, rng)


def _regions():
    return list(Region.objects.filter(province__code="73").exclude(kind="provinsi").order_by("code"))


def _plan_2023(ctx, competition, rng, n):
    regions = _regions()
    agencies_by_region = {}
    for agency in Agency.objects.filter(region__in=regions).exclude(name__startswith="Bagian Organisasi"):
        agencies_by_region.setdefault(agency.region_id, []).append(agency)
    sms_user = User.objects.filter(email="sms@demo.kipp.id").select_related("agency").first()
    dishub_user = User.objects.filter(email="dishub@demo.kipp.id").select_related("agency").first()
    window_start = datetime.datetime(2022, 11, 15, 8, 0, tzinfo=WITA)
    plans = []
    used_titles = set()
    for i in range(1, n + 1):
        region = regions[(i - 1) % len(regions)]
        choices = sorted(agencies_by_region.get(region.pk, []), key=lambda a: a.name)
        topic = TOPICS[rng.randrange(len(TOPICS))]
        suffix = TITLE_SUFFIXES[rng.randrange(len(TITLE_SUFFIXES))]
        title = " ".join(part for part in (topic[0], suffix, region.name) if part)
        while title in used_titles:
            title = f"{title} {rng.randrange(2, 9)}"
        used_titles.add(title)
        plan = {
            "code": f"{competition.code_prefix}-{i:03d}",
            "title": title,
            "short_name": "".join(word[0] for word in topic[0].split()[:4]).upper(),
            "topic": topic,
            "agency": choices[rng.randrange(len(choices))] if choices else None,
            "user": None,
            "submitted_at": window_start + datetime.timedelta(minutes=rng.randrange(0, 66 * 24 * 60)),
            "started_on": datetime.date(rng.randrange(2016, 2021), rng.randrange(1, 13), 1),
            "is_digital": rng.random() < 0.4,
            "stage": rng.choice(["pengembangan", "pelembagaan", "pelembagaan"]),
            "district": None,
            "village": None,
            "place": "",
            "supporting": "",
            "special": None,
            "region_code": region.code,
        }
        plans.append(plan)
    _place_article_entries(plans, sms_user, dishub_user)
    _plan_decisions(plans, rng)
    return [p for p in plans if p["agency"] is not None]


def _place_article_entries(plans, sms_user, dishub_user):
    """The two entries of the source article take the first Jeneponto slots (fixed codes for a given N)."""
    jeneponto = [p for p in plans if p["region_code"] == "73.04"] + plans[:2]
    if sms_user and plans:
        jeneponto[0].update(agency=sms_user.agency, user=sms_user, **SMS_PLAN)
    if dishub_user and len(plans) > 1:
        (jeneponto[1] if jeneponto[1] is not jeneponto[0] else plans[1]).update(
            agency=dishub_user.agency, user=dishub_user, **TRANSPORT_PLAN
        )


def _plan_decisions(plans, rng):
    """A near-duplicate title (caught by the trigram check), a too-young innovation, and a few more ineligible."""
    if len(plans) > 13 and not (plans[12]["special"] or plans[13]["special"] or plans[11]["special"]):
        plans[12]["title"] = plans[11]["title"] + " (Versi Baru)"
        plans[12]["decision"] = INELIGIBLE[2]
        plans[13]["started_on"] = datetime.date(2021, 9, 1)
        plans[13]["decision"] = INELIGIBLE[0]
    for plan in plans:
        if "decision" not in plan and not plan["special"] and rng.random() < 0.07:
            plan["decision"] = INELIGIBLE[rng.randrange(len(INELIGIBLE))]


def _innovators(ctx, agencies):
    """One innovator per agency that has none (unusable password: demo data only, not a login)."""
    members = User.objects.filter(agency__in=agencies, agency_declined_at__isnull=True)  # innovators, not judges
    have = set(members.values_list("agency_id", flat=True))
    missing = [a for a in agencies if a.pk not in have]
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"inovator-{a.pk}@demo.kipp.id",
                full_name=f"Inovator {a.short_name or a.name}"[:150],
                agency=a,
                password=unusable,
            )
            for a in missing
        ],
        ignore_conflicts=True,
    )
    ctx.count("innovators", n=len(missing), created=bool(missing))
    users = {}
    for user in members.order_by("date_joined", "id"):
        users.setdefault(user.agency_id, user)
    return users


def _verifiers(competition):
    """{region id: the first verifier of that region in the competition's organisation}."""
    rows = Membership.objects.filter(organisation_id=competition.organisation_id, kind=MembershipKind.VERIFIER)
    verifiers = {}
    for membership in rows.select_related("user").order_by("user_id"):
        verifiers.setdefault(membership.region_id, membership.user)
    return verifiers


# Creating -------------------------------------------------------------------------------------------


def _create(ctx, competition, plans, rng):
    existing = set(Entry.objects.filter(competition=competition).values_list("code", flat=True))
    plans = [p for p in plans if p["code"] not in existing]
    if not plans:
        return
    users = _innovators(ctx, {p["agency"] for p in plans})
    organiser = User.objects.filter(email="organiser@demo.kipp.id").first()
    verifiers = _verifiers(competition)
    categories = list(competition.categories.all())
    entries = []
    for plan in plans:
        decided_at = datetime.datetime(2023, 1, 27, 10, 0, tzinfo=WITA) + datetime.timedelta(minutes=len(entries))
        reason, note = plan.get("decision") or ("", "")
        entries.append(
            Entry(
                competition=competition,
                agency=plan["agency"],
                created_by=plan["user"] or users[plan["agency"].pk],
                code=plan["code"],
                title=plan["title"],
                short_name=plan["short_name"],
                category=categories[rng.randrange(len(categories))] if categories else None,
                group="umum",
                stage=plan["stage"],
                status=EntryStatus.INELIGIBLE if reason else EntryStatus.ELIGIBLE,
                submitted_at=plan["submitted_at"],
                forwarded_at=plan["submitted_at"] + datetime.timedelta(days=2),
                decided_at=decided_at,
                decision_reason=reason,
                decision_note=note,
                district_id=plan["district"],
                village_id=plan["village"],
                started_on=plan["started_on"],
                is_digital=plan["is_digital"],
                supporting_agencies=plan["supporting"],
                version=4,
            )
        )
    Entry.objects.bulk_create(entries)
    ctx.count("entries", n=len(entries))
    by_code = {p["code"]: p for p in plans}
    _fill(competition, entries, by_code, rng)
    StatusChange.objects.bulk_create(_history(entries, verifiers, organiser))
    _attach(ctx, entries)


def _history(entries, verifiers, organiser):
    """Each entry's way from draft to the organiser's decision, as StatusChange rows."""
    history = []
    for entry in entries:
        verifier = verifiers.get(entry.agency.region_id)
        steps = [
            ("", EntryStatus.DRAFT, entry.created_by, entry.submitted_at - datetime.timedelta(days=10), "", ""),
            (EntryStatus.DRAFT, EntryStatus.SUBMITTED, entry.created_by, entry.submitted_at, "", ""),
            (EntryStatus.SUBMITTED, EntryStatus.FORWARDED, verifier, entry.forwarded_at, "", ""),
            (
                EntryStatus.FORWARDED,
                entry.status,
                organiser,
                entry.decided_at,
                entry.decision_reason,
                entry.decision_note,
            ),
        ]
        history += [
            StatusChange(entry=entry, from_status=a, to_status=b, actor=u, created_at=t, reason=r, note=n)
            for a, b, u, t, r, n in steps
        ]
    return history


def _fill(competition, entries, plans_by_code, rng):
    sections = list(competition.sections.all())
    answers, team, indicators = [], [], []
    for entry in entries:
        plan = plans_by_code[entry.code]
        for section in sections:
            answers.append(ProposalAnswer(entry=entry, section=section, text=_answer(section, plan, entry)))
        for order, (name, position) in enumerate(_team(plan, rng)):
            team.append(TeamMember(entry=entry, name=name, position=position, contact="", order=order))
        for order, values in enumerate(_indicators(plan, rng)):
            indicators.append(ImpactIndicator(entry=entry, order=order, **values))
    ProposalAnswer.objects.bulk_create(answers)
    TeamMember.objects.bulk_create(team)
    ImpactIndicator.objects.bulk_create(indicators)


def _attach(ctx, entries):
    with save_files_or_none() as files:
        _attach_files(ctx, entries, files)


def _attach_files(ctx, entries, files):
    rows = []
    for entry in entries:
        photo, thumb = _photo(entry)
        pdf = decree_pdf(entry)
        for kind, data, ctype, ext, display, thumbnail in (
            (AttachmentKind.PHOTO, photo, "image/jpeg", "jpg", "foto-kegiatan.jpg", thumb),
            (AttachmentKind.DECREE, pdf, "application/pdf", "pdf", "sk-tim-inovator.pdf", None),
        ):
            attachment = Attachment(
                entry=entry,
                kind=kind,
                original_name=display,
                size=len(data),
                content_type=ctype,
                sha256=hashlib.sha256(data).hexdigest(),
                uploaded_by=entry.created_by,
                width=320 if thumbnail else None,
                height=200 if thumbnail else None,
            )
            name = uuid.UUID(bytes=hashlib.md5(f"{entry.code}:{kind}".encode()).digest()).hex  # noqa: S324
            attachment.file.name = files.save_name(attachment_upload_to(attachment, f"{name}.{ext}"), data)
            if thumbnail:
                attachment.thumbnail.name = files.save_name(
                    attachment_upload_to(attachment, f"{name}-thumb.jpg"), thumbnail
                )
            rows.append(attachment)
    Attachment.objects.bulk_create(rows)
    ctx.count("attachments", n=len(rows), created=bool(rows))


# 2027: drafts and a returned entry -------------------------------------------------------------------
