from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

INNOVATOR_LABEL = _("Inovator (UPP)")  # a member of an agency; the other roles are memberships (MembershipKind)


class RegionKind(models.TextChoices):
    PROVINCE = "provinsi", _("Provinsi")
    REGENCY = "kabupaten", _("Kabupaten")
    CITY = "kota", _("Kota")


def region_label(kind, name):
    """A region's name with its kind in the active language's order: "Kabupaten Jeneponto", "Jeneponto Regency";
    "Kota Makassar", "Makassar City"."""
    patterns = {
        RegionKind.PROVINCE: gettext("Provinsi %(name)s"),
        RegionKind.REGENCY: gettext("Kabupaten %(name)s"),
        RegionKind.CITY: gettext("Kota %(name)s"),
    }
    pattern = patterns.get(kind)
    return pattern % {"name": name} if pattern else name


class AgencyKind(models.TextChoices):
    DEPARTMENT = "perangkat_daerah", _("Perangkat daerah (dinas, badan, bagian)")
    UNIT = "upt", _("Unit pelaksana teknis (UPT, sekolah, puskesmas)")
    DISTRICT = "kecamatan", _("Kecamatan")
    VILLAGE = "desa_kelurahan", _("Desa/kelurahan")
    ENTERPRISE = "bumd", _("BUMD")
    OTHER = "lainnya", _("Lainnya")


class EntryGroup(models.TextChoices):
    GENERAL = "umum", _("Umum")
    REPLICATION = "replikasi", _("Replikasi")
    SPECIAL = "khusus", _("Khusus")


class PastWinnerStage(models.TextChoices):
    """Which earlier result makes an innovation a past winner (Competition.past_winner_stage)."""

    FINAL = "final", _("Terpilih di pengumuman akhir")
    ANY_ROUND = "round", _("Terpilih di pengumuman babak mana pun")
