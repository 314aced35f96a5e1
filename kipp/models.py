from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kipp import permissions
from kipp.enums import INNOVATOR_LABEL, AgencyKind, EntryGroup, PastWinnerStage, RegionKind, region_label
from kipp.managers import UserManager
from kipp.organisations.models import Membership, Organisation  # noqa: F401 (models of the kipp app)
from kipp.scopes import OrganisationScopedManager


class Province(models.Model):
    code = models.CharField(_("kode wilayah"), max_length=8, unique=True)
    name = models.CharField(_("nama"), max_length=120, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")

    def __str__(self):
        return self.name


class Region(models.Model):
    """A kabupaten, kota, or the province itself (for provincial agencies)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regions")
    code = models.CharField(_("kode wilayah"), max_length=8, unique=True)
    kind = models.CharField(_("jenis"), max_length=12, choices=RegionKind.choices)
    name = models.CharField(_("nama"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("daerah")
        verbose_name_plural = _("daerah")
        constraints = [models.UniqueConstraint(fields=["province", "kind", "name"], name="region_unique_name")]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return region_label(self.kind, self.name)


class Agency(models.Model):
    """An instansi: perangkat daerah, UPT, kecamatan... Each belongs to one region."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("daerah"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="units", verbose_name=_("induk")
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=AgencyKind.choices, default=AgencyKind.DEPARTMENT)
    name = models.CharField(_("nama instansi"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    address = models.CharField(_("alamat"), max_length=300, blank=True)

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="agency_unique_name_in_region")]
        indexes = [models.Index(fields=["region", "name"])]

    def __str__(self):
        return self.name


