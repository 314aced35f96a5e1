"""entries' seeder for `manage.py seed_demo` (registered in EntriesConfig.ready, order 100).

kipp-sulsel-2023: N entries (--entries, default 141) over the 24 kabupaten/kota, verified and administratively
selected (most eligible, a few ineligible with reasons), including the two Jeneponto entries of the source article.
kipp-sulsel-2027: a few drafts and one returned entry. Idempotent (entries are found by competition + code or
title), deterministic (ctx.rng("entries")), fast (bulk_create; small Pillow-drawn photos and a tiny PDF decree).
"""

import datetime
import hashlib
import io
import uuid
import zoneinfo
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

from entries.enums import AttachmentKind, DecisionReason, EntryStatus, IndicatorKind
from entries.models import (
    Attachment,
    Entry,
    ImpactIndicator,
    ProposalAnswer,
    StatusChange,
    TeamMember,
    attachment_upload_to,
)
from entries.services import next_entry_code
from kipp.models import Agency, Competition, Region, User

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
SMS_TITLE = "Sapa Masyarakat Sekitar (SMS)"
TRANSPORT_TITLE = "Transportation Smart"

TOPICS = [
    ("Layanan Adminduk Jemput Bola", "dokumen kependudukan", "Persentase penduduk memiliki KTP-el", "%", "higher"),
    ("Posyandu Remaja Sehat", "kesehatan remaja", "Kasus anemia remaja putri", "kasus", "lower"),
    ("Izin Usaha Sehari Jadi", "perizinan berusaha", "Rata-rata waktu terbit izin", "hari", "lower"),
    ("Kelas Ibu Hamil Keliling", "kesehatan ibu", "Persalinan di fasilitas kesehatan", "%", "higher"),
    ("Sekolah Lapang Petani Milenial", "pertanian", "Produktivitas padi", "ton/ha", "higher"),
    ("Pojok Baca Desa", "literasi", "Kunjungan pojok baca per bulan", "orang", "higher"),
    ("Gerakan Stop Stunting", "gizi anak", "Prevalensi stunting", "%", "lower"),
    ("Pelayanan Pajak Daerah Daring", "pendapatan daerah", "Realisasi PBB-P2", "%", "higher"),
    ("Ambulans Desa Siaga", "rujukan gawat darurat", "Waktu tanggap rujukan", "menit", "lower"),
    ("Bank Sampah Sekolah", "pengelolaan sampah", "Sampah terkelola", "ton/bulan", "higher"),
    ("Pengaduan Warga Satu Pintu", "pengaduan masyarakat", "Pengaduan selesai tepat waktu", "%", "higher"),
    ("Akta Lahir Langsung dari Puskesmas", "akta kelahiran", "Bayi baru lahir memiliki akta", "%", "higher"),
    ("Sistem Antrean Puskesmas Terpadu", "antrean layanan", "Waktu tunggu pasien", "menit", "lower"),
    ("Rumah Singgah Pasien Kepulauan", "akses kesehatan", "Pasien rujukan terlayani", "orang", "higher"),
    (
        "Sekolah Ramah Anak Berkebutuhan Khusus",
        "pendidikan inklusif",
        "Anak berkebutuhan khusus bersekolah",
        "orang",
        "higher",
    ),
    ("Kios Layanan Terpadu Kecamatan", "layanan kecamatan", "Jenis layanan di kecamatan", "layanan", "higher"),
]
TITLE_SUFFIXES = ["", "Plus", "Terpadu", "Berbasis Desa", "Digital", "Inklusif", "Mandiri", "Bersama Warga"]
PEOPLE = [
    ("Andi Muh. Rizal, S.STP.", "Kepala Bidang"),
    ("Hj. Nurhayati, S.KM., M.Kes.", "Kepala Puskesmas"),
    ("Muhammad Arfah, S.Pd.", "Kepala Sekolah"),
    ("Sitti Rahmah, S.E.", "Analis Kebijakan"),
    ("Ir. Syamsul Bahri", "Kepala Seksi"),
    ("Rosdiana Daeng Kanang, S.Sos.", "Camat"),
    ("Agus Salim, A.Md.", "Operator Layanan"),
    ("dr. Fitriani Amir", "Dokter Fungsional"),
]
INELIGIBLE = [
    (DecisionReason.TOO_YOUNG, "Inovasi mulai diterapkan kurang dari 24 bulan sebelum batas pengajuan."),
    (DecisionReason.INCOMPLETE, "Bagian signifikansi dan adaptabilitas belum dijawab dengan data."),
    (DecisionReason.DUPLICATE, "Judul dan isi sama dengan proposal lain dari instansi yang sama."),
    (DecisionReason.OUT_OF_SCOPE, "Kegiatan rutin instansi, bukan inovasi pelayanan publik."),
]


