from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kipp.images import clean_image, read_upload
from kipp.organisations.letterhead import logo_shape_refusal
from kipp.organisations.models import Organisation
from kipp.organisations.services import LETTERHEAD_FIELDS, update_letterhead

# A letter needs its heading, its place and who signs it.
REQUIRED = ("heading_lines", "city", "signatory_name", "signatory_title")


class LetterheadForm(forms.ModelForm):
    """The organisation's letterhead and contact. The logo is cleaned (kipp.images) when the form is validated:
    a refused picture is a message beside the field, the other fields keep what was typed, the old logo stays."""

    logo_upload = forms.FileField(
        label=_("Logo baru"),
        required=False,
        help_text=_("JPEG, PNG atau WebP. Dibersihkan dan disimpan ulang; kosongkan untuk mempertahankan logo."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Hapus logo"), required=False)
    website = forms.URLField(
        label=Organisation._meta.get_field("website").verbose_name, required=False, assume_scheme="https"
    )

    class Meta:
        model = Organisation
        fields = list(LETTERHEAD_FIELDS)
        widgets = {"heading_lines": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, actor=None, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor, self.request = actor, request
        self.clean_logo = None
        for name in REQUIRED:
            self.fields[name].required = True
        if not self.instance.logo:
            del self.fields["remove_logo"]

    def clean_logo_upload(self):
        uploaded = self.cleaned_data.get("logo_upload")
        if uploaded:
            self.clean_logo = clean_image(read_upload(uploaded), uploaded.name)
            refusal = logo_shape_refusal(self.clean_logo.width, self.clean_logo.height)
            if refusal:
                self.clean_logo = None
                raise forms.ValidationError(refusal)
        return uploaded

    def save(self, commit=True):
        try:
            return update_letterhead(
                organisation=self.instance,
                actor=self.actor,
                fields={name: self.cleaned_data[name] for name in LETTERHEAD_FIELDS},
                logo=self.clean_logo,
                remove_logo=bool(self.cleaned_data.get("remove_logo")),
                request=self.request,
            )
        except ValidationError as error:
            self.add_error(None, error)
            return None
