"""Business writes of publication: announcements (prepare, change with a reason, submit, approve by a second
organiser, withdraw, correct), advancing to the next round, replacing a withdrawn entry by the next reserve,
objections, notifications and anonymous feedback.

Callers import the package (`from judging.publication import services as pub`); each name below lives in one
module of it. A refusal raises judging.scoring.services.JudgingError with a message for the user; nothing is
changed then."""

from judging.publication.services.advancing import advance_refusal, advance_selected, next_round
from judging.publication.services.announcements import (
    approve_announcement,
    change_outcome,
    default_embargo,
    difference_refusal,
    few_judges_refusal,
    prepare_announcement,
    return_to_draft,
    submit_for_approval,
    two_person_refusal,
    update_announcement,
    withdraw_announcement,
)
from judging.publication.services.base import TEXT_FIELDS
from judging.publication.services.corrections import explain_difference, prepare_correction, replace_withdrawn
from judging.publication.services.feedback import entry_feedback, release_feedback
from judging.publication.services.notifications import (
    mail_objection_answer,
    notify_outcomes,
    outcome_mail_status,
    rows_without_recipient,
    send_due_notifications,
    went_public,
)
from judging.publication.services.objections import (
    ObjectionRateLimited,
    StaleAnswerError,
    answer_objection,
    file_objection,
    objection_counts,
)

__all__ = [
    "TEXT_FIELDS",
    "ObjectionRateLimited",
    "StaleAnswerError",
    "advance_refusal",
    "advance_selected",
    "answer_objection",
    "approve_announcement",
    "change_outcome",
    "default_embargo",
    "difference_refusal",
    "entry_feedback",
    "explain_difference",
    "few_judges_refusal",
    "file_objection",
    "mail_objection_answer",
    "next_round",
    "notify_outcomes",
    "outcome_mail_status",
    "rows_without_recipient",
    "objection_counts",
    "prepare_announcement",
    "prepare_correction",
    "release_feedback",
    "replace_withdrawn",
    "return_to_draft",
    "send_due_notifications",
    "submit_for_approval",
    "two_person_refusal",
    "update_announcement",
    "went_public",
    "withdraw_announcement",
]