class User(AbstractBaseUser, PermissionsMixin):
    """A person using the portal. Logs in with their email address. What they may do comes from their agency (an
    innovator: `agency`, once confirmed) and their memberships of organisations (kipp.organisations.Membership:
    organiser, verifier of a region, judge); one person may hold several."""

    email = models.EmailField(_("email"), max_length=254, unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("instansi")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("daerah"),
        help_text=_("Daerah asal (untuk konflik kepentingan juri)."),
    )
    expertise = models.CharField(_("bidang keahlian"), max_length=200, blank=True)
    language = models.CharField(_("bahasa"), max_length=8, choices=settings.LANGUAGES, default="id")
    is_active = models.BooleanField(_("aktif"), default=True)
    is_staff = models.BooleanField(_("akses admin"), default=False)
    email_verified_at = models.DateTimeField(_("email diverifikasi"), null=True, blank=True)
    # Membership of `agency`: a sign-up is pending (both empty) until a confirmed member of the agency, the region's
    # verifier or an organiser confirms it (kipp.services_accounts). Accounts made by the portal's own code (demo,
    # administrators) are confirmed when created.
    agency_confirmed_at = models.DateTimeField(
        _("keanggotaan instansi dikonfirmasi"), null=True, blank=True, default=timezone.now
    )
    agency_confirmed_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dikonfirmasi oleh"),
    )
    agency_declined_at = models.DateTimeField(_("keanggotaan instansi ditolak"), null=True, blank=True)
    date_joined = models.DateTimeField(_("terdaftar"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=Q(agency_confirmed_by__isnull=True) | Q(agency_confirmed_at__isnull=False),
                name="user_agency_confirmed_by_has_time",
            ),
            models.CheckConstraint(
                condition=Q(agency_confirmed_at__isnull=True) | Q(agency_declined_at__isnull=True),
                name="user_agency_not_confirmed_and_declined",
            ),
            models.CheckConstraint(
                condition=Q(agency_confirmed_by__isnull=True) | ~Q(agency_confirmed_by=models.F("id")),
                name="user_agency_not_self_confirmed",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    def save(self, *args, **kwargs):
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_organiser(self):
        """kipp.permissions.is_organiser, for templates not yet given a can_* flag; never a role comparison."""
        return permissions.is_organiser(self)

    @property
    def roles_display(self):
        """What the person is, in words: "Inovator (UPP)" for a member of an agency, then each kind of membership
        they hold ("Penyelenggara · Juri (evaluator/panelis)"); "Administrator portal" for a superuser without any."""
        from kipp.organisations.enums import MembershipKind

        labels = []
        if permissions.is_innovator(self) and self.agency_declined_at is None:
            labels.append(str(INNOVATOR_LABEL))
        kinds = {kind for _org, kind, _region in permissions.memberships(self)}
        labels += [str(label) for value, label in MembershipKind.choices if value in kinds]
        if not labels and self.is_superuser:
            labels.append(str(_("Administrator portal")))
        return " · ".join(labels)

    @property
    def agency_pending(self):
        """An innovator whose membership of their agency nobody has confirmed yet (or that was declined); not staff
        whose agency is only where they work."""
        return (
            self.agency_id is not None and self.agency_confirmed_at is None and not permissions.works_there_only(self)
        )


class Competition(models.Model):
    """One edition of a competition, e.g. KIPP Sulawesi Selatan 2023."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    year = models.PositiveSmallIntegerField(_("tahun"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True, related_name="competitions")
    organisation = models.ForeignKey(
        "kipp.Organisation",
        on_delete=models.PROTECT,
        related_name="competitions",
        verbose_name=_("penyelenggara"),
        help_text=_("Organisasi yang menyelenggarakan kompetisi ini; kopnya tampil di setiap pengumuman."),
    )
    code_prefix = models.CharField(
        _("awalan kode proposal"), max_length=20, help_text=_("Contoh: SULSEL-2023 menghasilkan SULSEL-2023-001.")
    )
    description = models.TextField(_("deskripsi"), blank=True)
    groups = ArrayField(
        models.CharField(max_length=12, choices=EntryGroup.choices),
        verbose_name=_("kelompok"),
        default=list,
        blank=True,
    )
    opens_at = models.DateTimeField(_("pendaftaran dibuka"))
    closes_at = models.DateTimeField(_("pendaftaran ditutup"))
    minimum_age_months = models.PositiveSmallIntegerField(_("usia minimum inovasi (bulan)"), default=12)
    quota_per_region = models.PositiveSmallIntegerField(
        _("kuota per daerah"), null=True, blank=True, help_text=_("Kosong: tanpa batas.")
    )
    quota_per_agency = models.PositiveSmallIntegerField(
        _("kuota per instansi"), null=True, blank=True, help_text=_("Kosong: tanpa batas.")
    )
    requires_regional_verification = models.BooleanField(_("wajib verifikasi daerah"), default=True)
    is_public = models.BooleanField(_("tampil di beranda"), default=True)
    # Past winners (issue 16): innovations selected at this stage of a competition of the previous N years are
    # flagged at administrative selection (judging/records/past_winners.py); the organiser decides.
    past_winner_years = models.PositiveSmallIntegerField(
        _("pemenang terdahulu: berapa tahun ke belakang"),
        default=0,
        help_text=_("0: tidak diperiksa. Contoh: 2 memeriksa hasil kompetisi dua tahun sebelumnya."),
    )
    past_winner_stage = models.CharField(
        _("pemenang terdahulu: tahap yang dihitung"),
        max_length=8,
        choices=PastWinnerStage.choices,
        default=PastWinnerStage.FINAL,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    objects = OrganisationScopedManager("organisation_id")

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("kompetisi")
        verbose_name_plural = _("kompetisi")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="competition_window_order"),
            models.CheckConstraint(
                condition=Q(quota_per_region__isnull=True) | Q(quota_per_region__gte=1),
                name="competition_region_quota_positive",
            ),
            models.CheckConstraint(
                condition=Q(quota_per_agency__isnull=True) | Q(quota_per_agency__gte=1),
                name="competition_agency_quota_positive",
            ),
            models.CheckConstraint(
                condition=Q(past_winner_stage__in=PastWinnerStage.values), name="competition_past_winner_stage_valid"
            ),
            models.UniqueConstraint(fields=["code_prefix"], name="competition_code_prefix_unique"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("Pendaftaran harus ditutup setelah dibuka: periksa tanggal buka dan tanggal tutup.")},
                code="window_order",
            )

    def is_open(self, at=None):
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at


class Category(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="categories")
    key = models.SlugField(_("kunci"), max_length=60)
    name = models.CharField(_("nama kategori"), max_length=200)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["competition", "order", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")
        constraints = [models.UniqueConstraint(fields=["competition", "key"], name="category_unique_key")]

    def __str__(self):
        return self.name


class ProposalSection(models.Model):
    """One section of a competition's proposal template (e.g. the KIPP 2023 aspects)."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("kunci"), max_length=60)
    title = models.CharField(_("judul"), max_length=200)
    guidance = models.TextField(_("panduan"), blank=True)
    word_limit = models.PositiveIntegerField(_("batas kata"), null=True, blank=True)
    required = models.BooleanField(_("wajib"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["competition", "order", "id"]
        verbose_name = _("bagian proposal")
        verbose_name_plural = _("bagian proposal")
        constraints = [
            models.UniqueConstraint(fields=["competition", "key"], name="section_unique_key"),
            models.CheckConstraint(
                condition=Q(word_limit__isnull=True) | Q(word_limit__gte=1), name="section_word_limit_positive"
            ),
        ]

    def __str__(self):
        return self.title


class AuditEvent(models.Model):
    """Append-only: rows are only ever inserted (a database trigger refuses UPDATE and DELETE). Tamper-evident: a
    second trigger chains every new event to the one before it (seq, prev_hash, hash: kipp/audit.py, migration
    0010), so an event changed, deleted or inserted out of order afterwards is found by `manage.py verify_audit`."""

    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("pelaku"), max_length=300, blank=True)
    action = models.CharField(_("tindakan"), max_length=80, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("objek"), max_length=300, blank=True)
    details = models.JSONField(_("rincian"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    # Set by the database (trigger kipp_audit_chain), never by Python: the event's place in the chain, the hash of
    # the event before it and the SHA-256 of this event's content and that hash.
    seq = models.BigIntegerField(_("urutan"), null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")

    @property
    def details_text(self):
        """The details as JSON (what the audit log page and its CSV show)."""
        import json

        return json.dumps(self.details, ensure_ascii=False, sort_keys=True) if self.details else ""


class LimitCount(models.Model):
    """One counter of kipp.limits: how many times `key` (an action and who or what it is counted for) was taken
    in the fixed window that starts at `window_start`. Kept in the database so that every app server and worker
    process shares one count."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="limitcount_unique_window")]
        indexes = [models.Index(fields=["window_start"], name="limitcount_window_idx")]

    def __str__(self):
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class AuditCheck(models.Model):
    """One run of the audit log's chain check (kipp.audit.check_and_record: `manage.py verify_audit` and the
    periodic job); the latest is shown on the organisers' dashboard."""

    ran_at = models.DateTimeField(_("diperiksa"), db_index=True)
    ok = models.BooleanField(_("utuh"))
    events = models.PositiveBigIntegerField(_("jumlah catatan"))
    head_seq = models.BigIntegerField(null=True, blank=True)
    head_hash = models.CharField(max_length=64, blank=True)
    problem = models.CharField(max_length=20, blank=True)
    problem_event_id = models.BigIntegerField(null=True, blank=True)
    problem_seq = models.BigIntegerField(null=True, blank=True)
    summary = models.CharField(_("ringkasan"), max_length=400)

    class Meta:
        ordering = ["-ran_at", "-id"]
        verbose_name = _("pemeriksaan catatan audit")
        verbose_name_plural = _("pemeriksaan catatan audit")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ok=True, problem="") | models.Q(ok=False) & ~models.Q(problem=""),
                name="audit_check_problem_iff_broken",
            ),
        ]

    def __str__(self):
        return self.summary


class FormSubmission(models.Model):
    """The last stored sending of a form, per object (kipp/idempotency.py): the random key the form was rendered
    with, who sent it, what it did, the version it left the object at and a digest of what was sent. A form sent
    again with the same key and content while the object is still at that version is answered "already saved"."""

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=60)
    object_ref = models.CharField(max_length=100, unique=True)
    version = models.PositiveIntegerField()
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.action} {self.object_ref} v{self.version}"


# Models of kipp's feature packages, re-exported by name (their app label is kipp).
from kipp.areas.models import District, Village  # noqa: E402, F401 - the areas models, re-exported by name
from kipp.jobs.models import BackgroundJob  # noqa: E402, F401
from kipp.outbox.models import Notification  # noqa: E402, F401 - the outbox's model, re-exported by name