def seed_entries(ctx):
    competition = Competition.objects.filter(slug="kipp-sulsel-2023").first()
    if competition is None:
        ctx.log("entries: kipp-sulsel-2023 not found; run kipp's seeder first.")
        return
    rng = ctx.rng("entries")
    plans = _plan_2023(ctx, competition, rng, ctx.options.get("entries", 141))
    _create(ctx, competition, plans, rng)
    upcoming = Competition.objects.filter(slug="kipp-sulsel-2027").first()
    if upcoming is not None:
        _seed_2027(ctx, upcoming, rng)


# Planning -------------------------------------------------------------------------------------------


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
            "kecamatan": "",
            "desa": "",
            "supporting": "",
            "special": None,
            "region_code": region.code,
        }
        plans.append(plan)
    # The two entries of the source article take the first Jeneponto slots (fixed codes for a given N).
    jeneponto = [p for p in plans if p["region_code"] == "73.04"] + plans[:2]
    if sms_user and plans:
        jeneponto[0].update(
            title=SMS_TITLE,
            short_name="SMS",
            agency=sms_user.agency,
            user=sms_user,
            special="sms",
            kecamatan="Rumbia",
            desa="Tompobulu",
            is_digital=False,
            stage="pelembagaan",
            started_on=datetime.date(2019, 7, 15),
            supporting="Dinas Pendidikan Kabupaten Jeneponto",
        )
    if dishub_user and len(plans) > 1:
        (jeneponto[1] if jeneponto[1] is not jeneponto[0] else plans[1]).update(
            title=TRANSPORT_TITLE,
            short_name="TS",
            agency=dishub_user.agency,
            user=dishub_user,
            special="transport",
            kecamatan="Binamu",
            desa="",
            is_digital=True,
            stage="pengembangan",
            started_on=datetime.date(2020, 2, 3),
            supporting="Satuan Lalu Lintas Polres Jeneponto; Dinas Komunikasi dan Informatika Kabupaten Jeneponto",
        )
    # A near-duplicate title (caught by the trigram check) and a too-young innovation.
    if len(plans) > 13 and not (plans[12]["special"] or plans[13]["special"] or plans[11]["special"]):
        plans[12]["title"] = plans[11]["title"] + " (Versi Baru)"
        plans[12]["decision"] = INELIGIBLE[2]
        plans[13]["started_on"] = datetime.date(2021, 9, 1)
        plans[13]["decision"] = INELIGIBLE[0]
    for plan in plans:
        if "decision" not in plan and not plan["special"] and rng.random() < 0.07:
            plan["decision"] = INELIGIBLE[rng.randrange(len(INELIGIBLE))]
    return [p for p in plans if p["agency"] is not None]


def _innovators(ctx, agencies):
    """One innovator per agency that has none (unusable password: demo data only, not a login)."""
    have = set(User.objects.filter(agency__in=agencies, role="innovator").values_list("agency_id", flat=True))
    missing = [a for a in agencies if a.pk not in have]
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"inovator-{a.pk}@demo.kipp.id",
                full_name=f"Inovator {a.short_name or a.name}"[:150],
                role="innovator",
                agency=a,
                password=unusable,
            )
            for a in missing
        ],
        ignore_conflicts=True,
    )
    ctx.count("innovators", n=len(missing), created=bool(missing))
    users = {}
    for user in User.objects.filter(agency__in=agencies, role="innovator").order_by("date_joined", "id"):
        users.setdefault(user.agency_id, user)
    return users


# Creating -------------------------------------------------------------------------------------------


def _create(ctx, competition, plans, rng):
    existing = set(Entry.objects.filter(competition=competition).values_list("code", flat=True))
    plans = [p for p in plans if p["code"] not in existing]
    if not plans:
        return
    users = _innovators(ctx, {p["agency"] for p in plans})
    organiser = User.objects.filter(email="organiser@demo.kipp.id").first()
    verifiers = {u.region_id: u for u in User.objects.filter(role="verifier").order_by("id")}
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
                kecamatan=plan["kecamatan"],
                desa=plan["desa"],
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
    StatusChange.objects.bulk_create(history)
    _attach(ctx, entries)


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


