"""The demo's words and pictures: titles, people, indicators, proposal answers, a photo and a decree PDF."""

import datetime
import hashlib
import io
import zoneinfo
from decimal import Decimal

from PIL import Image, ImageDraw

from entries.enums import DecisionReason, IndicatorKind

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
SMS_TITLE = "Sapa Masyarakat Sekitar (SMS)"
TRANSPORT_TITLE = "Transportation Smart"

# The two entries of the source article, as they stand in the demo's plan of kipp-sulsel-2023.
SMS_PLAN = {
    "title": SMS_TITLE,
    "short_name": "SMS",
    "special": "sms",
    "district": "73.04.10",  # Kecamatan Rumbia
    "village": "73.04.10.2006",  # Desa Tompobulu
    "place": "Desa Tompobulu, Kecamatan Rumbia",
    "is_digital": False,
    "stage": "pelembagaan",
    "started_on": datetime.date(2019, 7, 15),
    "supporting": "Dinas Pendidikan Kabupaten Jeneponto",
}
TRANSPORT_PLAN = {
    "title": TRANSPORT_TITLE,
    "short_name": "TS",
    "special": "transport",
    "district": "73.04.03",  # Kecamatan Binamu
    "village": None,
    "place": "Kecamatan Binamu",
    "is_digital": True,
    "stage": "pengembangan",
    "started_on": datetime.date(2020, 2, 3),
    "supporting": "Satuan Lalu Lintas Polres Jeneponto; Dinas Komunikasi dan Informatika Kabupaten Jeneponto",
}

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
    place = plan["place"] if plan["village"] else f"{entry.agency.region}"
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
