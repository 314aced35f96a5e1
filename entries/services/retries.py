"""A form of an entry sent again (issue 19): the edit and submit forms' idempotency keys (kipp/idempotency.py), one
FormSubmission row per entry, shared by its edit and submit forms."""

from django.utils.translation import gettext as _

from kipp import idempotency
from kipp.errors import Stale


class StaleEntryError(Stale):
    """The entry was saved by someone else since the form was opened."""


def entry_sending(*, entry, user, form_key, action, content):
    """(this sending, what it is: kipp.idempotency.Retry), read under the entry's lock. A form whose earlier sending
    was stored, sent again after the entry changed since, is a real conflict: StaleEntryError."""
    sending = idempotency.Sending(
        key=form_key, user=user, ref=f"entries.entry:{entry.pk}", action=action, content=content
    )
    retry = sending.recognise(entry.version)
    if retry is not idempotency.Retry.OVERTAKEN:
        return sending, retry
    if action == "entries.submit":
        message = _(
            "Proposal ini sudah diajukan dari formulir ini, tetapi berubah sesudahnya (misalnya dikembalikan oleh "
            "verifikator). Tidak ada yang diajukan ulang: buka proposal untuk melihat statusnya."
        )
    else:
        message = _(
            "Formulir ini sudah tersimpan sebelumnya, tetapi proposal berubah sesudahnya (di tab lain atau oleh "
            "anggota tim lain). Pengiriman ulang ini tidak disimpan: bandingkan dengan versi terbaru, lalu simpan "
            "lagi."
        )
    raise StaleEntryError(message, code="stale")
