"""Innovation records (issue 7): the province's memory of its innovations, built from published results.

An InnovationRecord is one innovation across competitions and years (its history: RecordEntry rows, each an entry
selected in a visible announcement). The owning agency's innovators keep it current (RecordUpdate with dated
IndicatorValue rows and RecordPhoto uploads); other agencies ask to replicate it (ReplicationRequest).
A record never changes what an announcement said: announcements keep their own frozen rows.

Imported at the bottom of judging/models.py, so these are models of the judging app."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from entries.enums import IndicatorDirection, InnovationStage
from entries.models import Entry, StoredFile
from judging.records.enums import OPEN_REPLICATION_STATES, RecordOutcome, ReplicationState
from kipp.models import Agency, Competition, Region

__all__ = [
    "IndicatorValue",
    "InnovationRecord",
    "RecordEntry",
    "RecordPhoto",
    "RecordUpdate",
    "ReplicationRequest",
    "record_photo_upload_to",
]


def record_photo_upload_to(instance, filename):
    """Never the uploaded name: the service passes a generated (uuid) name."""
    return f"records/{instance.record_id}/{filename}"


class InnovationRecord(models.Model):
    """One innovation, public once an announcement listing one of its entries is visible."""

    slug = models.SlugField(_("alamat"), max_length=100, unique=True)
    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposal terbaru yang diumumkan")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="innovation_records")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="innovation_records")
    title = models.CharField(_("judul inovasi"), max_length=250)
    short_name = models.CharField(_("nama singkat"), max_length=60, blank=True)
    summary = models.TextField(_("ringkasan"), blank=True, max_length=5000)
    category_key = models.SlugField(_("kunci kategori"), max_length=60, blank=True)
    category_name = models.CharField(_("kategori"), max_length=200, blank=True)
    stage = models.CharField(_("tahap inovasi"), max_length=16, choices=InnovationStage.choices, blank=True)
    is_digital = models.BooleanField(_("inovasi digital"), default=False)
    first_year = models.PositiveSmallIntegerField(_("tahun pertama"))
    year = models.PositiveSmallIntegerField(_("tahun terakhir"))
    outcome = models.CharField(_("capaian"), max_length=8, choices=RecordOutcome.choices)
    is_running = models.BooleanField(_("masih berjalan"), default=True)
    stopped_on = models.DateField(_("berhenti sejak"), null=True, blank=True)
    stop_reason = models.TextField(_("alasan berhenti"), blank=True, max_length=2000)
    last_updated_at = models.DateTimeField(_("terakhir diperbarui"))
    created_at = models.DateTimeField(auto_now_add=True)
    search_document = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-year", "title", "id"]
        verbose_name = _("catatan inovasi")
        verbose_name_plural = _("catatan inovasi")
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=RecordOutcome.values), name="record_outcome_valid"),
            models.CheckConstraint(condition=~Q(slug=""), name="record_has_slug"),
            models.CheckConstraint(condition=~Q(title=""), name="record_has_title"),
            models.CheckConstraint(condition=Q(year__gte=models.F("first_year")), name="record_years_order"),
            models.CheckConstraint(
                condition=Q(is_running=True, stopped_on__isnull=True)
                | (Q(is_running=False, stopped_on__isnull=False) & ~Q(stop_reason="")),
                name="record_stopped_has_date_and_reason",
            ),
        ]
        indexes = [
            GinIndex(fields=["search_document"], name="record_search_gin"),
            # the catalogue's order (Meta.ordering): a page of the list walks it and stops
            models.Index(fields=["-year", "title", "id"], name="record_catalogue_order"),
            models.Index(fields=["region", "year"], name="record_region_year"),
            models.Index(fields=["agency"], name="record_agency"),
            models.Index(fields=["category_key"], name="record_category"),
        ]

    def __str__(self):
        return self.title


class RecordEntry(models.Model):
    """One step of a record's history: an entry of one competition, listed as selected in a visible announcement."""

    record = models.ForeignKey(InnovationRecord, on_delete=models.CASCADE, related_name="history")
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="innovation_record_entry")
    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    announcement = models.ForeignKey("judging.Announcement", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("capaian"), max_length=8, choices=RecordOutcome.choices)
    title = models.CharField(_("judul saat itu"), max_length=250)

    class Meta:
        ordering = ["record", "-year", "-id"]
        verbose_name = _("riwayat catatan inovasi")
        verbose_name_plural = _("riwayat catatan inovasi")
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=RecordOutcome.values), name="record_entry_outcome_valid"),
        ]

    def __str__(self):
        return f"{self.record_id} · {self.year} · {self.entry_id}"


class RecordUpdate(models.Model):
    """The innovator's dated update of a record after the competition."""

    record = models.ForeignKey(InnovationRecord, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("waktu"))
    is_running = models.BooleanField(_("masih berjalan"), default=True)
    stopped_on = models.DateField(_("berhenti sejak"), null=True, blank=True)
    stop_reason = models.TextField(_("alasan berhenti"), blank=True, max_length=2000)
    note = models.TextField(_("catatan"), blank=True, max_length=4000)

    class Meta:
        ordering = ["record", "-created_at", "-id"]
        verbose_name = _("pembaruan catatan inovasi")
        verbose_name_plural = _("pembaruan catatan inovasi")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_running=True, stopped_on__isnull=True)
                | (Q(is_running=False, stopped_on__isnull=False) & ~Q(stop_reason="")),
                name="record_update_stopped_has_date_and_reason",
            ),
        ]

    def __str__(self):
        return f"{self.record_id} @ {self.created_at:%Y-%m-%d}"


