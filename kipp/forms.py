from django import forms

from kipp.forms_accounts import LoginForm  # noqa: F401  (kept importable from kipp.forms)
from kipp.models import Competition


class CompetitionForm(forms.ModelForm):
    """Competition settings; Competition.clean() refuses a window that closes before it opens."""

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
        ]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
