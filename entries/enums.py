from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan")
    FORWARDED = "forwarded", _("Diteruskan ke penyelenggara")
    ELIGIBLE = "eligible", _("Lolos seleksi administrasi")
    INELIGIBLE = "ineligible", _("Tidak lolos seleksi administrasi")
    WITHDRAWN = "withdrawn", _("Ditarik")


class InnovationStage(models.TextChoices):
    CREATION = "penciptaan", _("Penciptaan")
    DEVELOPMENT = "pengembangan", _("Pengembangan")
    INSTITUTIONALISATION = "pelembagaan", _("Pelembagaan")


class IndicatorDirection(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("Makin tinggi makin baik")
    LOWER_IS_BETTER = "lower", _("Makin rendah makin baik")


class IndicatorKind(models.TextChoices):
    """What an indicator's values are: the kind decides which values are possible (see ImpactIndicator)."""

    COUNT = "count", _("Jumlah (bilangan bulat: orang, kasus, dokumen, ...)")
    PERCENT = "percent", _("Persentase (0–100 %)")
    MEASURE = "measure", _("Besaran lain (menit, hari, rupiah, rata-rata, ...)")


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Foto")
    DOCUMENT = "document", _("Dokumen pendukung (PDF)")
    DECREE = "decree", _("SK inovator")


class DecisionReason(models.TextChoices):
    TOO_YOUNG = "too_young", _("Usia inovasi belum memenuhi")
    INCOMPLETE = "incomplete", _("Jawaban atau lampiran tidak lengkap")
    DUPLICATE = "duplicate", _("Judul ganda")
    OUT_OF_SCOPE = "out_of_scope", _("Di luar lingkup kompetisi")
    QUOTA = "quota", _("Melebihi kuota")
    PAST_WINNER = "past_winner", _("Pernah terpilih di kompetisi sebelumnya")
    OTHER = "other", _("Lainnya")


# Statuses in which the innovators of the agency may change the entry.
EDITABLE_STATUSES = (EntryStatus.DRAFT, EntryStatus.RETURNED)
# Statuses that count against the quotas of a region and an agency (the entry has reached the organiser).
QUOTA_STATUSES = (EntryStatus.FORWARDED, EntryStatus.ELIGIBLE, EntryStatus.INELIGIBLE)
# Statuses from which an entry may still be withdrawn (before the results).
WITHDRAWABLE_STATUSES = (
    EntryStatus.DRAFT,
    EntryStatus.SUBMITTED,
    EntryStatus.RETURNED,
    EntryStatus.FORWARDED,
    EntryStatus.ELIGIBLE,
)
