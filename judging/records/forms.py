from django import forms
from django.utils.translation import gettext_lazy as _

from entries.models import indicator_value_problems


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RecordUpdateForm(forms.Form):
    is_running = forms.TypedChoiceField(
        label=_("Apakah inovasi masih berjalan?"),
        choices=[("1", _("Ya, masih berjalan")), ("0", _("Tidak, sudah berhenti"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    stopped_on = forms.DateField(label=_("Berhenti sejak"), required=False, widget=DateInput())
    stop_reason = forms.CharField(
        label=_("Alasan berhenti"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label=_("Catatan perkembangan"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.ImageField(
        label=_("Foto baru (opsional)"),
        required=False,
        help_text=_("JPEG, PNG atau WebP. Data lokasi (EXIF/GPS) dihapus otomatis."),
    )

    def clean(self):
        data = super().clean()
        if data.get("is_running") is False:
            if not data.get("stopped_on"):
                self.add_error("stopped_on", _("Isi tanggal berhenti."))
            if not (data.get("stop_reason") or "").strip():
                self.add_error("stop_reason", _("Tuliskan alasan berhenti."))
        return data


class IndicatorValueForm(forms.Form):
    name = forms.ChoiceField(label=_("Indikator"), required=False)
    value = forms.DecimalField(label=_("Nilai"), required=False, max_digits=16, decimal_places=4)
    measured_on = forms.DateField(label=_("Tanggal pengukuran"), required=False, widget=DateInput())

    def __init__(self, *args, names=(), kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = [("", "–")] + [(n, n) for n in names]
        self.kinds = kinds or {}

    def clean(self):
        data = super().clean()
        filled = [data.get("name"), data.get("value") is not None, data.get("measured_on")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("Isi indikator, nilai dan tanggal pengukuran, atau kosongkan barisnya."))
        if all(filled):
            # The entries app's one rule of possible values: whole counts, percentages within 0..100.
            problems = indicator_value_problems(self.kinds.get(data["name"]), {"value": data["value"]})
            for field, message in problems.items():
                self.add_error(field, message)
        return data


IndicatorValueFormSet = forms.formset_factory(IndicatorValueForm, extra=3, max_num=10)


class ReplicationRequestForm(forms.Form):
    contact_name = forms.CharField(label=_("Nama kontak"), max_length=150)
    contact_email = forms.EmailField(label=_("Email kontak"))
    contact_phone = forms.CharField(label=_("Telepon kontak"), max_length=40, required=False)
    plan = forms.CharField(
        label=_("Rencana replikasi"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Di mana inovasi ini akan diterapkan, kapan, oleh siapa, dan apa yang Anda perlukan."),
    )


class ReplicationAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Jawaban"),
        choices=[("agree", _("Setujui")), ("decline", _("Tolak"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Pesan untuk instansi peminta"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila menolak."),
    )


class ReplicationImplementedForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan penerapan"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
