"""Account pages: sign-up, email verification, login/logout, password reset and change, profile, invitations."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kipp import forms_accounts, login_throttle, services_accounts
from kipp.mail import site_url
from kipp.models import User
from kipp.organisations.models import Membership
from kipp.organisations.queries import organisation_people
from kipp.organisations.services import answer_membership
from kipp.permissions import can_confirm_member, can_invite, can_see_pending_members
from kipp.services import record_event
from kipp.tokens import VerificationLinkExpired, VerificationLinkInvalid, invitation_token_generator


def _set_language_cookie(response, language):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


class LoginView(auth_views.LoginView):
    template_name = "kipp/accounts/login.html"
    authentication_form = forms_accounts.LoginForm
    redirect_authenticated_user = True

    def get_initial(self):
        return {"username": self.request.GET.get("email", "")}

    def form_valid(self, form):
        response = super().form_valid(form)
        if settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES:  # a language picked on this device wins
            _set_language_cookie(response, form.get_user().language)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        if getattr(form, "unverified_email", None):
            context["resend_form"] = forms_accounts.ResendVerificationForm(initial={"email": form.unverified_email})
        return context


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "kipp/accounts/password_reset.html"
    form_class = forms_accounts.AuditedPasswordResetForm
    email_template_name = "kipp/email/password_reset.txt"
    subject_template_name = "kipp/email/password_reset_subject.txt"
    success_url = reverse_lazy("kipp:password_reset_done")

    @property
    def extra_email_context(self):
        return {"site_url": site_url(self.request)}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "kipp/accounts/password_reset_confirm.html"
    form_class = forms_accounts.KippSetPasswordForm
    success_url = reverse_lazy("kipp:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        record_event(actor=form.user, action="account.password_reset", obj=form.user, request=self.request)
        # the owner proved they hold the mailbox: a lock after repeated failed sign-ins opens
        login_throttle.unlock_account(
            email=form.user.email, via="password_reset", request=self.request, actor=form.user
        )
        return response


class AcceptInvitationView(auth_views.PasswordResetConfirmView):
    """The set-password link of an invitation (kipp.tokens.InvitationTokenGenerator, INVITATION_MAX_AGE)."""

    template_name = "kipp/accounts/accept_invitation.html"
    form_class = forms_accounts.KippSetPasswordForm
    token_generator = invitation_token_generator
    success_url = reverse_lazy("kipp:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        services_accounts.accept_invitation(user=form.user, request=self.request)
        messages.success(self.request, _("Kata sandi tersimpan. Silakan masuk dengan email dan kata sandi baru Anda."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "kipp/accounts/password_change.html"
    form_class = forms_accounts.KippPasswordChangeForm
    success_url = reverse_lazy("kipp:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        record_event(
            actor=self.request.user, action="account.password_changed", obj=self.request.user, request=self.request
        )
        messages.success(self.request, _("Kata sandi diganti."))
        return response


@require_POST
def set_language(request):
    """Django's language switch; for a signed-in user the choice also becomes the profile's preference (emails)."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES) and language != request.user.language:
        user = User.objects.get(pk=request.user.pk)
        services_accounts.update_profile(
            user=user,
            full_name=user.full_name,
            position=user.position,
            phone=user.phone,
            language=language,
            request=request,
        )
    return response


def signup(request):
    if request.user.is_authenticated:
        return redirect("kipp:dashboard")
    form = forms_accounts.SignupForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        # the same answer for a registered address as for a new one (the owner is mailed instead)
        request.session["kipp_signup_email"] = form.save(language=get_language() or settings.LANGUAGE_CODE)
        return redirect("kipp:signup_done")
    return render(request, "kipp/accounts/signup.html", {"form": form})


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "kipp/accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "mails_per_hour": settings.ACCOUNT_MAILS_PER_HOUR}


def signup_done(request):
    email = request.session.get("kipp_signup_email", "")
    return render(
        request,
        "kipp/accounts/signup_done.html",
        {
            "email": email,
            "resend_form": forms_accounts.ResendVerificationForm(initial={"email": email}),
            "mails_per_hour": settings.ACCOUNT_MAILS_PER_HOUR,
        },
    )


def verify_email(request, token):
    try:
        user, newly_verified = services_accounts.verify_email(token=token, request=request)
    except VerificationLinkExpired as expired:
        return render(
            request,
            "kipp/accounts/verify_failed.html",
            {"expired": True, "form": forms_accounts.ResendVerificationForm(initial={"email": expired.email})},
            status=400,
        )
    except VerificationLinkInvalid:
        return render(
            request,
            "kipp/accounts/verify_failed.html",
            {"expired": False, "form": forms_accounts.ResendVerificationForm()},
            status=400,
        )
    if newly_verified:
        messages.success(request, _("Email Anda sudah terverifikasi. Silakan masuk."))
    else:
        messages.info(request, _("Email ini sudah terverifikasi sebelumnya. Silakan masuk."))
    return redirect(f"{reverse('kipp:login')}?email={user.email}")


@require_POST
def resend_verification(request):
    form = forms_accounts.ResendVerificationForm(request.POST)
    if not form.is_valid():
        return render(request, "kipp/accounts/verify_failed.html", {"expired": False, "form": form}, status=400)
    services_accounts.resend_verification(email=form.cleaned_data["email"], request=request)
    messages.info(
        request,
        _(
            "Jika %(email)s terdaftar dan belum diverifikasi, tautan verifikasi baru sudah kami kirim. "
            "Periksa juga folder spam."
        )
        % {"email": form.cleaned_data["email"]},
    )
    if settings.ACCOUNT_MAILS_PER_HOUR:
        messages.info(
            request,
            _(
                "Untuk melindungi pemilik alamat, paling banyak %(n)s email seperti ini dikirim ke satu alamat dalam "
                "satu jam. Bila email belum datang, tunggu sebelum meminta lagi."
            )
            % {"n": settings.ACCOUNT_MAILS_PER_HOUR},
        )
    return redirect("kipp:login")


