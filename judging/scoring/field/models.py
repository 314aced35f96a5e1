"""The field verification checklist's model. Registered by name in judging/models.py, so it is a model of the
judging app (table judging_fieldcheck, migrations unchanged)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from entries.models import Entry
from kipp.scopes import OrganisationScopedManager

__all__ = ["FieldCheck", "field_photo_upload_to"]


def field_photo_upload_to(instance, filename):
    return f"field/{instance.round_id}/{instance.entry_id}/{filename}"


class FieldCheck(models.Model):
    """One item verified on site for an entry in a field verification round."""

    round = models.ForeignKey("judging.Round", on_delete=models.CASCADE, related_name="field_checks")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="field_checks")
    item = models.CharField(_("hal yang diperiksa"), max_length=200)
    verified = models.BooleanField(_("sesuai"), null=True)
    note = models.TextField(_("catatan"), blank=True, max_length=2000)
    photo = models.FileField(_("foto"), upload_to=field_photo_upload_to, blank=True, max_length=300)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)
    objects = OrganisationScopedManager("round__competition__organisation_id")

    class Meta:
        ordering = ["round", "entry", "order", "id"]
        verbose_name = _("butir verifikasi lapangan")
        verbose_name_plural = _("butir verifikasi lapangan")
        constraints = [
            models.UniqueConstraint(fields=["round", "entry", "item"], name="field_check_item_unique"),
            models.CheckConstraint(condition=~Q(item=""), name="field_check_has_item"),
        ]

    def __str__(self):
        return f"{self.entry_id} · {self.item}"
