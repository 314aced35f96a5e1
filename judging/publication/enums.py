from django.db import models
from django.utils.translation import gettext_lazy as _


class AnnouncementKind(models.TextChoices):
    ROUND = "round", _("Hasil satu babak")
    FINAL = "final", _("Hasil akhir (gabungan babak berbobot)")


class AnnouncementState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    AWAITING = "awaiting", _("Menunggu persetujuan")
    PUBLISHED = "published", _("Diumumkan")
    WITHDRAWN = "withdrawn", _("Dibatalkan")


class ListOrder(models.TextChoices):
    RANK = "rank", _("Urutan peringkat")
    ALPHABETICAL = "alphabetical", _("Urutan abjad judul")
