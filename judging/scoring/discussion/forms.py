"""Forms of the discussion phase: the organiser's window, a comment, and the revision of a sheet (the score sheet's
own form, judging.scoring.forms.ScoreSheetForm)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from judging.scoring.discussion.services import COMMENT_MAX, late_end_message
from judging.scoring.forms import ScoreSheetForm

__all__ = ["CommentForm", "DiscussionStartForm", "RevisionForm"]

DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M")


class DiscussionStartForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Mulai (WITA)"),
        required=False,
        widget=DATETIME_LOCAL,
        help_text=_("Kosongkan untuk mulai sekarang."),
    )
    ends_at = forms.DateTimeField(label=_("Berakhir (WITA)"), widget=DATETIME_LOCAL)

    def __init__(self, *args, round_=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_
        if round_ is not None and round_.closes_at:
            self.fields["ends_at"].help_text = late_end_message(round_.closes_at)

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at") or timezone.now(), data.get("ends_at")
        if ends_at is not None and (ends_at <= starts_at or ends_at <= timezone.now()):
            self.add_error("ends_at", _("Akhir diskusi harus sesudah awalnya dan sesudah saat ini."))
        elif ends_at is not None and self.round is not None and self.round.closes_at and ends_at > self.round.closes_at:
            self.add_error("ends_at", late_end_message(self.round.closes_at))
        return data


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Komentar Anda"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class RevisionForm(ScoreSheetForm):
    """The judge's final sheet, to revise in the discussion (the same fields as the score sheet)."""