@login_required
def profile(request):
    form = forms_accounts.ProfileForm(request.POST or None, instance=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Profil tersimpan."))
        return _set_language_cookie(redirect("kipp:profile"), user.language)
    return render(
        request,
        "kipp/accounts/profile.html",
        {
            "form": form,
            "password_form": forms_accounts.KippPasswordChangeForm(request.user),
            "memberships": request.user.memberships.select_related("organisation", "region").order_by(
                "organisation__name", "kind"
            ),
            "asked": Membership.everything.filter(user=request.user, accepted_at__isnull=True)
            .select_related("organisation", "region", "invited_by")
            .order_by("created_at"),
        },
    )


@login_required
@require_POST
def membership_answer(request, pk, answer):
    """The person accepts ("terima") or declines ("tolak") a membership an organiser asked of them."""
    if answer not in ("terima", "tolak"):
        raise Http404
    membership = get_object_or_404(
        Membership.everything.select_related("organisation"), pk=pk, user=request.user, accepted_at__isnull=True
    )
    answer_membership(membership=membership, user=request.user, accept=answer == "terima", request=request)
    if answer == "terima":
        message = _("Anda kini %(role)s di %(organisation)s.")
    else:
        message = _("Undangan menjadi %(role)s di %(organisation)s Anda tolak.")
    messages.success(
        request, message % {"role": membership.get_kind_display(), "organisation": membership.organisation.name}
    )
    return redirect("kipp:profile")


@login_required
def invite(request):
    if not can_invite(request.user):
        raise PermissionDenied
    form = forms_accounts.InviteForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user, outcome = form.save()
        if user is not None:
            message = {
                "invited": _("Undangan terkirim ke %(email)s."),
                "resent": _("Undangan dikirim ulang ke %(email)s. Tautan sebelumnya tidak berlaku lagi."),
                "asked": _(
                    "%(email)s sudah punya akun: pemiliknya diminta menerima peran ini (lewat email); peran berlaku "
                    "setelah diterima."
                ),
            }[outcome]
            messages.success(request, message % {"email": user.email})
            return redirect("kipp:invite")
    people = list(organisation_people(request.user))
    for person in people:
        person.invitation_pending = services_accounts.is_pending_invitation(person.user)
    return render(request, "kipp/accounts/invite.html", {"form": form, "people": people})


def lockout(request, original_response=None, credentials=None):
    """django-axes lockout page (AXES_LOCKOUT_CALLABLE): says how long the lock lasts and what to do. The lock is
    axes' (account and address) or one of kipp.login_throttle's (the address; the account, whose owner got an
    unlock link)."""
    from axes.helpers import get_cool_off

    lock = getattr(request, "kipp_login_lock", None)
    if lock is not None:
        minutes = lock.minutes_left()
    else:
        cool_off = get_cool_off(request)
        minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    return render(
        request,
        "kipp/lockout.html",
        {
            "minutes": minutes,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "lock_kind": getattr(lock, "kind", "pair"),
        },
        status=429,
    )


@require_http_methods(["GET", "POST"])
def unlock_account(request, token):
    """The link of the unlock mail (kipp.login_throttle): GET asks to confirm (a mail scanner fetching the link opens
    nothing), POST opens the lock, once."""
    try:
        email, _lock = login_throttle.read_unlock_token(token)
        if request.method == "POST":
            email = login_throttle.unlock_by_link(token=token, request=request)
    except login_throttle.UnlockLinkInvalid:
        return render(request, "kipp/accounts/unlock.html", {"invalid": True}, status=400)
    if request.method == "POST":
        messages.success(request, _("Kunci akun Anda sudah dibuka. Silakan masuk."))
        return redirect(f"{reverse('kipp:login')}?email={email}")
    return render(request, "kipp/accounts/unlock.html", {"invalid": False, "email": email})


@login_required
@require_GET
def pending_members(request):
    """Sign-ups waiting for someone to confirm they belong to their agency: the agency's confirmed members, the
    region's verifier and organisers see those they may confirm."""
    if not can_see_pending_members(request.user):
        raise PermissionDenied
    members = list(services_accounts.pending_members(request.user))
    return render(request, "kipp/accounts/pending_members.html", {"members": members})


@login_required
@require_POST
def decide_membership(request, pk):
    member = get_object_or_404(User.objects.select_related("agency__region"), pk=pk)
    if not can_confirm_member(request.user, member):
        raise PermissionDenied
    decision = request.POST.get("decision")
    if decision not in ("confirm", "decline"):
        messages.error(request, _("Pilih Konfirmasi atau Tolak."))
        members = list(services_accounts.pending_members(request.user))
        return render(request, "kipp/accounts/pending_members.html", {"members": members}, status=400)
    if decision == "decline":
        services_accounts.decline_membership(member=member, actor=request.user, request=request)
        messages.info(
            request,
            _("Keanggotaan %(name)s pada %(agency)s ditolak.") % {"name": member.full_name, "agency": member.agency},
        )
    else:
        services_accounts.confirm_membership(member=member, actor=request.user, request=request)
        messages.success(
            request,
            _("%(name)s kini anggota terkonfirmasi %(agency)s.") % {"name": member.full_name, "agency": member.agency},
        )
    return redirect("kipp:pending_members")
