from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kipp.enums import EntryGroup
from kipp.forms_accounts import LoginForm  # noqa: F401  (kept importable from kipp.forms)
from kipp.models import Competition
from kipp.services import create_competition


class CompetitionForm(forms.ModelForm):
    """Competition settings; Competition.clean() refuses a window that closes before it opens."""

    groups = forms.MultipleChoiceField(
        label=_("Kelompok"), choices=EntryGroup.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Competition
        fields = [
            "name",
            "slug",
            "year",
            "organiser_name",
            "code_prefix",
            "description",
            "groups",
            "opens_at",
            "closes_at",
            "minimum_age_months",
            "quota_per_region",
            "quota_per_agency",
            "requires_regional_verification",
            "is_public",
            "past_winner_years",
            "past_winner_stage",
        ]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"opens_at": _("Tanggal dan jam WITA."), "closes_at": _("Tanggal dan jam WITA.")}

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.helper = FormHelper()
        self.helper.form_tag = False
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("groups", [EntryGroup.GENERAL, EntryGroup.REPLICATION, EntryGroup.SPECIAL])

    def save(self, commit=True):
        """A new competition through the service: categories and the default proposal template come with it."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        try:
            return create_competition(actor=self.request.user if self.request else None, request=self.request, **data)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
            return None
