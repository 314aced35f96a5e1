"""The Organisation model: imported by name into kipp/models.py, so it is a model of the kipp app."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kipp.organisations.enums import MembershipKind, OrganisationLevel

__all__ = ["Membership", "Organisation", "organisation_logo_upload_to"]


def organisation_logo_upload_to(instance, filename):
    return f"organisasi/{instance.slug}/{filename}"


class Organisation(models.Model):
    """Runs competitions at one level: national (no area), a province (`province`) or a kabupaten/kota (`region`).
    Its letterhead heads every announcement of its competitions, on the page and in the PDF."""

    level = models.CharField(_("tingkat"), max_length=10, choices=OrganisationLevel.choices)
    province = models.ForeignKey(
        "kipp.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("provinsi"),
    )
    region = models.ForeignKey(
        "kipp.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("kabupaten/kota"),
    )
    name = models.CharField(_("nama"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    website = models.URLField(_("situs web"), blank=True)
    # The letterhead (kop surat). The logo is stored as kipp.images cleaned it (re-encoded, no metadata).
    logo = models.FileField(_("logo"), upload_to=organisation_logo_upload_to, max_length=300, blank=True)
    logo_content_type = models.CharField(max_length=40, blank=True)
    logo_width = models.PositiveIntegerField(null=True, blank=True)
    logo_height = models.PositiveIntegerField(null=True, blank=True)
    heading_lines = models.TextField(
        _("baris kop"),
        max_length=600,
        blank=True,
        help_text=_("Satu baris per baris kop, misalnya PEMERINTAH PROVINSI ... lalu SEKRETARIAT DAERAH."),
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    city = models.CharField(
        _("kota tempat surat"), max_length=100, blank=True, help_text=_("Ditulis di depan tanggal pengumuman.")
    )
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=150, blank=True)
    signatory_title = models.CharField(_("jabatan penanda tangan"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisasi")
        verbose_name_plural = _("organisasi")
        constraints = [
            models.CheckConstraint(
                condition=Q(level=OrganisationLevel.NATIONAL, province__isnull=True, region__isnull=True)
                | Q(level=OrganisationLevel.PROVINCE, province__isnull=False, region__isnull=True)
                | Q(level=OrganisationLevel.REGION, province__isnull=True, region__isnull=False),
                name="organisation_level_matches_area",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def heading(self):
        """The letterhead's lines, blank ones dropped."""
        return [line.strip() for line in self.heading_lines.splitlines() if line.strip()]


class AcceptedMemberships(models.Manager):
    """The memberships that count: accepted by their holder (an invitation into an existing account waits for it)."""

    def get_queryset(self):
        return super().get_queryset().filter(accepted_at__isnull=False)


class Membership(models.Model):
    """One thing a person is in one organisation: its organiser, a verifier of one region in its competitions, or a
    judge it may put on its rounds. A person holds any number (organiser of one, verifier in another, judge in a
    third); what each allows is read by kipp/permissions.py, nowhere else."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("pengguna")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisasi")
    )
    kind = models.CharField(_("peran"), max_length=12, choices=MembershipKind.choices)
    region = models.ForeignKey(
        "kipp.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verifier_memberships",
        verbose_name=_("daerah yang diverifikasi"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diundang oleh"),
    )
    created_at = models.DateTimeField(_("sejak"), auto_now_add=True)
    # An organiser asking an existing account to join waits for its holder's answer (consent): until then the
    # membership does not count anywhere. `objects` holds only accepted ones; `everything` the pending ones too.
    accepted_at = models.DateTimeField(_("diterima"), null=True, blank=True, default=timezone.now)

    objects = AcceptedMemberships()
    everything = models.Manager()  # noqa: DJ012 (ruff takes the custom manager above for a field)

    class Meta:
        ordering = ["organisation__name", "kind", "user__full_name"]
        base_manager_name = "everything"
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MembershipKind.values), name="membership_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=MembershipKind.VERIFIER, region__isnull=False)
                | (~Q(kind=MembershipKind.VERIFIER) & Q(region__isnull=True)),
                name="membership_region_iff_verifier",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "kind", "region"], nulls_distinct=False, name="membership_unique"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "kind"])]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.organisation}"
