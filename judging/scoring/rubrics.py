"""Default rubrics per round kind. Scale 1..10 everywhere; weights are percentages (any positive numbers work).

- desk: the KIPP 2023 proposal aspects and weights (ringkasan, weight 0, is excluded). Keys and weights come from
  kipp.defaults.DEFAULT_PROPOSAL_SECTIONS when the foundation provides it, else from the copy below
  (shared/domain/kipp-facts.md).
- presentation: a presentation-and-interview rubric (documented in docs/judging.md).
- field: a field-verification rubric.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

SCALE_MIN = 1
SCALE_MAX = 10

KIPP_2023_ASPECTS = [
    ("latar_belakang", _("Latar belakang dan tujuan"), 10),
    ("kebaruan", _("Kebaruan / nilai tambah"), 15),
    ("implementasi", _("Implementasi inovasi"), 5),
    ("signifikansi", _("Signifikansi"), 30),
    ("adaptabilitas", _("Adaptabilitas"), 20),
    ("sumber_daya", _("Sumber daya"), 5),
    ("keberlanjutan", _("Strategi keberlanjutan"), 15),
]

DESK_GUIDANCE = {
    "latar_belakang": _("Masalah pelayanan yang nyata dan terukur; tujuan inovasi jelas dan sesuai masalah."),
    "kebaruan": _("Apa yang baru atau berbeda dibanding cara sebelumnya dan inovasi sejenis; nilai tambahnya."),
    "implementasi": _("Langkah pelaksanaan, tahapan, waktu, dan pihak yang terlibat dijelaskan dengan runtut."),
    "signifikansi": _("Dampak yang terukur bagi pengguna layanan, dengan data sebelum dan sesudah inovasi."),
    "adaptabilitas": _("Sudah atau mudah direplikasi oleh unit atau daerah lain; bukti replikasi."),
    "sumber_daya": _("Sumber daya manusia, anggaran, dan sarana yang dipakai, serta efisiensinya."),
    "keberlanjutan": _("Strategi kelembagaan, regulasi, anggaran, dan sosial agar inovasi tetap berjalan."),
}

PRESENTATION_RUBRIC = [
    ("penyajian", _("Penyajian"), 10, _("Presentasi dan video runtut, jelas, dan tepat waktu.")),
    ("penguasaan_materi", _("Penguasaan materi"), 20, _("Penyaji menguasai masalah, proses, dan data inovasi.")),
    ("jawaban", _("Jawaban atas pertanyaan"), 20, _("Jawaban tepat, jujur, dan didukung bukti.")),
    ("bukti_dampak", _("Bukti dampak"), 25, _("Data dan testimoni menunjukkan manfaat nyata bagi masyarakat.")),
    ("potensi_replikasi", _("Potensi replikasi"), 15, _("Inovasi dapat ditiru daerah atau unit lain.")),
    ("komitmen_pimpinan", _("Komitmen pimpinan"), 10, _("Dukungan kepala instansi: regulasi, anggaran, SDM.")),
]

FIELD_RUBRIC = [
    ("kesesuaian", _("Kesesuaian dengan proposal"), 30, _("Yang dilihat di lapangan sesuai dengan proposal.")),
    ("keberfungsian", _("Keberfungsian layanan"), 25, _("Inovasi berjalan dan dipakai pada saat kunjungan.")),
    ("dampak_nyata", _("Dampak nyata"), 25, _("Pengguna layanan dan data lapangan menunjukkan manfaat.")),
    ("dukungan", _("Dukungan pemangku kepentingan"), 10, _("Masyarakat, mitra, dan pimpinan mendukung.")),
    ("kelengkapan_bukti", _("Kelengkapan bukti"), 10, _("Dokumen, SK, dan data pendukung tersedia.")),
]

BANDS = [
    (9, 10, _("Sangat baik: lengkap, meyakinkan, didukung bukti kuat.")),
    (7, 8, _("Baik: jelas dan didukung bukti, dengan sedikit kekurangan.")),
    (5, 6, _("Cukup: memadai, tetapi bukti atau penjelasan masih kurang.")),
    (3, 4, _("Kurang: tidak jelas atau hampir tanpa bukti.")),
    (1, 2, _("Sangat kurang: tidak ada atau tidak relevan.")),
]


def _desk_aspects():
    """(key, title, weight) of the proposal aspects with a weight > 0."""
    try:
        from kipp.defaults import DEFAULT_PROPOSAL_SECTIONS
    except ImportError:
        return KIPP_2023_ASPECTS
    aspects = []
    for section in DEFAULT_PROPOSAL_SECTIONS:
        get = section.get if isinstance(section, dict) else lambda name, s=section: getattr(s, name, None)
        key, title, weight = get("key"), get("title"), get("weight")
        if key and weight:
            aspects.append((key, title or key, weight))
    return aspects or KIPP_2023_ASPECTS


def default_rubric(kind):
    """A list of criterion dicts for a round kind."""
    if kind == "desk":
        rows = [(key, title, weight, DESK_GUIDANCE.get(key, "")) for key, title, weight in _desk_aspects()]
    elif kind == "presentation":
        rows = PRESENTATION_RUBRIC
    else:
        rows = FIELD_RUBRIC
    return [
        {
            "key": key,
            "title": str(title),
            "weight": Decimal(str(weight)),
            "guidance": str(guidance),
            "scale_min": SCALE_MIN,
            "scale_max": SCALE_MAX,
            "required": True,
            "order": index,
        }
        for index, (key, title, weight, guidance) in enumerate(rows, start=1)
    ]


def default_bands():
    return [(low, high, str(text)) for low, high, text in BANDS]
