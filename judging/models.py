"""The judging app's models, defined in its feature packages and registered here by name, so that Django
finds them under the app label `judging` (tables and migrations unchanged). Import models from here.
"""

from judging.publication.forwarding.models import Feed, FeedingRule, Nomination
from judging.publication.models import (
    Announcement,
    AnnouncementRow,
    DifferenceReason,
    Objection,
    PublicProfile,
    SelectionChange,
)
from judging.records.models import (
    IndicatorValue,
    InnovationRecord,
    RecordEntry,
    RecordPhoto,
    RecordUpdate,
    ReplicationRequest,
    record_photo_upload_to,
)
from judging.scoring.discussion.models import Discussion, DiscussionComment, DiscussionEntry, DiscussionRevision
from judging.scoring.field.models import FieldCheck, field_photo_upload_to
from judging.scoring.models import (
    Assignment,
    Conflict,
    Criterion,
    EntryTotal,
    RankingSnapshot,
    Round,
    RoundEntry,
    RoundJudge,
    Score,
    ScoreBand,
    ScoreSheet,
    ScoringChange,
    SelectionRule,
    SheetTotal,
    default_tie_break,
)
from judging.scoring.reminders.models import JudgeReminder
from judging.scoring.schedule.models import ScheduleSlot

__all__ = [
    "Announcement",
    "AnnouncementRow",
    "Assignment",
    "Conflict",
    "Criterion",
    "DifferenceReason",
    "Discussion",
    "DiscussionComment",
    "DiscussionEntry",
    "DiscussionRevision",
    "EntryTotal",
    "Feed",
    "FeedingRule",
    "FieldCheck",
    "IndicatorValue",
    "InnovationRecord",
    "JudgeReminder",
    "Nomination",
    "Objection",
    "PublicProfile",
    "RankingSnapshot",
    "RecordEntry",
    "RecordPhoto",
    "RecordUpdate",
    "ReplicationRequest",
    "Round",
    "RoundEntry",
    "RoundJudge",
    "ScheduleSlot",
    "Score",
    "ScoreBand",
    "ScoreSheet",
    "ScoringChange",
    "SelectionRule",
    "SelectionChange",
    "SheetTotal",
    "default_tie_break",
    "field_photo_upload_to",
    "record_photo_upload_to",
]
