from django import forms
from django.utils.translation import gettext_lazy as _

from judging.publication.forwarding.services import MAX_QUOTA


class FeedingForm(forms.Form):
    """The upper competition's forwarding settings: the quota per feeding organisation and the lower
    competitions it accepts (choices: queries.lower_candidates)."""

    quota_per_organisation = forms.IntegerField(
        label=_("Kuota usulan per penyelenggara"),
        min_value=1,
        max_value=MAX_QUOTA,
        help_text=_("Berapa inovasi yang boleh diusulkan oleh setiap penyelenggara di bawah."),
    )
    lowers = forms.ModelMultipleChoiceField(
        label=_("Kompetisi yang boleh mengusulkan"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lowers"].queryset = candidates
        self.fields["lowers"].label_from_instance = lambda c: f"{c.name} ({c.organisation.name})"
