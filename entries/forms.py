from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entries.enums import AttachmentKind, DecisionReason, EntryStatus, IndicatorDirection, IndicatorKind
from entries.models import Entry, indicator_value_problems
from kipp.areas.queries import area_choice, area_within, search_areas
from kipp.enums import EntryGroup
from kipp.models import Category, Competition, Region
from kipp.numbers import plain_decimal
from kipp.text import count_words


def _group_choices(competition):
    groups = competition.groups or EntryGroup.values
    return [(value, label) for value, label in EntryGroup.choices if value in groups]


class CreateEntryForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Judul inovasi"), max_length=250)
    group = forms.ChoiceField(label=gettext_lazy("Kelompok"))
    category = forms.ModelChoiceField(label=gettext_lazy("Kategori"), queryset=Category.objects.none(), required=False)

    def __init__(self, *args, competition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = _group_choices(competition)
        self.fields["category"].queryset = competition.categories.all()


class ProfileForm(forms.ModelForm):
    video_url = forms.URLField(
        label=gettext_lazy("Tautan video"), max_length=300, required=False, assume_scheme="https"
    )

    class Meta:
        model = Entry
        fields = [
            "title",
            "short_name",
            "category",
            "group",
            "stage",
            "started_on",
            "is_digital",
            "supporting_agencies",
            "video_url",
        ]
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "supporting_agencies": forms.Textarea(attrs={"rows": 2}),
        }

    # The location: a kecamatan or desa/kelurahan of the agency's region, found by a search on the server and
    # chosen as a radio option (static/js/areas.js lists the matches while typing). "Cari" is a plain submit: a
    # query whose matches do not include the chosen option is a search, whichever button sent the form.
    area = forms.CharField(label=gettext_lazy("Lokasi inovasi"), required=False, max_length=13)
    area_q = forms.CharField(label=gettext_lazy("Cari kecamatan atau desa/kelurahan"), required=False, max_length=100)
    LOCATION_FIELDS = ("area", "area_q")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        competition = self.instance.competition
        self.fields["category"].queryset = competition.categories.all()
        self.fields["group"].choices = _group_choices(competition)
        self.fields["video_url"].help_text = _("Tautan video paling lama 3 menit (YouTube, Google Drive, ...).")
        self.region = self.instance.agency.region
        saved = (self.instance.district, self.instance.village) if self.instance.district_id else (None, None)
        self.fields["area"].initial = (saved[1] or saved[0]).code if saved[0] else ""
        self.area_saved = area_choice(*saved) if saved[0] else None
        self.area_results, self.area_total, self.area_searched = [], 0, False
        self.area_chosen = saved

    def clean_area(self):
        try:
            self.area_chosen = area_within(self.region, self.cleaned_data["area"])
        except LookupError:
            raise ValidationError(
                _("Pilih kecamatan atau desa/kelurahan di %(region)s dari hasil pencarian.")
                % {"region": self.region.full_name},
                code="area_outside",
            ) from None
        return self.cleaned_data["area"]

    def clean(self):
        cleaned = super().clean()
        query = cleaned.get("area_q", "")
        if query:
            self.area_results, self.area_total = search_areas(self.region, query)
            if cleaned.get("area", "") not in {code for code, _label in self.area_results}:
                # a search ("Cari", Enter in the search box or "Simpan draf" with a new search) shows its matches
                # and saves nothing; once one of them is chosen the same query saves
                self.area_searched = True
                self.add_error("area", self._search_message(query))
        return cleaned

    def _search_message(self, query):
        if not self.area_results:
            return _("Tidak ada kecamatan atau desa/kelurahan di %(region)s yang cocok dengan “%(query)s”.") % {
                "region": self.region.full_name,
                "query": query,
            }
        return _("Pilih salah satu hasil pencarian di bawah, lalu simpan.")

    def area_options(self):
        """The radio options of the location: none, the saved area, the area sent with this form, the matches."""
        options = [("", _("Belum dipilih"))]
        if self.area_saved:
            options.append(self.area_saved)
        district, village = self.area_chosen
        if district is not None:
            options.append(area_choice(district, village))
        options.extend(self.area_results)
        seen, unique = set(), []
        for value, label in options:
            if value not in seen:
                seen.add(value)
                unique.append((value, label))
        value = self["area"].value() or ""
        return [{"value": v, "label": label, "checked": v == value} for v, label in unique]

    def profile(self):
        district, village = self.area_chosen
        return {
            **{name: self.cleaned_data[name] for name in self.Meta.fields},
            "district": district,
            "village": village,
        }


