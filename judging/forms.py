from django import forms
from django.utils.translation import gettext_lazy as _

from judging.enums import AggregationMethod, TieBreak
from judging.models import Criterion, Round
from kipp.models import User

RADIO_MAX_CHOICES = 11  # scales up to 11 values are radio buttons (big touch targets); wider ones a number box


class ScoreSheetForm(forms.Form):
    """One field per criterion (value + comment), the overall comment and the version the form was loaded with."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    overall_comment = forms.CharField(
        label=_("Catatan umum"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=5000,
    )

    def __init__(self, *args, criteria, sheet=None, disabled=False, **kwargs):
        scores = {s.criterion_id: s for s in sheet.scores.all()} if sheet else {}
        initial = kwargs.pop("initial", {}) or {}
        initial.setdefault("version", sheet.version if sheet else 0)
        initial.setdefault("overall_comment", sheet.overall_comment if sheet else "")
        for criterion in criteria:
            score = scores.get(criterion.pk)
            initial.setdefault(f"score_{criterion.pk}", score.value if score else None)
            initial.setdefault(f"comment_{criterion.pk}", score.comment if score else "")
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            values = range(criterion.scale_min, criterion.scale_max + 1)
            if len(values) <= RADIO_MAX_CHOICES:
                field = forms.TypedChoiceField(
                    label=criterion.title,
                    choices=[(v, str(v)) for v in values],
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                )
            else:
                field = forms.IntegerField(
                    label=criterion.title,
                    min_value=criterion.scale_min,
                    max_value=criterion.scale_max,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control form-control-lg"}),
                )
            field.criterion = criterion
            self.fields[f"score_{criterion.pk}"] = field
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Catatan untuk %(criterion)s") % {"criterion": criterion.title},
                required=False,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
        if disabled:
            for field in self.fields.values():
                field.disabled = True

    def rows(self):
        """(criterion, value field, comment field) for the template."""
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def values(self):
        return {
            c.pk: (self.cleaned_data.get(f"score_{c.pk}"), self.cleaned_data.get(f"comment_{c.pk}", ""))
            for c in self.criteria
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class RoundCreateForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["name", "slug", "kind", "top_n", "reserve_n", "judges_per_entry", "aggregation", "weight"]


TIE_BREAK_CHOICES = [("", _("(tidak dipakai)"))] + list(TieBreak.choices)


class RoundSettingsForm(forms.ModelForm):
    """Settings fixed before scoring opens: cut, k, method, tie-break order, weight, times."""

    tie_break_1 = forms.ChoiceField(label=_("Penentu seri 1"), choices=TIE_BREAK_CHOICES, required=False)
    tie_break_2 = forms.ChoiceField(label=_("Penentu seri 2"), choices=TIE_BREAK_CHOICES, required=False)
    tie_break_3 = forms.ChoiceField(label=_("Penentu seri 3"), choices=TIE_BREAK_CHOICES, required=False)

    class Meta:
        model = Round
        fields = ["name", "top_n", "reserve_n", "judges_per_entry", "aggregation", "weight", "opens_at", "closes_at"]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        steps = list(self.instance.tie_break or [])
        for index in range(3):
            self.fields[f"tie_break_{index + 1}"].initial = steps[index] if index < len(steps) else ""
        self.fields["aggregation"].choices = AggregationMethod.choices

    def clean(self):
        data = super().clean()
        steps = [data.get(f"tie_break_{i}") for i in (1, 2, 3)]
        steps = [s for s in steps if s]
        if len(steps) != len(set(steps)):
            raise forms.ValidationError(_("Setiap penentu seri hanya boleh dipilih sekali."))
        data["tie_break"] = steps
        return data


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["key", "title", "guidance", "weight", "scale_min", "scale_max", "required", "order"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}


class JudgesForm(forms.Form):
    judges = forms.ModelMultipleChoiceField(
        label=_("Juri"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judges"].queryset = (
            User.objects.filter(role="judge", is_active=True).exclude(judge_rounds__round=round_).order_by("full_name")
        )


class AssignForm(forms.Form):
    entry = forms.ModelChoiceField(label=_("Proposal"), queryset=None)
    judges = forms.ModelMultipleChoiceField(
        label=_("Juri"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        from entries.models import Entry

        self.fields["entry"].queryset = Entry.objects.filter(round_entries__round=round_).order_by("code")
        self.fields["judges"].queryset = User.objects.filter(judge_rounds__round=round_).order_by("full_name")


class ConflictForm(forms.Form):
    judge = forms.ModelChoiceField(label=_("Juri"), queryset=User.objects.none())
    entry = forms.ModelChoiceField(label=_("Proposal"), queryset=None)
    whole_competition = forms.BooleanField(label=_("Berlaku untuk semua babak kompetisi"), required=False)
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        from entries.models import Entry

        self.fields["entry"].queryset = Entry.objects.filter(round_entries__round=round_).order_by("code")
        self.fields["judge"].queryset = User.objects.filter(judge_rounds__round=round_).order_by("full_name")


class AddEntryForm(forms.Form):
    code = forms.CharField(label=_("Kode proposal"), max_length=40)
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReplacementForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    judge = forms.IntegerField(label=_("Juri pengganti"))
