"""Kecamatan and desa/kelurahan. Their code is the primary key (Kemendagri codes are stable identifiers and the
vendored CSV files load by COPY with no look-up); kipp/models.py imports both by name."""

from django.db import models
from django.db.models.functions import Left, Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from kipp.areas.enums import VillageKind, district_label, village_label


class District(models.Model):
    """A kecamatan (also distrik in Papua) of a kabupaten/kota: code 73.04.10 lies in region 73.04."""

    code = models.CharField(_("kode wilayah"), max_length=8, primary_key=True)
    region = models.ForeignKey(
        "kipp.Region", on_delete=models.PROTECT, related_name="districts", verbose_name=_("kabupaten/kota")
    )
    name = models.CharField(_("nama"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return district_label(self.name)


class Village(models.Model):
    """A desa or kelurahan of a kecamatan: code 73.04.10.2006 lies in district 73.04.10."""

    code = models.CharField(_("kode wilayah"), max_length=13, primary_key=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="villages", verbose_name=_("kecamatan")
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=VillageKind.choices)
    name = models.CharField(_("nama"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=VillageKind.values), name="village_kind_valid"),
            models.CheckConstraint(
                condition=Exact(Left("code", Length("district_id")), models.F("district_id")),
                name="village_code_in_district",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return village_label(self.kind, self.name)