def _team(plan, rng):
    if plan["special"] == "sms":
        return [("Dr. Suhaedir Bahtiar", "Kepala UPT SMPN 2 Rumbia"), ("Wali kelas VII-IX", "Guru UPT SMPN 2 Rumbia")]
    if plan["special"] == "transport":
        return [("Dr. Aspamuji, S.STP", "Kepala Dinas Perhubungan Kabupaten Jeneponto")]
    picks = rng.sample(PEOPLE, 2)
    return [(name, f"{position}, {plan['agency'].short_name or plan['agency'].name}"[:150]) for name, position in picks]


def _indicators(plan, rng):
    if plan["special"] == "sms":
        return [
            _indicator(
                "Angka putus sekolah di Desa Tompobulu",
                "%",
                "lower",
                "7.8",
                "1.2",
                2019,
                2022,
                "Dapodik dan data sekolah",
            ),
            _indicator(
                "Siswa kembali bersekolah", "orang", "higher", "0", "23", 2019, 2022, "Catatan UPT SMPN 2 Rumbia"
            ),
        ]
    if plan["special"] == "transport":
        return [
            _indicator("Waktu layanan uji KIR", "menit", "lower", "180", "35", 2020, 2022, "Dinas Perhubungan"),
            _indicator("Kecelakaan angkutan umum", "kasus/tahun", "lower", "41", "17", 2020, 2022, "Satlantas Polres"),
        ]
    _, _, name, unit, direction = plan["topic"]
    kind = _unit_kind(unit)
    base = Decimal(rng.randrange(20, 400)) / 4
    change = Decimal(rng.randrange(10, 60)) / 100
    if kind == IndicatorKind.PERCENT:  # a share stays within 0..100: close part of the gap to 100 or to 0
        latest = base * (1 - change) if direction == "lower" else base + (100 - base) * change
    else:
        latest = base * (1 - change) if direction == "lower" else base * (1 + change)
    if kind == IndicatorKind.COUNT:  # people and cases are whole numbers
        base, latest = base.quantize(Decimal(1)), latest.quantize(Decimal(1))
    start = plan["started_on"].year
    return [
        _indicator(
            name, unit, direction, str(base), str(latest.quantize(Decimal("0.01"))), start, 2022, "Laporan instansi"
        )
    ]


COUNT_UNITS = {"orang", "kasus", "kasus/tahun", "layanan", "dokumen"}


def _unit_kind(unit):
    if unit == "%":
        return IndicatorKind.PERCENT
    return IndicatorKind.COUNT if unit in COUNT_UNITS else IndicatorKind.MEASURE


def _indicator(name, unit, direction, base, latest, year0, year1, source):
    return {
        "name": name,
        "kind": _unit_kind(unit),
        "unit": unit,
        "direction": direction,
        "baseline_value": Decimal(base),
        "baseline_on": datetime.date(year0, 7, 1),
        "latest_value": Decimal(latest),
        "latest_on": datetime.date(max(year1, year0 + 1), 7, 1),
        "source": source,
    }


def _answer(section, plan, entry):
    place = f"{entry.agency.region}" if not plan["desa"] else f"Desa {plan['desa']}, Kecamatan {plan['kecamatan']}"
    if plan["special"] == "sms":
        theme = "angka putus sekolah di Desa Tompobulu, Kecamatan Rumbia"
        act = "guru dan kepala sekolah menyapa keluarga siswa yang berisiko putus sekolah dari rumah ke rumah"
    elif plan["special"] == "transport":
        theme = "lamanya layanan uji kendaraan dan rendahnya keselamatan angkutan umum"
        act = "layanan perhubungan dipadukan dalam aplikasi dengan jadwal uji, pembayaran, dan pemantauan angkutan"
    else:
        theme = f"rendahnya akses warga terhadap layanan {plan['topic'][1]}"
        act = f"{entry.agency.name} membawa layanan {plan['topic'][1]} lebih dekat kepada warga"
    texts = {
        "ringkasan": (
            f"{entry.title} menjawab masalah {theme}. Dalam inovasi ini {act}. Sejak {entry.started_on:%Y} inovasi "
            f"berjalan di {place} dan hasilnya diukur setiap semester bersama instansi pendukung."
        ),
        "latar_belakang": (
            f"Sebelum inovasi, {theme} menjadi keluhan utama warga {place}. Tujuan inovasi adalah menurunkan hambatan "
            "layanan, mempercepat waktu pelayanan, dan memastikan kelompok rentan ikut terlayani."
        ),
        "kebaruan": (
            f"Kebaruan {entry.short_name or entry.title} terletak pada cara kerja yang mendatangi warga, "
            "pembagian peran yang jelas antara petugas, tokoh masyarakat dan pemerintah desa, "
            "serta pencatatan data yang terbuka."
        ),
        "implementasi": (
            "Tahap persiapan: pemetaan sasaran dan penetapan SK tim inovator. Tahap pelaksanaan: kunjungan terjadwal, "
            "rapat evaluasi bulanan, dan pelaporan kepada kepala instansi."
        ),
        "signifikansi": (
            "Data sebelum dan sesudah inovasi menunjukkan perubahan yang nyata pada indikator utama; warga menilai "
            "layanan lebih cepat, lebih dekat, dan lebih ramah."
        ),
        "adaptabilitas": (
            "Inovasi ini dapat direplikasi oleh instansi lain karena biayanya rendah, prosedurnya tertulis, dan telah "
            "dipelajari oleh kecamatan tetangga."
        ),
        "sumber_daya": (
            "Sumber daya: petugas instansi, dukungan anggaran rutin, kader masyarakat, serta sarana yang sudah ada."
        ),
        "keberlanjutan": (
            "Keberlanjutan dijaga melalui SK kepala daerah, masuknya kegiatan dalam rencana kerja tahunan, dan "
            "pelatihan petugas baru."
        ),
    }
    return texts.get(section.key, f"Uraian {section.title.lower()} untuk {entry.title}.")


