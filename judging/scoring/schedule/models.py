"""The presentation schedule's model. Registered by name in judging/models.py, so it is a model of the judging app
(table judging_scheduleslot, migrations unchanged)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from entries.models import Entry
from judging.scoring.schedule.enums import SlotKind
from kipp.scopes import OrganisationScopedManager

__all__ = ["ScheduleSlot"]


class ScheduleSlot(models.Model):
    """One slot of a round's presentation schedule: an entry's presentation, or a break."""

    round = models.ForeignKey("judging.Round", on_delete=models.CASCADE, related_name="schedule_slots")
    kind = models.CharField(_("jenis"), max_length=12, choices=SlotKind.choices, default=SlotKind.PRESENTATION)
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, null=True, blank=True, related_name="schedule_slots")
    date = models.DateField(_("tanggal"))
    start = models.TimeField(_("mulai (WITA)"))
    duration = models.PositiveSmallIntegerField(_("durasi (menit)"), default=25)
    room = models.CharField(_("ruang"), max_length=120, blank=True)
    panel = models.CharField(_("panel"), max_length=120, blank=True)
    venue = models.CharField(_("tempat"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("urutan"))
    objects = OrganisationScopedManager("round__competition__organisation_id")

    class Meta:
        ordering = ["round", "position"]
        verbose_name = _("slot jadwal")
        verbose_name_plural = _("slot jadwal")
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="slot_position_unique"),
            models.UniqueConstraint(
                fields=["round", "entry"], condition=Q(entry__isnull=False), name="slot_entry_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind=SlotKind.PRESENTATION, entry__isnull=False)
                | (~Q(kind=SlotKind.PRESENTATION) & Q(entry__isnull=True)),
                name="slot_entry_iff_presentation",
            ),
            models.CheckConstraint(condition=Q(duration__gte=1), name="slot_duration_positive"),
        ]

    def __str__(self):
        return f"{self.date} {self.start:%H:%M} {self.entry_id or self.kind}"
