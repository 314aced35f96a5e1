from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationLevel(models.TextChoices):
    NATIONAL = "nasional", _("Nasional")
    PROVINCE = "provinsi", _("Provinsi")
    REGION = "kabupaten", _("Kabupaten/kota")
