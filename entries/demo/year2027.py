"""kipp-sulsel-2027: a few drafts and one returned entry."""

import datetime

from entries.demo.content import TOPICS, WITA, _answer
from entries.enums import EntryStatus
from entries.models import (
    Entry,
    ProposalAnswer,
    StatusChange,
)
from entries.services import next_entry_code
from kipp.models import User


def seed_2027(ctx, competition, rng):
    sms_user = User.objects.filter(email="sms@demo.kipp.id").select_related("agency").first()
    dishub_user = User.objects.filter(email="dishub@demo.kipp.id").select_related("agency").first()
    verifier = User.objects.filter(email="verifier-jeneponto@demo.kipp.id").first()
    if not (sms_user and dishub_user):
        return
    specs = [
        (sms_user, "Sapa Masyarakat Sekitar (SMS) Jilid 2: Pendampingan Alumni", EntryStatus.RETURNED),
        (sms_user, "Kelas Literasi Orang Tua Siswa", EntryStatus.DRAFT),
        (dishub_user, "Halte Pintar Jeneponto", EntryStatus.DRAFT),
        (dishub_user, "Angkutan Sekolah Gratis Terjadwal", EntryStatus.DRAFT),
    ]
    existing = set(Entry.objects.filter(competition=competition).values_list("title", flat=True))
    sections = list(competition.sections.all())
    for user, title, status in specs:
        if title not in existing:
            _seed_entry(competition, sections, user, title, status, verifier)
            ctx.count("entries")


def _seed_entry(competition, sections, user, title, status, verifier):
    now = datetime.datetime.now(tz=WITA)
    returned = status == EntryStatus.RETURNED
    entry = Entry.objects.create(
        competition=competition,
        agency=user.agency,
        created_by=user,
        code=next_entry_code(competition),
        title=title,
        group="umum",
        stage="pengembangan",
        started_on=datetime.date(2023, 8, 1),
        status=status,
        submitted_at=now - datetime.timedelta(days=3) if returned else None,
    )
    plan = {"special": None, "village": None, "place": "", "topic": TOPICS[5], "agency": user.agency}
    ProposalAnswer.objects.bulk_create(
        ProposalAnswer(entry=entry, section=s, text=_answer(s, plan, entry)) for s in sections[: 8 if returned else 3]
    )
    steps = [("", EntryStatus.DRAFT, user, 10, "")]
    if returned:
        steps += [
            ("draft", "submitted", user, 3, ""),
            (
                "submitted",
                "returned",
                verifier,
                1,
                "Lengkapi indikator dampak dengan data sebelum dan sesudah, serta unggah SK tim inovator.",
            ),
        ]
    StatusChange.objects.bulk_create(
        StatusChange(
            entry=entry,
            from_status=a,
            to_status=b,
            actor=actor,
            created_at=now - datetime.timedelta(days=days),
            note=note,
        )
        for a, b, actor, days, note in steps
    )
