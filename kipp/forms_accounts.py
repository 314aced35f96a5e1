"""Forms about people: login, sign-up, resend verification, profile, invitations. Each calls one service."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kipp import mail, services_accounts
from kipp.models import Agency, Organisation, Region
from kipp.organisations.enums import MembershipKind
from kipp.organisations.queries import organised_organisations
from kipp.services import record_event

User = get_user_model()


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


def agency_choices(blank_label):
    """Agencies grouped by region (<optgroup>), so the list is usable without JavaScript."""
    groups = {}
    for agency in Agency.objects.select_related("region").order_by("region__code", "name"):
        groups.setdefault(agency.region.full_name, []).append((agency.pk, agency.name))
    return [("", blank_label), *groups.items()]


class AgencyChoiceField(forms.TypedChoiceField):
    """A <select> of agencies grouped by region; cleans to an Agency (or None when not required)."""

    def __init__(self, *, blank_label, **kwargs):
        super().__init__(coerce=int, empty_value=None, **kwargs)
        self.choices = lambda: agency_choices(blank_label)

    def clean(self, value):
        pk = super().clean(value)
        if pk is None:
            return None
        agency = Agency.objects.select_related("region").filter(pk=pk).first()
        if agency is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return agency


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Email atau kata sandi salah. Periksa keduanya lalu coba lagi."),
        "unverified": _(
            "Email Anda belum diverifikasi. Buka tautan verifikasi yang kami kirim ke %(email)s, "
            "atau minta tautan baru di bawah."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unverified_email = None
        self.fields["password"].label = _("Kata sandi")
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self.helper = _helper()

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            if self._is_unverified():
                self.unverified_email = self.cleaned_data["username"]
                raise ValidationError(
                    self.error_messages["unverified"], code="unverified", params={"email": self.unverified_email}
                ) from error
            raise

    def _is_unverified(self):
        """The right password for an account that never followed its verification link."""
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not email or not password:
            return False
        user = User.objects.filter(email__iexact=email, is_active=False, email_verified_at__isnull=True).first()
        return user is not None and user.check_password(password)


class SignupForm(forms.Form):
    email = forms.EmailField(label=_("Email dinas"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    full_name = forms.CharField(
        label=_("Nama lengkap (dengan gelar)"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    position = forms.CharField(label=_("Jabatan"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Telepon / WhatsApp"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    agency = AgencyChoiceField(
        label=_("Instansi / unit pelayanan"),
        blank_label=_("Pilih instansi"),
        help_text=_("Dikelompokkan per kabupaten/kota. Instansi Anda tidak ada? Hubungi Biro Organisasi."),
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minimal 10 karakter, bukan kata sandi yang umum, tidak hanya angka."),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.helper = _helper()

    def clean_email(self):
        # a registered address is not refused here: the sign-up answers the same for it (the service mails the
        # owner instead), so the form tells nobody which addresses have an account
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif password1:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self, *, language):
        """Sign up; returns the address the "check your email" page names (the same whether it was new or not)."""
        data = self.cleaned_data
        services_accounts.register_innovator(
            email=data["email"],
            full_name=data["full_name"],
            position=data["position"],
            phone=data["phone"],
            agency=data["agency"],
            password=data["password1"],
            language=language,
            request=self.request,
        )
        return data["email"]


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "position", "phone", "language"]
        labels = {"language": _("Bahasa tampilan")}

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.helper = _helper()

    def save(self, commit=True):
        data = self.cleaned_data
        # the ModelForm has already copied the new values onto self.instance: hand the stored row to the service
        return services_accounts.update_profile(
            user=User.objects.get(pk=self.instance.pk),
            full_name=data["full_name"],
            position=data["position"],
            phone=data["phone"],
            language=data["language"],
            request=self.request,
        )


class InviteForm(forms.Form):
    ROLE_CHOICES = [
        (MembershipKind.VERIFIER, MembershipKind.VERIFIER.label),
        (MembershipKind.JUDGE, MembershipKind.JUDGE.label),
        (MembershipKind.ORGANISER, _("Penyelenggara (staf organisasi)")),
    ]

    organisation = forms.ModelChoiceField(label=_("Organisasi"), queryset=Organisation.objects.none(), empty_label=None)
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Nama lengkap (dengan gelar)"), max_length=150)
    role = forms.ChoiceField(label=_("Peran"), choices=ROLE_CHOICES, widget=forms.RadioSelect)
    region = forms.ModelChoiceField(
        label=_("Daerah"),
        queryset=Region.objects.order_by("code"),
        required=False,
        empty_label=_("Pilih daerah"),
        help_text=_("Wajib untuk verifikator daerah. Untuk juri: daerah asal, dipakai mendeteksi konflik kepentingan."),
    )
    agency = AgencyChoiceField(
        label=_("Instansi (opsional)"),
        blank_label=_("Tidak ada / di luar daftar"),
        required=False,
        help_text=_("Untuk juri yang bekerja di salah satu instansi peserta (konflik kepentingan)."),
    )
    position = forms.CharField(
        label=_("Jabatan dan afiliasi"),
        max_length=150,
        required=False,
        help_text=_("Contoh: Dosen, STIA LAN Makassar."),
    )
    expertise = forms.CharField(label=_("Bidang keahlian"), max_length=200, required=False)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.helper = _helper()
        organisations = organised_organisations(request.user)
        self.fields["organisation"].queryset = organisations
        self.only_organisation = organisations[0] if len(organisations) == 1 else None
        if self.only_organisation is not None:  # nothing to choose: the page names it instead
            del self.fields["organisation"]

    def clean(self):
        cleaned = super().clean()
        if self.only_organisation is not None:
            cleaned["organisation"] = self.only_organisation
        if cleaned.get("role") == MembershipKind.VERIFIER and not cleaned.get("region"):
            self.add_error("region", _("Pilih daerah yang akan diverifikasi oleh verifikator ini."))
        return cleaned

    def save(self):
        data = self.cleaned_data
        try:
            return services_accounts.invite_user(
                invited_by=self.request.user,
                organisation=data["organisation"],
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                region=data["region"],
                agency=data["agency"],
                position=data["position"],
                expertise=data["expertise"],
                request=self.request,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
            return None, None


class KippSetPasswordForm(SetPasswordForm):
    """Set a new password (reset link, invitation), with the portal's wording."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["new_password2"].help_text = ""


class KippPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi sekarang")
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["new_password2"].help_text = ""


class AuditedPasswordResetForm(PasswordResetForm):
    """Django's reset form (the same answer whether the address has an account or not), with every reset email
    recorded in the audit log, limited per address (services_accounts.account_mail_allowed: over the limit the page
    answers the same and no mail goes), and links built from the request (kipp.mail.site_url, through the view's
    extra_email_context)."""

    request = None

    def save(self, *args, request=None, **kwargs):
        self.request = request  # for the audit events of send_mail
        return super().save(*args, request=request, **kwargs)

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        user = context["user"]
        record_event(actor=None, action="account.password_reset_requested", obj=user, request=self.request)
        allowed = services_accounts.account_mail_allowed(
            kind="password_reset", email=to_email, user=user, request=self.request
        )
        if not allowed:
            return
        mail.send_password_reset_mail(
            subject_template=subject_template_name,
            body_template=email_template_name,
            context=context,
            from_email=from_email,
            to=to_email,
            html_template=html_email_template_name,
        )
