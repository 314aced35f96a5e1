from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordOutcome(models.TextChoices):
    """The furthest a record's innovation got in a published announcement."""

    FINAL = "final", _("Terpilih di pengumuman akhir")
    ROUND = "round", _("Terpilih di pengumuman babak")


class ReplicationState(models.TextChoices):
    REQUESTED = "requested", _("Diajukan")
    AGREED = "agreed", _("Disetujui pemilik")
    IMPLEMENTED = "implemented", _("Sudah diterapkan")
    DECLINED = "declined", _("Ditolak pemilik")


# The steps a request may take: from -> allowed next states.
REPLICATION_STEPS = {
    ReplicationState.REQUESTED: (ReplicationState.AGREED, ReplicationState.DECLINED),
    ReplicationState.AGREED: (ReplicationState.IMPLEMENTED,),
    ReplicationState.IMPLEMENTED: (),
    ReplicationState.DECLINED: (),
}
OPEN_REPLICATION_STATES = (ReplicationState.REQUESTED, ReplicationState.AGREED)
