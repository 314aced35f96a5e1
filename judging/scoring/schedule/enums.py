from django.db import models
from django.utils.translation import gettext_lazy as _


class SlotKind(models.TextChoices):
    PRESENTATION = "presentation", _("Presentasi")
    BREAK = "break", _("Rehat")
    LUNCH = "lunch", _("Istirahat makan siang")
