import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entries.uploads import read_upload
from judging.models import Announcement
from judging.publication.services import TEXT_FIELDS
from judging.scoring.enums import Outcome


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = list(TEXT_FIELDS)
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "embargo_until": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            # The letterhead the announcement was prepared with (judging/publication/letterhead.py freeze): never
            # typed, a disabled field keeps its stored or initial value.
            "letterhead": forms.HiddenInput,
            "body": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "embargo_until": _("Daftar tidak tampil di mana pun sebelum waktu ini (WITA), walau sudah disetujui."),
            "show_totals": _("Jika dicentang, nilai akhir tiap proposal tampil di halaman publik dan unduhan."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["letterhead"].disabled = True


class CorrectionForm(forms.Form):
    correction_note = forms.CharField(
        label=_("Catatan koreksi (tampil di pengumuman)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    refreeze = forms.BooleanField(
        label=_("Ambil ulang daftar dari peringkat terkini"),
        required=False,
        initial=True,
        help_text=_("Tanpa centang: daftar versi sebelumnya disalin apa adanya."),
    )


class ChangeOutcomeForm(forms.Form):
    entry = forms.TypedChoiceField(label=_("Proposal"), coerce=int)
    to_outcome = forms.ChoiceField(label=_("Menjadi"), choices=Outcome.choices)
    reason = forms.CharField(label=_("Alasan (tampil di catatan metode)"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [
            (row.entry_id, f"{row.rank}. {row.entry_code} {row.title} ({row.get_outcome_display()})") for row in rows
        ]


class DifferenceReasonForm(forms.Form):
    entry = forms.TypedChoiceField(label=_("Proposal"), coerce=int)
    reason = forms.CharField(
        label=_("Alasan perbedaan (tampil di halaman publik koreksi)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, differences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [(d["entry_id"], f"{d['entry_code']} {d['title']}") for d in differences]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ObjectionForm(forms.Form):
    entry = forms.TypedChoiceField(label=_("Proposal yang disanggah"), coerce=int)
    reason = forms.CharField(label=_("Alasan sanggahan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    name = forms.CharField(label=_("Nama"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    def __init__(self, *args, rows, anonymous, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [(row.entry_id, f"{row.entry_code} {row.title}") for row in rows]
        if anonymous:
            self.fields["name"].required = True
            self.fields["email"].required = True
        else:
            del self.fields["name"]
            del self.fields["email"]


class AnswerForm(forms.Form):
    """An organiser's answer to an objection. `seen` carries the answer time the page showed (empty: no answer yet),
    so the service refuses an answer written over one this page never showed (services.answer_objection)."""

    answer = forms.CharField(label=_("Jawaban"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, objection=None, **kwargs):
        super().__init__(*args, **kwargs)
        if objection is not None and objection.answered_at:
            self.fields["seen"].initial = objection.answered_at.isoformat()

    def clean_seen(self):
        value = self.cleaned_data["seen"].strip()
        if not value:
            return None
        try:
            seen = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError(_("Muat ulang halaman lalu tulis jawaban lagi.")) from None
        if timezone.is_naive(seen):
            raise forms.ValidationError(_("Muat ulang halaman lalu tulis jawaban lagi."))
        return seen


class DocumentCheckForm(forms.Form):
    """The public "check a document" page: one CSV or PDF, read at most CHECK_DOCUMENT_MAX_BYTES."""

    document = forms.FileField(
        label=_("Dokumen (CSV atau PDF pengumuman)"),
        help_text=_("Berkas CSV yang diunduh dari halaman pengumuman, atau PDF-nya."),
    )

    def clean_document(self):
        return read_upload(self.cleaned_data["document"], settings.CHECK_DOCUMENT_MAX_BYTES)
