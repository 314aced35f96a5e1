"""The entries app's views, by who uses them: innovator.py (their entries, editing, submitting), reading.py (an
entry's page, print version and files), review.py (regional verification, administrative selection, the organiser's
list). Thin function views: load through a permission helper (common.py), call a service, redirect with a message."""

from entries.views.innovator import (
    attachment_add,
    attachment_remove,
    entry_create,
    entry_edit,
    entry_submit,
    entry_withdraw,
    my_entries,
)
from entries.views.reading import attachment_download, attachment_thumbnail, entry_detail, entry_print
from entries.views.review import (
    entry_decide,
    entry_past_winner,
    entry_verify,
    extend_deadline,
    organiser_list,
    selection,
    verify_queue,
)

__all__ = [
    "attachment_add",
    "attachment_download",
    "attachment_remove",
    "attachment_thumbnail",
    "entry_create",
    "entry_decide",
    "entry_detail",
    "entry_edit",
    "entry_past_winner",
    "entry_print",
    "entry_submit",
    "entry_verify",
    "entry_withdraw",
    "extend_deadline",
    "my_entries",
    "organiser_list",
    "selection",
    "verify_queue",
]
