from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundKind(models.TextChoices):
    DESK = "desk", _("Penilaian proposal (desk evaluation)")
    PRESENTATION = "presentation", _("Presentasi dan wawancara")
    FIELD = "field", _("Verifikasi lapangan")


class RoundState(models.TextChoices):
    SETUP = "setup", _("Persiapan")
    OPEN = "open", _("Dibuka")
    CLOSED = "closed", _("Ditutup")
    PUBLISHED = "published", _("Diumumkan")


class AggregationMethod(models.TextChoices):
    MEAN = "mean", _("Rata-rata")
    MEDIAN = "median", _("Median")
    NORMALISED = "normalised", _("Rata-rata ternormalisasi (meratakan juri ketat dan longgar)")


class TieBreak(models.TextChoices):
    """Steps after 'higher total' (always first); the entry code always closes the order."""

    CRITERIA = "criteria", _("Rata-rata nilai kriteria, dari bobot terbesar")
    SPREAD = "spread", _("Sebaran nilai juri lebih kecil")
    SUBMITTED_AT = "submitted_at", _("Waktu pengajuan lebih awal")


DEFAULT_TIE_BREAK = [TieBreak.CRITERIA.value, TieBreak.SPREAD.value, TieBreak.SUBMITTED_AT.value]


class SnapshotReason(models.TextChoices):
    """Why a ranking snapshot was stored (RankingSnapshot.reason)."""

    CLOSE = "close", _("saat babak ditutup")
    PUBLISH = "publish", _("saat hasil babak diumumkan")


class RoundEntrySource(models.TextChoices):
    ELIGIBLE = "eligible", _("Lolos seleksi administrasi")
    PREVIOUS_ROUND = "previous_round", _("Terpilih di babak sebelumnya")
    ORGANISER = "organiser", _("Ditambahkan penyelenggara")


class AssignmentSource(models.TextChoices):
    MANUAL = "manual", _("Manual")
    AUTOMATIC = "automatic", _("Otomatis")
    REPLACEMENT = "replacement", _("Pengganti")


class ConflictSource(models.TextChoices):
    AUTOMATIC = "automatic", _("Otomatis (instansi/daerah sama)")
    DECLARED = "declared", _("Dinyatakan juri")
    ORGANISER = "organiser", _("Dicatat penyelenggara")


class SheetState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    FINAL = "final", _("Final")


class QueueStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Belum dimulai")
    DRAFT = "draft", _("Draf")
    FINAL = "final", _("Final")


class Outcome(models.TextChoices):
    SELECTED = "selected", _("Terpilih")
    RESERVE = "reserve", _("Cadangan")
    NOT_SELECTED = "not_selected", _("Tidak terpilih")


class SelectionRuleKind(models.TextChoices):
    """The rules a round may set for its selection at the Top N cut (judging/scoring/quotas.py)."""

    MIN_PER_CATEGORY = "min_per_category", _("Minimal k per kategori")
    MAX_PER_REGION = "max_per_region", _("Maksimal m per daerah")
    SHARE_PER_GROUP = "share_per_group", _("Porsi minimal (%) untuk kelompok")
