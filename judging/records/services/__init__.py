"""Business writes of innovation records, by topic: `build` (records from published results), `updates` (the
owning agency keeps a record current; what its public page shows) and `replication` (requests between agencies).
Callers use `from judging.records import services; services.update_record(...)`: every public name is re-exported
here by name."""

from judging.records.services.build import (
    SEARCH_SQL,
    SUMMARY_MAX,
    SUMMARY_SECTION,
    build_all_records,
    build_announcement_records,
    build_records,
    refresh_search_documents,
    unique_slug,
)
from judging.records.services.replication import (
    answer_replication,
    mark_replication_implemented,
    request_replication,
)
from judging.records.services.updates import (
    add_record_photo,
    indicator_names,
    refuse_pending,
    save_profile,
    update_record,
)

__all__ = [
    "SEARCH_SQL",
    "SUMMARY_MAX",
    "SUMMARY_SECTION",
    "add_record_photo",
    "answer_replication",
    "build_all_records",
    "build_announcement_records",
    "build_records",
    "indicator_names",
    "mark_replication_implemented",
    "refresh_search_documents",
    "refuse_pending",
    "request_replication",
    "save_profile",
    "unique_slug",
    "update_record",
]
