from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kipp.enums import EntryGroup, PastWinnerStage
from kipp.forms_accounts import LoginForm  # noqa: F401  (kept importable from kipp.forms)
from kipp.models import Competition
from kipp.services import create_competition


class PastWinnerRuleFields(forms.Form):
    """The past-winner rule of a competition (issue 16), for the organiser's form and the admin: optional, so a form
    posted without them keeps the rule off (0 years, stage final)."""

    past_winner_years = forms.IntegerField(
        label=Competition._meta.get_field("past_winner_years").verbose_name,
        help_text=Competition._meta.get_field("past_winner_years").help_text,
        min_value=0,
        max_value=50,
        required=False,
        initial=0,
    )
    past_winner_stage = forms.ChoiceField(
        label=Competition._meta.get_field("past_winner_stage").verbose_name,
        choices=PastWinnerStage.choices,
        required=False,
        initial=PastWinnerStage.FINAL,
    )

    def clean_past_winner_years(self):
        return self.cleaned_data.get("past_winner_years") or 0

    def clean_past_winner_stage(self):
        return self.cleaned_data.get("past_winner_stage") or PastWinnerStage.FINAL


class CompetitionAdminForm(PastWinnerRuleFields, forms.ModelForm):
    """The admin's base form (kipp.admin.CompetitionAdmin): the admin builds it for Competition with every field."""


class CompetitionForm(PastWinnerRuleFields, forms.ModelForm):
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
            "organisation",
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
        if request is not None and "organisation" in self.fields:  # only the organisations the person organises
            from kipp.organisations.queries import organised_organisations

            self.fields["organisation"].queryset = organised_organisations(request.user)
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