class IndicatorValue(models.Model):
    """A dated value of one of the record's impact indicators, reported after the competition."""

    record = models.ForeignKey(InnovationRecord, on_delete=models.CASCADE, related_name="indicator_values")
    update = models.ForeignKey(RecordUpdate, on_delete=models.CASCADE, related_name="values", null=True, blank=True)
    name = models.CharField(_("indikator"), max_length=200)
    unit = models.CharField(_("satuan"), max_length=40, blank=True)
    direction = models.CharField(
        _("arah"), max_length=8, choices=IndicatorDirection.choices, default=IndicatorDirection.HIGHER_IS_BETTER
    )
    value = models.DecimalField(_("nilai"), max_digits=16, decimal_places=4)
    measured_on = models.DateField(_("tanggal pengukuran"))

    class Meta:
        ordering = ["record", "name", "measured_on", "id"]
        verbose_name = _("nilai indikator")
        verbose_name_plural = _("nilai indikator")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="indicator_value_has_name"),
            models.CheckConstraint(
                condition=Q(direction__in=IndicatorDirection.values), name="indicator_value_direction"
            ),
        ]
        indexes = [models.Index(fields=["record", "name", "measured_on"], name="indicator_value_series")]

    def __str__(self):
        return f"{self.name} {self.measured_on}: {self.value}"


class RecordPhoto(StoredFile):
    """A photo added to a record after the competition (re-encoded by entries.uploads.clean_image)."""

    record = models.ForeignKey(InnovationRecord, on_delete=models.CASCADE, related_name="photos")
    update = models.ForeignKey(RecordUpdate, on_delete=models.SET_NULL, related_name="photos", null=True, blank=True)
    file = models.FileField(_("berkas"), upload_to=record_photo_upload_to, max_length=300)
    thumbnail = models.FileField(_("gambar kecil"), upload_to=record_photo_upload_to, max_length=300, blank=True)
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        ordering = ["record", "created_at", "id"]
        verbose_name = _("foto catatan inovasi")
        verbose_name_plural = _("foto catatan inovasi")
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=["image/jpeg", "image/png", "image/webp"]),
                name="record_photo_is_image",
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="record_photo_size_positive"),
        ]


class ReplicationRequest(models.Model):
    """Another agency asks to replicate a record's innovation: requested -> agreed -> implemented, or declined."""

    record = models.ForeignKey(InnovationRecord, on_delete=models.PROTECT, related_name="replications")
    requester_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="replication_requests", verbose_name=_("instansi peminta")
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    contact_name = models.CharField(_("nama kontak"), max_length=150)
    contact_email = models.EmailField(_("email kontak"))
    contact_phone = models.CharField(_("telepon kontak"), max_length=40, blank=True)
    plan = models.TextField(_("rencana replikasi"), max_length=4000)
    state = models.CharField(
        _("status"), max_length=12, choices=ReplicationState.choices, default=ReplicationState.REQUESTED
    )
    requested_at = models.DateTimeField(_("diajukan"))
    agreed_at = models.DateTimeField(_("disetujui"), null=True, blank=True)
    declined_at = models.DateTimeField(_("ditolak"), null=True, blank=True)
    implemented_at = models.DateTimeField(_("diterapkan"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer_note = models.TextField(_("jawaban pemilik"), blank=True, max_length=4000)
    implementation_note = models.TextField(_("catatan penerapan"), blank=True, max_length=4000)

    class Meta:
        ordering = ["record", "-requested_at", "-id"]
        verbose_name = _("permintaan replikasi")
        verbose_name_plural = _("permintaan replikasi")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ReplicationState.values), name="replication_state_valid"),
            models.CheckConstraint(condition=~Q(plan=""), name="replication_has_plan"),
            models.CheckConstraint(
                condition=~Q(state=ReplicationState.REQUESTED)
                | Q(agreed_at__isnull=True, declined_at__isnull=True, implemented_at__isnull=True),
                name="replication_requested_unanswered",
            ),
            models.CheckConstraint(
                condition=~Q(state=ReplicationState.AGREED)
                | Q(agreed_at__isnull=False, declined_at__isnull=True, implemented_at__isnull=True),
                name="replication_agreed_dated",
            ),
            models.CheckConstraint(
                condition=~Q(state=ReplicationState.IMPLEMENTED)
                | Q(agreed_at__isnull=False, declined_at__isnull=True, implemented_at__isnull=False),
                name="replication_implemented_dated",
            ),
            models.CheckConstraint(
                condition=~Q(state=ReplicationState.DECLINED)
                | (Q(declined_at__isnull=False, agreed_at__isnull=True) & ~Q(answer_note="")),
                name="replication_declined_dated_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(agreed_at__isnull=True) | Q(agreed_at__gte=models.F("requested_at")),
                name="replication_agreed_after_request",
            ),
            models.CheckConstraint(
                condition=Q(implemented_at__isnull=True) | Q(implemented_at__gte=models.F("agreed_at")),
                name="replication_implemented_after_agreement",
            ),
            models.UniqueConstraint(
                fields=["record", "requester_agency"],
                condition=Q(state__in=OPEN_REPLICATION_STATES),
                name="replication_one_open_per_agency",
            ),
        ]
        indexes = [models.Index(fields=["requester_agency", "state"], name="replication_requester_state")]

    def __str__(self):
        return f"{self.record_id} ← {self.requester_agency_id} ({self.state})"
