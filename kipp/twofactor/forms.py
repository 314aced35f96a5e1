from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode"),
        max_length=32,
        help_text=_("Kode 6 angka dari aplikasi autentikator, atau salah satu kode cadangan."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false", "autofocus": True}
        ),
    )


class AppCodeForm(CodeForm):
    code = forms.CharField(
        label=_("Kode dari aplikasi"),
        max_length=32,
        help_text=_("Kode 6 angka yang tampil di aplikasi autentikator setelah Anda memindai kode QR."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class ResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=500,
        help_text=_("Misalnya: ponsel hilang, diganti, aplikasi terhapus. Alasan dicatat dalam log audit."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
