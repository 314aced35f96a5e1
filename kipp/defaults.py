"""Defaults of a new competition, in one place: the KIPP 2023 proposal aspects (shared/domain/kipp-facts.md) and
the 2022 national categories. The judging layer reuses the keys and weights for its default desk rubric.

These are data stored in each competition (Indonesian, as the organiser publishes them), not interface strings.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionDefault:
    key: str
    title: str
    guidance: str
    word_limit: int | None
    required: bool
    weight: int  # percent of the desk evaluation (KIPP 2023, general group); 0 = not scored


DEFAULT_PROPOSAL_SECTIONS = (
    SectionDefault(
        key="ringkasan",
        title="Ringkasan",
        guidance=(
            "Gambarkan inovasi secara singkat: masalah yang diatasi, apa yang dilakukan, siapa penerima "
            "manfaatnya, dan hasil utama yang sudah dicapai. Paling banyak 200 kata."
        ),
        word_limit=200,
        required=True,
        weight=0,
    ),
    SectionDefault(
        key="latar_belakang",
        title="Latar belakang dan tujuan",
        guidance=(
            "Jelaskan masalah pelayanan publik sebelum inovasi, dengan data (angka, lokasi, kelompok yang "
            "terdampak), penyebabnya, dan tujuan inovasi yang terukur."
        ),
        word_limit=1000,
        required=True,
        weight=10,
    ),
    SectionDefault(
        key="kebaruan",
        title="Kebaruan / nilai tambah",
        guidance=(
            "Apa yang baru dibanding cara sebelumnya atau layanan serupa di daerah lain? Jelaskan ide kreatif, "
            "cara kerja, dan nilai tambah bagi penerima layanan."
        ),
        word_limit=1000,
        required=True,
        weight=15,
    ),
    SectionDefault(
        key="implementasi",
        title="Implementasi inovasi",
        guidance=(
            "Uraikan langkah pelaksanaan sejak awal (tanggal mulai), tahapan, pihak yang terlibat dan perannya, "
            "serta kendala yang dihadapi dan cara mengatasinya."
        ),
        word_limit=1500,
        required=True,
        weight=5,
    ),
    SectionDefault(
        key="signifikansi",
        title="Signifikansi",
        guidance=(
            "Tunjukkan dampak inovasi dengan data sebelum dan sesudah: perubahan kualitas layanan, jumlah "
            "penerima manfaat, waktu dan biaya, kepuasan masyarakat, serta kaitannya dengan tujuan pembangunan "
            "berkelanjutan. Lampirkan bukti pendukung."
        ),
        word_limit=1500,
        required=True,
        weight=30,
    ),
    SectionDefault(
        key="adaptabilitas",
        title="Adaptabilitas",
        guidance=(
            "Apakah inovasi sudah atau dapat direplikasi oleh unit atau daerah lain? Sebutkan replikasi yang "
            "sudah terjadi dan syarat agar inovasi dapat diterapkan di tempat lain."
        ),
        word_limit=1000,
        required=True,
        weight=20,
    ),
    SectionDefault(
        key="sumber_daya",
        title="Sumber daya",
        guidance=(
            "Sebutkan sumber daya manusia, anggaran (sumber dan besarnya), sarana, dan teknologi yang dipakai, "
            "serta cara memperolehnya."
        ),
        word_limit=1000,
        required=True,
        weight=5,
    ),
    SectionDefault(
        key="keberlanjutan",
        title="Strategi keberlanjutan",
        guidance=(
            "Bagaimana inovasi dijaga, diwadahi, dan diukur hasilnya: dasar hukum (SK, Perbup), anggaran rutin, "
            "pelembagaan dalam SOP, dan rencana pengembangan ke depan."
        ),
        word_limit=1000,
        required=True,
        weight=15,
    ),
)

# KIPP 2022 national categories, which Sulawesi Selatan 2023 followed (kipp-facts.md).
DEFAULT_CATEGORIES = (
    ("inklusif", "Pelayanan publik yang inklusif dan berkeadilan"),
    ("efektivitas-tpb", "Efektivitas institusi publik untuk mencapai Tujuan Pembangunan Berkelanjutan"),
    ("ketahanan", "Ketahanan institusi publik di masa pandemi dan antisipasi pascapandemi"),
)

DEFAULT_GROUPS = ("umum", "replikasi", "khusus")


def default_section_weights():
    """{key: weight} of the scored default sections (weight > 0), for a default desk rubric."""
    return {section.key: section.weight for section in DEFAULT_PROPOSAL_SECTIONS if section.weight > 0}
