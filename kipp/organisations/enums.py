from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationLevel(models.TextChoices):
    NATIONAL = "nasional", _("Nasional")
    PROVINCE = "provinsi", _("Provinsi")
    REGION = "kabupaten", _("Kabupaten/kota")


class MembershipKind(models.TextChoices):
    """What a person is in one organisation. An innovator belongs to an agency instead (User.agency)."""

    ORGANISER = "organiser", _("Penyelenggara")
    VERIFIER = "verifier", _("Verifikator daerah (Admin Lokal)")
    JUDGE = "judge", _("Juri (evaluator/panelis)")