# Files ----------------------------------------------------------------------------------------------


def _photo(entry):
    digest = hashlib.sha256(entry.code.encode()).digest()
    image = Image.new("RGB", (320, 200), (digest[0] // 2 + 60, digest[1] // 2 + 60, digest[2] // 2 + 60))
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 120, 300, 180], fill=(250, 250, 245))
    for k in range(5):
        x = 30 + k * 55
        draw.ellipse([x, 60, x + 30, 90], fill=(120 + digest[3 + k] // 3, 80, 60))
        draw.rectangle([x + 5, 90, x + 25, 125], fill=(40, 70 + digest[8 + k] // 3, 120))
    draw.text((28, 140), entry.code, fill=(20, 20, 20))
    draw.text((28, 158), (entry.short_name or entry.title)[:40], fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    thumb = image.copy()
    thumb.thumbnail((160, 100))
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, "JPEG", quality=75)
    return out.getvalue(), thumb_out.getvalue()


def decree_pdf(entry):
    """A tiny valid one-page PDF with the decree's title (built by hand: no PDF library needed to write)."""
    text = f"SURAT KEPUTUSAN TIM INOVATOR {entry.code}".encode("latin-1", "replace")
    stream = b"BT /F1 14 Tf 40 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _attach(ctx, entries):
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
            attachment.file.name = default_storage.save(
                attachment_upload_to(attachment, f"{name}.{ext}"), ContentFile(data)
            )
            if thumbnail:
                attachment.thumbnail.name = default_storage.save(
                    attachment_upload_to(attachment, f"{name}-thumb.jpg"), ContentFile(thumbnail)
                )
            rows.append(attachment)
    Attachment.objects.bulk_create(rows)
    ctx.count("attachments", n=len(rows), created=bool(rows))


# 2027: drafts and a returned entry -------------------------------------------------------------------


def _seed_2027(ctx, competition, rng):
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
        if title in existing:
            continue
        now = datetime.datetime.now(tz=WITA)
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
            submitted_at=now - datetime.timedelta(days=3) if status == EntryStatus.RETURNED else None,
        )
        plan = {"special": None, "desa": "", "kecamatan": "", "topic": TOPICS[5], "agency": user.agency}
        ProposalAnswer.objects.bulk_create(
            ProposalAnswer(entry=entry, section=s, text=_answer(s, plan, entry))
            for s in sections[: 8 if status == EntryStatus.RETURNED else 3]
        )
        changes = [
            StatusChange(
                entry=entry,
                from_status="",
                to_status=EntryStatus.DRAFT,
                actor=user,
                created_at=now - datetime.timedelta(days=10),
            )
        ]
        if status == EntryStatus.RETURNED:
            changes += [
                StatusChange(
                    entry=entry,
                    from_status="draft",
                    to_status="submitted",
                    actor=user,
                    created_at=now - datetime.timedelta(days=3),
                ),
                StatusChange(
                    entry=entry,
                    from_status="submitted",
                    to_status="returned",
                    actor=verifier,
                    created_at=now - datetime.timedelta(days=1),
                    note="Lengkapi indikator dampak dengan data sebelum dan sesudah, serta unggah SK tim inovator.",
                ),
            ]
        StatusChange.objects.bulk_create(changes)
        ctx.count("entries")
