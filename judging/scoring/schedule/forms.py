"""The organiser's schedule forms: generate a round's schedule, change one slot."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _


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
