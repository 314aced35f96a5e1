from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class VillageKind(models.TextChoices):
    """From the first digit of a village code's last part (73.04.10.2006: 2 = desa)."""

    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA = "desa", _("Desa")
    CUSTOMARY = "desa_adat", _("Desa adat")


def district_label(name):
    """ "Kecamatan Rumbia" / "Rumbia District"."""
    return gettext("Kecamatan %(name)s") % {"name": name}


def village_label(kind, name):
    """ "Desa Tompobulu" / "Tompobulu Village"; "Kelurahan Empoang" / "Empoang Urban Village"."""
    patterns = {
        VillageKind.KELURAHAN: gettext("Kelurahan %(name)s"),
        VillageKind.DESA: gettext("Desa %(name)s"),
        VillageKind.CUSTOMARY: gettext("Desa Adat %(name)s"),
    }
    return patterns.get(kind, "%(name)s") % {"name": name}


def location_label(district, village=None):
    """ "Desa Tompobulu, Kecamatan Rumbia" / "Tompobulu Village, Rumbia District"; "" when nothing is chosen."""
    parts = []
    if village is not None:
        parts.append(village_label(village.kind, village.name))
    if district is not None:
        parts.append(district_label(district.name))
    return ", ".join(parts)
