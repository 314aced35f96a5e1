import re
from typing import NamedTuple

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from judging.models import Criterion, Round, SelectionRule
from judging.scoring.enums import AggregationMethod, SelectionRuleKind, TieBreak
from kipp import idempotency
from kipp.models import User
from kipp.organisations.enums import MembershipKind
from kipp.organisations.queries import people_of

RADIO_MAX_CHOICES = 11  # scales up to 11 values are radio buttons (big touch targets); wider ones a number box


class ScaleChoices(BaseChoiceIterator):
    """The values of a scale as (value, label) choices. A choice iterator is taken as it is: Django does not normalise
    it again for the field and for its widget, which for lists of pairs was most of the time a score form took."""

    def __init__(self, values):
        self.values = values

    def __iter__(self):
        return ((value, str(value)) for value in self.values)


class ScoreSheetForm(forms.Form):
    """One field per criterion (value + comment), the overall comment, the version the form was loaded with and
    the form's idempotency key (a retry of a stored sending is answered "already saved")."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    form_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=idempotency.MAX_KEY_LENGTH)
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
        initial.setdefault("form_key", idempotency.new_key())  # new at every rendering (kipp/idempotency.py)
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
                    choices=ScaleChoices(values),
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


class OwnIdsForm(forms.Form):
    """A form that shares a page with others: its element ids carry `id_prefix` (id_assign_judges_0, not id_judges_0)
    so that a label ticks its own form's box. Only the ids change; the posted names stay as the views read them."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class RoundCreateForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["name", "slug", "kind", "top_n", "reserve_n", "judges_per_entry", "aggregation", "weight"]


TIE_BREAK_CHOICES = [("", _("(tidak dipakai)"))] + list(TieBreak.choices)


DISCUSSION_FIELDS = ("discussion_spread", "discussion_places")  # judging/scoring/discussion/


class RoundSettingsForm(forms.ModelForm):
    """Settings fixed before scoring opens: cut, k, method, tie-break order, weight, times."""

    tie_break_1 = forms.ChoiceField(label=_("Penentu seri 1"), choices=TIE_BREAK_CHOICES, required=False)
    tie_break_2 = forms.ChoiceField(label=_("Penentu seri 2"), choices=TIE_BREAK_CHOICES, required=False)
    tie_break_3 = forms.ChoiceField(label=_("Penentu seri 3"), choices=TIE_BREAK_CHOICES, required=False)

    class Meta:
        model = Round
        fields = [
            "name",
            "top_n",
            "reserve_n",
            "judges_per_entry",
            "aggregation",
            "weight",
            "opens_at",
            "closes_at",
            "discussion_spread",
            "discussion_places",
        ]
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
        for name in DISCUSSION_FIELDS:  # left empty (or sent by an older page): the round keeps its value
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in DISCUSSION_FIELDS:
            if data.get(name) is None and name not in self.errors:
                data[name] = getattr(self.instance, name)
        steps = [data.get(f"tie_break_{i}") for i in (1, 2, 3)]
        steps = [s for s in steps if s]
        if len(steps) != len(set(steps)):
            raise forms.ValidationError(_("Setiap penentu seri hanya boleh dipilih sekali."))
        data["tie_break"] = steps
        return data


class Band(NamedTuple):
    """One parsed line of the score band textarea."""

    line: int
    low: int
    high: int
    text: str

    def label(self):
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


BAND_LINE = re.compile(r"^(?P<low>-?\d+)\s*(?:[-–]\s*(?P<high>-?\d+))?\s*:(?P<text>.*)$")


def format_bands(bands):
    """The textarea text for stored bands: one `min-max: text` (or `n: text`) a line, in the stored order."""
    lines = []
    for band in bands:
        head = str(band.min_value) if band.min_value == band.max_value else f"{band.min_value}-{band.max_value}"
        lines.append(f"{head}: {' '.join(band.text.split())}")
    return "\n".join(lines)


class ScoreBandsField(forms.CharField):
    """Score bands typed one a line (`9-10: Sangat baik`, `5: Cukup`); cleans to a list of Band.

    Checks each line on its own and the lines against each other (no overlap); the check against the criterion's
    scale needs the posted scale and is done by the form (CriterionForm.clean)."""

    widget = forms.Textarea(attrs={"rows": 5})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 10000)
        super().__init__(**kwargs)

    def to_python(self, value):
        bands, errors = [], []  # errors: (line number, message), reported in line order
        for number, raw in enumerate(super().to_python(value).splitlines(), start=1):
            if raw.strip():
                try:
                    bands.append(self.parse_line(number, raw.strip()))
                except forms.ValidationError as error:
                    errors.append((number, error.messages[0]))
        for index, band in enumerate(bands):
            earlier = next((b for b in bands[:index] if band.low <= b.high and b.low <= band.high), None)
            if earlier is not None:
                message = _("Baris %(line)s: rentang %(range)s bertumpuk dengan baris %(other)s (%(other_range)s).")
                params = {"line": band.line, "range": band.label(), "other": earlier.line}
                errors.append((band.line, message % {**params, "other_range": earlier.label()}))
        errors = [message for _number, message in sorted(errors, key=lambda item: item[0])]
        if errors:
            raise forms.ValidationError(errors)
        return bands

    @staticmethod
    def parse_line(number, line):
        match = BAND_LINE.match(line)
        if match is None:
            raise forms.ValidationError(
                _("Baris %(line)s: tulis “min-maks: deskripsi” atau “nilai: deskripsi”, misalnya “9-10: Sangat baik”.")
                % {"line": number}
            )
        low = int(match["low"])
        high = int(match["high"]) if match["high"] is not None else low
        band = Band(number, low, high, match["text"].strip())
        if low > high:
            raise forms.ValidationError(
                _("Baris %(line)s: nilai awal %(low)s lebih besar dari nilai akhir %(high)s.")
                % {"line": number, "low": low, "high": high}
            )
        if not band.text:
            raise forms.ValidationError(
                _("Baris %(line)s: deskripsi untuk %(range)s kosong.") % {"line": number, "range": band.label()}
            )
        return band


