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
