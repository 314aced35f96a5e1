from django import forms
from django.utils.translation import gettext_lazy as _

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
            "letterhead": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "embargo_until": _("Daftar tidak tampil di mana pun sebelum waktu ini (WITA), walau sudah disetujui."),
            "show_totals": _("Jika dicentang, nilai akhir tiap proposal tampil di halaman publik dan unduhan."),
        }


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
    answer = forms.CharField(label=_("Jawaban"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class ScheduleForm(forms.Form):
    first_day = forms.DateField(label=_("Hari pertama"), widget=forms.DateInput(attrs={"type": "date"}))
    day_count = forms.IntegerField(label=_("Jumlah hari"), min_value=1, max_value=14, initial=4)
    day_start = forms.TimeField(label=_("Mulai tiap hari (WITA)"), initial="08:30")
    day_end = forms.TimeField(label=_("Selesai tiap hari (WITA)"), initial="16:30")
    duration = forms.IntegerField(label=_("Durasi slot (menit)"), min_value=5, max_value=240, initial=25)
    break_every = forms.IntegerField(label=_("Rehat setiap ... slot"), min_value=0, max_value=50, initial=4)
    break_minutes = forms.IntegerField(label=_("Lama rehat (menit)"), min_value=0, max_value=120, initial=10)
    lunch_start = forms.TimeField(label=_("Istirahat siang mulai"), initial="12:00")
    lunch_minutes = forms.IntegerField(label=_("Lama istirahat siang (menit)"), min_value=0, max_value=180, initial=60)
    room = forms.CharField(label=_("Ruang"), max_length=120, required=False)
    panel = forms.CharField(label=_("Panel"), max_length=120, required=False)
    venue = forms.CharField(label=_("Tempat"), max_length=200, required=False)

    def options(self):
        import datetime

        data = self.cleaned_data
        return {
            "days": [data["first_day"] + datetime.timedelta(days=i) for i in range(data["day_count"])],
            "day_start": data["day_start"],
            "day_end": data["day_end"],
            "duration": data["duration"],
            "break_every": data["break_every"],
            "break_minutes": data["break_minutes"],
            "lunch_start": data["lunch_start"],
            "lunch_minutes": data["lunch_minutes"],
            "room": data["room"],
            "panel": data["panel"],
            "venue": data["venue"],
        }


class SlotForm(forms.Form):
    date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start = forms.TimeField(label=_("Mulai"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration = forms.IntegerField(label=_("Menit"), min_value=1, max_value=480)
    room = forms.CharField(label=_("Ruang"), max_length=120, required=False)