class SectionsForm(forms.Form):
    """One textarea per proposal section; the word limit is checked here and again in the service."""

    def __init__(self, *args, sections, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = list(sections)
        for section in self.sections:
            attrs = {"rows": 6}
            if section.word_limit:
                attrs.update({"data-word-limit": section.word_limit, "data-word-counter": f"words-{section.key}"})
            self.fields[self.field_name(section)] = forms.CharField(
                label=section.title,
                required=False,
                max_length=20000,
                help_text=section.guidance,
                initial=answers.get(section.pk, ""),
                widget=forms.Textarea(attrs=attrs),
            )

    @staticmethod
    def field_name(section):
        return f"section_{section.pk}"

    def clean(self):
        cleaned = super().clean()
        for section in self.sections:
            name = self.field_name(section)
            words = count_words(cleaned.get(name, ""))
            if section.word_limit and words > section.word_limit:
                self.add_error(
                    name,
                    _("%(words)d kata; batasnya %(limit)d kata.") % {"words": words, "limit": section.word_limit},
                )
        return cleaned

    def rows(self):
        return [{"section": s, "field": self[self.field_name(s)]} for s in self.sections]

    def answers(self):
        return {s.pk: self.cleaned_data.get(self.field_name(s), "") for s in self.sections}


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama"), max_length=150)
    position = forms.CharField(label=gettext_lazy("Jabatan"), max_length=150, required=False)
    contact = forms.CharField(label=gettext_lazy("Kontak (email/telepon)"), max_length=150, required=False)


class FiniteDecimalField(forms.DecimalField):
    """A DecimalField that refuses NaN, sNaN and Infinity while reading (Django refuses them only in validate(), after
    has_changed() has already compared them: a signalling NaN then raised InvalidOperation, a 500)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


def _value_field(label):
    """A decimal shown and read in the user's locale (34,5 in Indonesian, 34.5 in English; a dot is accepted too)."""
    return FiniteDecimalField(
        label=label,
        max_digits=16,
        decimal_places=4,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class IndicatorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Indikator"), max_length=200)
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis nilai"),
        choices=IndicatorKind.choices,
        initial=IndicatorKind.MEASURE,
        required=False,
        help_text=gettext_lazy("Jumlah: bilangan bulat. Persentase: 0 sampai 100."),
    )
    unit = forms.CharField(label=gettext_lazy("Satuan"), max_length=40, required=False)
    direction = forms.ChoiceField(
        label=gettext_lazy("Arah"), choices=IndicatorDirection.choices, initial=IndicatorDirection.HIGHER_IS_BETTER
    )
    baseline_value = _value_field(gettext_lazy("Nilai awal"))
    baseline_on = forms.DateField(
        label=gettext_lazy("Tanggal nilai awal"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    latest_value = _value_field(gettext_lazy("Nilai terkini"))
    latest_on = forms.DateField(
        label=gettext_lazy("Tanggal nilai terkini"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    source = forms.CharField(label=gettext_lazy("Sumber data"), max_length=250, required=False)

    def __init__(self, *args, initial=None, **kwargs):
        if initial:
            initial = {name: plain_decimal(value) for name, value in initial.items()}
        super().__init__(*args, initial=initial, **kwargs)

    def clean_kind(self):
        return self.cleaned_data.get("kind") or IndicatorKind.MEASURE

    def has_changed(self):
        """A row where only the selects have a value is an empty row (a <select> always posts)."""
        return any(name not in ("direction", "kind", "DELETE") for name in self.changed_data)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("baseline_on") and cleaned.get("latest_on") and cleaned["latest_on"] < cleaned["baseline_on"]:
            self.add_error("latest_on", _("Tanggal nilai terkini tidak boleh sebelum tanggal nilai awal."))
        for field, message in indicator_value_problems(
            cleaned.get("kind"), {f: cleaned.get(f) for f in ("baseline_value", "latest_value")}
        ).items():
            self.add_error(field, message)
        return cleaned


class SavedRowsFormSet(forms.BaseFormSet):
    """A formset over saved rows (given as `initial`): a posted form must carry every saved row. A tampered or
    truncated management form (INITIAL_FORMS other than the saved rows, TOTAL_FORMS below them) is refused with
    nothing saved, so rows are removed only by their "Hapus" box, never by a missing row."""

    def clean(self):
        super().clean()
        saved = len(self.initial or [])
        if self.is_bound and (self.initial_form_count() != saved or self.total_form_count() < saved):
            raise ValidationError(
                _("Formulir ini tidak lengkap (baris tersimpan hilang). Muat ulang halaman; tidak ada yang disimpan."),
                code="rows_missing",
            )


TeamFormSet = forms.formset_factory(
    TeamMemberForm, formset=SavedRowsFormSet, extra=2, can_delete=True, max_num=30, validate_max=True
)
IndicatorFormSet = forms.formset_factory(
    IndicatorForm, formset=SavedRowsFormSet, extra=1, can_delete=True, max_num=20, validate_max=True
)


def formset_rows(formset, fields):
    """The rows of a valid formset as dicts for the service: every saved row (changed or not) unless its
    "Hapus" box is ticked, and the new rows that were filled in. A saved row is removed only on request."""
    rows = []
    for index, form in enumerate(formset.forms):
        is_new = index >= formset.initial_form_count()
        if (is_new and not form.has_changed()) or form.cleaned_data.get("DELETE"):
            continue
        rows.append({name: form.cleaned_data.get(name) for name in fields})
    return rows


def upload_requirements():
    """What the upload form says about the files (the same rules entries.uploads and submission_problems apply)."""
    return _(
        "Wajib untuk pengajuan: minimal satu foto kegiatan dan SK inovator. Foto: JPEG, PNG atau WebP, paling "
        "besar %(megapixels)s megapiksel. Dokumen pendukung: PDF tanpa JavaScript atau berkas tersemat. SK "
        "inovator: PDF atau foto. Paling besar %(file)s per berkas; paling banyak %(files)s lampiran dan "
        "%(entry)s untuk semua lampiran proposal."
    ) % {
        "megapixels": f"{settings.UPLOAD_MAX_IMAGE_PIXELS / 1_000_000:g}",
        "file": filesizeformat(settings.UPLOAD_MAX_FILE_BYTES),
        "files": settings.UPLOAD_MAX_ENTRY_FILES,
        "entry": filesizeformat(settings.UPLOAD_MAX_ENTRY_BYTES),
    }


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Jenis lampiran"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=gettext_lazy("Berkas"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = upload_requirements()


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Catatan untuk inovator"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class ForwardForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Catatan (opsional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Keputusan"),
        choices=[
            (EntryStatus.ELIGIBLE, EntryStatus.ELIGIBLE.label),
            (EntryStatus.INELIGIBLE, EntryStatus.INELIGIBLE.label),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Alasan (jika tidak lolos)"),
        choices=[("", "–"), *DecisionReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == EntryStatus.INELIGIBLE and not cleaned.get("reason"):
            self.add_error("reason", _("Pilih alasan ketidaklolosan."))
        return cleaned

    @property
    def eligible(self):
        return self.cleaned_data["decision"] == EntryStatus.ELIGIBLE


class BulkDecisionForm(DecisionForm):
    entries = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Proposal"), queryset=Entry.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = queryset


class ExtendDeadlineForm(forms.Form):
    deadline = forms.DateTimeField(
        label=gettext_lazy("Batas waktu baru (WITA)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    reason = forms.CharField(label=gettext_lazy("Alasan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("Batas waktu baru harus di masa depan."))
        return deadline


class EntryFilterForm(forms.Form):
    competition = forms.ModelChoiceField(
        label=gettext_lazy("Kompetisi"), queryset=Competition.objects.all(), required=False
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=[("", "–"), *EntryStatus.choices], required=False)
    region = forms.ModelChoiceField(label=gettext_lazy("Daerah"), queryset=Region.objects.all(), required=False)
    category = forms.ModelChoiceField(
        label=gettext_lazy("Kategori"), queryset=Category.objects.select_related("competition"), required=False
    )
    group = forms.ChoiceField(label=gettext_lazy("Kelompok"), choices=[("", "–"), *EntryGroup.choices], required=False)
    q = forms.CharField(label=gettext_lazy("Cari"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # read per form, in the organiser's scope (kipp/scopes.py): only their organisations' competitions
        competitions = Competition.objects.all()
        self.fields["competition"].queryset = competitions
        self.fields["category"].queryset = Category.objects.select_related("competition").filter(
            competition__in=competitions
        )
        # the regions that have entries in those competitions (not all 552 of Indonesia: one query, a short list)
        with_entries = Entry.objects.filter(competition__in=competitions, agency__region_id=OuterRef("pk"))
        self.fields["region"].queryset = Region.objects.filter(Exists(with_entries)).order_by("code")

    def filters(self):
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "competition": data.get("competition"),
            "status": data.get("status", ""),
            "region": data.get("region"),
            "category": data.get("category"),
            "group": data.get("group", ""),
            "search": data.get("q", ""),
        }


class PastWinnerDecisionForm(forms.Form):
    """The organiser's answer to a past-winner flag (entries.services.decide_past_winner)."""

    SAME = "same"
    OTHER = "other"
    answer = forms.ChoiceField(
        label=gettext_lazy("Keputusan"),
        choices=[
            (SAME, gettext_lazy("Inovasi yang sama: tidak lolos seleksi administrasi")),
            (OTHER, gettext_lazy("Bukan inovasi yang sama: tetap dalam seleksi")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Alasan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=gettext_lazy("Contoh: bukan inovasi yang sama: layanan lain dengan sasaran berbeda."),
    )

    @property
    def same_innovation(self):
        return self.cleaned_data["answer"] == self.SAME