class CriterionForm(forms.ModelForm):
    """A criterion with its score bands. `bands` cleans to a list of (min, max, text), or None for "leave the bands
    as they are" (the field was not posted) and, for a new criterion, "the default bands" (nothing typed)."""

    bands = ScoreBandsField(
        label=_("Deskriptor nilai"),
        help_text=_(
            "Satu rentang per baris: “min-maks: deskripsi” atau “nilai: deskripsi”, misalnya “9-10: Sangat baik”. "
            "Kosongkan pada kriteria baru untuk memakai deskriptor bawaan."
        ),
    )

    class Meta:
        model = Criterion
        fields = ["key", "title", "guidance", "weight", "scale_min", "scale_max", "required", "order"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            # Unlocalised, without trailing zeros: the value posts back as it was shown ("3.5", not "3,500").
            self.initial["weight"] = f"{self.instance.weight.normalize():f}"
            self.initial["bands"] = format_bands(self.instance.bands.all())

    def clean(self):
        data = super().clean()
        bands = data.get("bands")
        if bands is None:
            return data
        if self.add_prefix("bands") not in self.data or (not bands and not self.instance.pk):
            data["bands"] = None
            return data
        low, high = data.get("scale_min"), data.get("scale_max")
        if low is not None and high is not None:
            errors = [
                _("Baris %(line)s: rentang %(range)s berada di luar skala %(min)s–%(max)s.")
                % {"line": band.line, "range": band.label(), "min": low, "max": high}
                for band in bands
                if band.low < low or band.high > high
            ]
            if errors:
                self.add_error("bands", errors)
                return data
        data["bands"] = [(band.low, band.high, band.text) for band in bands]
        return data


class JudgesForm(OwnIdsForm):
    id_prefix = "addjudges"
    judges = forms.ModelMultipleChoiceField(
        label=_("Juri"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judges"].queryset = (
            people_of(round_.competition.organisation_id, MembershipKind.JUDGE)
            .filter(is_active=True)
            .exclude(judge_rounds__round=round_)
            .order_by("full_name")
        )


class AssignForm(OwnIdsForm):
    id_prefix = "assign"
    entry = forms.ModelChoiceField(label=_("Proposal"), queryset=None)
    judges = forms.ModelMultipleChoiceField(
        label=_("Juri"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        from entries.models import Entry

        self.fields["entry"].queryset = Entry.objects.filter(round_entries__round=round_).order_by("code")
        self.fields["judges"].queryset = User.objects.filter(judge_rounds__round=round_).order_by("full_name")


class ConflictForm(OwnIdsForm):
    id_prefix = "conflict"
    judge = forms.ModelChoiceField(label=_("Juri"), queryset=User.objects.none())
    entry = forms.ModelChoiceField(label=_("Proposal"), queryset=None)
    whole_competition = forms.BooleanField(label=_("Berlaku untuk semua babak kompetisi"), required=False)
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        from entries.models import Entry

        self.fields["entry"].queryset = Entry.objects.filter(round_entries__round=round_).order_by("code")
        self.fields["judge"].queryset = User.objects.filter(judge_rounds__round=round_).order_by("full_name")


class AddEntryForm(OwnIdsForm):
    id_prefix = "addentry"

    code = forms.CharField(label=_("Kode proposal"), max_length=40)
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReplacementForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    judge = forms.IntegerField(label=_("Juri pengganti"))


class SelectionRuleForm(forms.ModelForm):
    """One selection rule of a round (a row of the setup page's rules formset)."""

    class Meta:
        model = SelectionRule
        fields = ["kind", "value", "category", "group"]

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = round_.competition.categories.order_by("order", "name")
        self.fields["category"].empty_label = _("(semua kategori)")
        self.fields["value"].help_text = _("k, m, atau persen")

    def clean(self):
        data = super().clean()
        kind, value = data.get("kind"), data.get("value")
        if kind != SelectionRuleKind.MIN_PER_CATEGORY and data.get("category"):
            self.add_error("category", _("Kategori hanya untuk aturan minimal per kategori."))
        if kind == SelectionRuleKind.SHARE_PER_GROUP:
            if not data.get("group"):
                self.add_error("group", _("Pilih kelompok untuk aturan porsi."))
            if value is not None and value > 100:
                self.add_error("value", _("Porsi paling banyak 100 persen."))
        elif data.get("group"):
            self.add_error("group", _("Kelompok hanya untuk aturan porsi."))
        if value is not None and value < 1:
            self.add_error("value", _("Nilai paling sedikit 1."))
        return data


SelectionRuleFormSet = forms.modelformset_factory(SelectionRule, form=SelectionRuleForm, extra=2, can_delete=True)


def selection_rules_formset(round_, data=None):
    return SelectionRuleFormSet(
        data,
        queryset=SelectionRule.objects.filter(round=round_).order_by("order", "id"),
        prefix="rules",
        form_kwargs={"round_": round_},
    )
