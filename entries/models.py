from django.conf import settings
from django.contrib.postgres.indexes import GistIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Floor, Left, Length
from django.db.models.lookups import Exact, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from entries.enums import (
    AttachmentKind,
    DecisionReason,
    EntryStatus,
    IndicatorDirection,
    IndicatorKind,
    InnovationStage,
)
from kipp.areas.enums import district_label, location_label
from kipp.enums import EntryGroup
from kipp.models import Agency, Category, Competition, District, ProposalSection, Village
from kipp.scopes import OrganisationScopedManager


class Entry(models.Model):
    """An innovation proposal entered by an agency into one competition."""

    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="entries")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="entries", verbose_name=_("instansi"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_entries")
    code = models.CharField(_("kode"), max_length=40)
    title = models.CharField(_("judul inovasi"), max_length=250)
    short_name = models.CharField(_("nama singkat"), max_length=60, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="entries", verbose_name=_("kategori")
    )
    group = models.CharField(_("kelompok"), max_length=12, choices=EntryGroup.choices, default=EntryGroup.GENERAL)
    stage = models.CharField(_("tahap inovasi"), max_length=16, choices=InnovationStage.choices, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    submitted_at = models.DateTimeField(_("waktu pengajuan pertama"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic lock: bumped on every write.")
    # Profile of the innovation
    # Where the innovation works: a kecamatan and desa/kelurahan of the agency's region (kipp.areas). The text
    # fields hold what was typed before the areas were loaded, kept where it matched no area; choosing an area
    # clears them (docs/entries.md, "Location").
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("kecamatan"),
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("desa/kelurahan"),
    )
    kecamatan = models.CharField(_("kecamatan (teks lama)"), max_length=100, blank=True)
    desa = models.CharField(_("desa/kelurahan (teks lama)"), max_length=100, blank=True)
    started_on = models.DateField(_("mulai diterapkan"), null=True, blank=True)
    is_digital = models.BooleanField(_("inovasi digital"), default=False)
    video_url = models.URLField(_("tautan video"), max_length=300, blank=True)
    supporting_agencies = models.TextField(_("instansi pendukung"), blank=True, max_length=1000)
    # Pipeline
    forwarded_at = models.DateTimeField(_("waktu diteruskan"), null=True, blank=True)
    decided_at = models.DateTimeField(_("waktu keputusan seleksi administrasi"), null=True, blank=True)
    decision_reason = models.CharField(_("alasan keputusan"), max_length=16, choices=DecisionReason.choices, blank=True)
    decision_note = models.TextField(_("catatan keputusan"), blank=True, max_length=2000)
    objects = OrganisationScopedManager("competition__organisation_id")

    class Meta:
        ordering = ["competition", "code"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposal")
        constraints = [
            models.UniqueConstraint(fields=["competition", "code"], name="entry_code_unique_in_competition"),
            models.CheckConstraint(condition=Q(status__in=EntryStatus.values), name="entry_status_valid"),
            models.CheckConstraint(
                condition=Q(status__in=[EntryStatus.DRAFT, EntryStatus.WITHDRAWN]) | Q(submitted_at__isnull=False),
                name="entry_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=EntryStatus.INELIGIBLE) | ~Q(decision_reason=""),
                name="entry_ineligible_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(decision_reason="") | Q(decision_reason__in=DecisionReason.values),
                name="entry_decision_reason_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[EntryStatus.ELIGIBLE, EntryStatus.INELIGIBLE]) | Q(decided_at__isnull=False),
                name="entry_decided_has_time",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="entry_version_positive"),
            models.CheckConstraint(condition=~Q(title=""), name="entry_title_not_empty"),
            # a village lies in the chosen kecamatan (codes nest: 73.04.10.2006 in 73.04.10); that the kecamatan
            # lies in the agency's region is checked by a trigger (entries migration 0008_entry_area)
            models.CheckConstraint(
                condition=Q(village__isnull=True)
                | Q(Q(district__isnull=False), Exact(Left("village_id", Length("district_id")), F("district_id"))),
                name="entry_village_in_district",
            ),
        ]
        indexes = [
            models.Index(fields=["competition", "status"]),
            # near-duplicate titles (entries.queries.annotate_checks): pg_trgm, installed by kipp migration 0004
            GistIndex(fields=["title"], opclasses=["gist_trgm_ops"], name="entry_title_trgm"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def region(self):
        return self.agency.region

    @property
    def location(self):
        """ "Desa Tompobulu, Kecamatan Rumbia" ("Tompobulu Village, Rumbia District"): the chosen areas, else the
        text typed before the areas were loaded, else ""."""
        if self.district_id:
            return location_label(self.district, self.village)
        parts = []
        if self.desa:
            parts.append(gettext("Desa/Kel. %(name)s") % {"name": self.desa})
        if self.kecamatan:
            parts.append(district_label(self.kecamatan))
        return ", ".join(parts)


class ProposalAnswer(models.Model):
    """The entry's text for one section of the competition's proposal template."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="answers")
    section = models.ForeignKey(ProposalSection, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(_("jawaban"), blank=True, max_length=20000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["entry", "section__order", "section_id"]
        verbose_name = _("jawaban proposal")
        verbose_name_plural = _("jawaban proposal")
        constraints = [
            models.UniqueConstraint(fields=["entry", "section"], name="answer_unique_per_section"),
            models.CheckConstraint(condition=LessThanOrEqual(Length("text"), 20000), name="answer_text_length"),
        ]

    def __str__(self):
        return f"{self.entry.code} · {self.section.key}"


class TeamMember(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="team_members")
    name = models.CharField(_("nama"), max_length=150)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    contact = models.CharField(_("kontak (email/telepon)"), max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["entry", "order", "id"]
        verbose_name = _("anggota tim inovator")
        verbose_name_plural = _("anggota tim inovator")
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="team_member_has_name")]

    def __str__(self):
        return self.name


INDICATOR_VALUE_FIELDS = ("baseline_value", "latest_value")


def indicator_value_problems(kind, values):
    """{field: message} for the values that the indicator's kind makes impossible (empty: all possible).
    The same rule as ImpactIndicator's check constraints; used by the form, the model's clean and the service."""
    problems = {}
    for field, value in values.items():
        if value is None:
            continue
        if kind == IndicatorKind.COUNT and (value < 0 or value != value.to_integral_value()):
            problems[field] = _("Jumlah harus bilangan bulat tidak negatif (misalnya 24 orang, bukan 23,69).")
        elif kind == IndicatorKind.PERCENT and not 0 <= value <= 100:
            problems[field] = _("Persentase harus antara 0 dan 100.")
    return problems


def _kind_condition(kind, field):
    if kind == IndicatorKind.COUNT:
        return Q(**{f"{field}__gte": 0}) & Q(**{field: Floor(field)})
    return Q(**{f"{field}__gte": 0, f"{field}__lte": 100})


class ImpactIndicator(models.Model):
    """A measured result of the innovation: a baseline and the latest value of one indicator."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indikator"), max_length=200)
    kind = models.CharField(
        _("jenis nilai"), max_length=8, choices=IndicatorKind.choices, default=IndicatorKind.MEASURE
    )
    unit = models.CharField(_("satuan"), max_length=40, blank=True)
    direction = models.CharField(
        _("arah"), max_length=8, choices=IndicatorDirection.choices, default=IndicatorDirection.HIGHER_IS_BETTER
    )
    baseline_value = models.DecimalField(_("nilai awal"), max_digits=16, decimal_places=4)
    baseline_on = models.DateField(_("tanggal nilai awal"))
    latest_value = models.DecimalField(_("nilai terkini"), max_digits=16, decimal_places=4)
    latest_on = models.DateField(_("tanggal nilai terkini"))
    source = models.CharField(_("sumber data"), max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["entry", "order", "id"]
        verbose_name = _("indikator dampak")
        verbose_name_plural = _("indikator dampak")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="indicator_has_name"),
            models.CheckConstraint(condition=Q(direction__in=IndicatorDirection.values), name="indicator_direction"),
            models.CheckConstraint(condition=Q(latest_on__gte=F("baseline_on")), name="indicator_dates_order"),
            models.CheckConstraint(condition=Q(kind__in=IndicatorKind.values), name="indicator_kind"),
            models.CheckConstraint(
                condition=~Q(kind=IndicatorKind.COUNT)
                | (
                    _kind_condition(IndicatorKind.COUNT, "baseline_value")
                    & _kind_condition(IndicatorKind.COUNT, "latest_value")
                ),
                name="indicator_count_whole",
            ),
            models.CheckConstraint(
                condition=~Q(kind=IndicatorKind.PERCENT)
                | (
                    _kind_condition(IndicatorKind.PERCENT, "baseline_value")
                    & _kind_condition(IndicatorKind.PERCENT, "latest_value")
                ),
                name="indicator_percent_range",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        problems = indicator_value_problems(self.kind, {f: getattr(self, f) for f in INDICATOR_VALUE_FIELDS})
        if problems:
            raise ValidationError(problems)


def attachment_upload_to(instance, filename):
    """Never the uploaded name: the services pass a generated (uuid) name; only the folder is added here."""
    return f"entries/{instance.entry.competition_id}/{instance.entry_id}/{filename}"


class StoredFile(models.Model):
    """What every uploaded file keeps beside the file itself (entries.uploads fills it in): the name shown, size,
    checked content type, SHA-256, pixel size of images, who uploaded it and when. The concrete models add `file`
    and `thumbnail` with their own upload_to."""

    original_name = models.CharField(_("nama berkas"), max_length=150)
    size = models.PositiveBigIntegerField(_("ukuran (byte)"))
    content_type = models.CharField(_("jenis isi"), max_length=40)
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


class Attachment(StoredFile):
    """Evidence of an entry. The stored file is re-encoded (images) or checked (PDF) by entries.uploads."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("jenis"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("berkas"), upload_to=attachment_upload_to, max_length=300)
    thumbnail = models.FileField(_("gambar kecil"), upload_to=attachment_upload_to, max_length=300, blank=True)
    original_name = models.CharField(_("nama berkas"), max_length=150, help_text=_("Hanya untuk tampilan."))

    class Meta:
        ordering = ["entry", "kind", "created_at", "id"]
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AttachmentKind.values), name="attachment_kind_valid"),
            models.CheckConstraint(condition=Q(size__gt=0), name="attachment_size_positive"),
            models.CheckConstraint(
                condition=Q(content_type__in=["image/jpeg", "image/png", "image/webp", "application/pdf"]),
                name="attachment_content_type_allowed",
            ),
            models.CheckConstraint(condition=Exact(Length("sha256"), 64), name="attachment_sha256_length"),
            models.CheckConstraint(
                condition=~Q(kind=AttachmentKind.PHOTO) | Q(content_type__startswith="image/"),
                name="attachment_photo_is_image",
            ),
            models.CheckConstraint(
                condition=~Q(kind=AttachmentKind.DOCUMENT) | Q(content_type="application/pdf"),
                name="attachment_document_is_pdf",
            ),
        ]

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class StatusChange(models.Model):
    """One step of an entry's lifecycle, with the verifier's notes or the organiser's reason."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("dari"), max_length=12, choices=EntryStatus.choices, blank=True)
    to_status = models.CharField(_("menjadi"), max_length=12, choices=EntryStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.CharField(_("alasan"), max_length=16, choices=DecisionReason.choices, blank=True)
    note = models.TextField(_("catatan"), blank=True, max_length=4000)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        ordering = ["entry", "created_at", "id"]
        verbose_name = _("riwayat status")
        verbose_name_plural = _("riwayat status")
        constraints = [
            models.CheckConstraint(condition=Q(to_status__in=EntryStatus.values), name="status_change_to_valid"),
            models.CheckConstraint(
                condition=~Q(to_status=EntryStatus.RETURNED) | ~Q(note=""), name="status_change_return_has_note"
            ),
            models.CheckConstraint(
                condition=~Q(to_status=EntryStatus.INELIGIBLE) | ~Q(reason=""),
                name="status_change_ineligible_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["entry", "created_at"])]

    def __str__(self):
        return f"{self.entry.code}: {self.from_status} -> {self.to_status}"


class DeadlineExtension(models.Model):
    """The organiser lets one entry be submitted after the competition closes."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="deadline_extensions")
    deadline = models.DateTimeField(_("batas waktu baru"))
    reason = models.TextField(_("alasan"), max_length=2000)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entry", "-created_at", "-id"]
        verbose_name = _("perpanjangan batas waktu")
        verbose_name_plural = _("perpanjangan batas waktu")
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="extension_has_reason")]

    def __str__(self):
        return f"{self.entry.code} -> {self.deadline:%Y-%m-%d %H:%M}"


class PastWinnerDecision(models.Model):
    """The organiser's answer to a past-winner flag (issue 16): the flag never decides. Either the entry repeats the
    earlier innovation (the entry is then made ineligible with the reason "past_winner") or it is another innovation
    and stays in selection, with the organiser's reason. The latest row of an entry is its answer."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="past_winner_decisions")
    same_innovation = models.BooleanField(_("inovasi yang sama"))
    reason = models.TextField(_("alasan"), max_length=2000)
    earlier = models.JSONField(_("pengumuman terdahulu yang ditandai"), default=list, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        ordering = ["entry", "-created_at", "-id"]
        verbose_name = _("keputusan pemenang terdahulu")
        verbose_name_plural = _("keputusan pemenang terdahulu")
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="past_winner_decision_has_reason")]
        indexes = [models.Index(fields=["entry", "created_at"], name="past_winner_decision_entry")]

    def __str__(self):
        return f"{self.entry_id}: {'same' if self.same_innovation else 'other'}"


from entries.reminders.models import DraftReminder  # noqa: E402, F401 - registered here: a model of the entries app
