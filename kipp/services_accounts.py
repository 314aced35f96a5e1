"""Business writes about people: sign-up, email verification, invitations, profile and password events.

Every function records an audit event through kipp.services.record_event; emails go out through kipp.mail.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from kipp import limits, permissions
from kipp.mail import absolute_url, send_templated_mail
from kipp.organisations.enums import MembershipKind
from kipp.organisations.queries import served_regions_q
from kipp.organisations.services import add_membership, region_in_area
from kipp.outbox import context as mail_context
from kipp.outbox.enums import NotificationKind
from kipp.services import record_event
from kipp.tokens import (
    VerificationLinkInvalid,
    invitation_token_generator,
    make_email_verification_token,
    read_email_verification_token,
)

User = get_user_model()

MAIL_WINDOW_SECONDS = 3600


def email_taken(email):
    return User.objects.filter(email__iexact=email.strip()).exists()


def account_mail_allowed(*, kind, email, user=None, request=None):
    """Whether one more account mail of `kind` (verification, password_reset, signup_registered, unlock) may go to
    `email` in this hour (ACCOUNT_MAILS_PER_HOUR per address and kind, counted in the database by kipp.limits).
    Over the limit the caller sends nothing and answers as usual (nobody learns whether the address exists); the
    withheld mail is audited."""
    email = email.strip().lower()
    if limits.take(f"mail.{kind}:{email}", limit=settings.ACCOUNT_MAILS_PER_HOUR, window=MAIL_WINDOW_SECONDS):
        return True
    record_event(
        actor=None, action="account.mail_withheld", obj=user, details={"kind": kind, "email": email}, request=request
    )
    return False


def register_innovator(*, email, full_name, password, agency, position="", phone="", language="id", request=None):
    """Sign-up: create an inactive innovator account and email a verification link; returns the new user.

    An address that is already registered gets no second account and the caller answers exactly as for a new one
    (no hint which addresses exist): the owner is mailed instead ("someone tried to sign up with your address")
    and None is returned."""
    email = User.objects.normalize_email(email.strip()).lower()
    if email_taken(email):
        make_password(password)  # the same work as a new account: no timing hint either
        notify_registered_address(email=email, request=request)
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                full_name=full_name.strip(),
                position=position.strip(),
                phone=phone.strip(),
                agency=agency,
                language=language,
                is_active=False,
                agency_confirmed_at=None,  # pending until a member, the region's verifier or an organiser confirms
            )
            record_event(
                actor=user,
                action="account.signed_up",
                obj=user,
                details={"agency": agency.pk, "agency_name": agency.name},
                request=request,
            )
    except IntegrityError:  # a second sign-up with the same address won the race
        notify_registered_address(email=email, request=request)
        return None
    send_verification_email(user, request=request)
    return user


def notify_registered_address(*, email, request=None):
    """Someone signed up with an address that has an account: tell its owner (sign in, or reset the password; an
    account never verified gets a fresh verification link), within the per-address mail limit."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return False
    record_event(actor=None, action="account.signup_for_registered_address", obj=user, request=request)
    if not account_mail_allowed(kind="signup_registered", email=user.email, user=user, request=request):
        return False
    unverified = user.email_verified_at is None and not user.is_active
    verify_path = reverse("kipp:verify_email", kwargs={"token": make_email_verification_token(user)})
    send_templated_mail(
        to=user.email,
        template="kipp/email/signup_registered",
        context={
            "user": user,
            "login_link": absolute_url(f"{reverse('kipp:login')}?email={user.email}", request),
            "reset_link": absolute_url(reverse("kipp:password_reset"), request),
            "verify_link": absolute_url(verify_path, request) if unverified else "",
        },
        language=user.language,
        request=request,
        kind=NotificationKind.SIGNUP,
        user=user,
    )
    return True


def send_unlock_mail(*, user, path, lock, request=None):
    """The account was locked after repeated failed sign-ins: mail its owner the link that opens it."""
    if not account_mail_allowed(kind="unlock", email=user.email, user=user, request=request):
        return False
    send_templated_mail(
        to=user.email,
        template="kipp/email/unlock_account",
        context={
            "user": user,
            "link": absolute_url(path, request),
            "minutes": lock.minutes_left(),
            "reset_link": absolute_url(reverse("kipp:password_reset"), request),
        },
        language=user.language,
        request=request,
        kind=NotificationKind.UNLOCK,
        user=user,
    )
    return True


def send_verification_email(user, request=None):
    """The verification link of a sign-up, within the per-address mail limit (returns whether it was sent)."""
    if not account_mail_allowed(kind="verification", email=user.email, user=user, request=request):
        return False
    path = reverse("kipp:verify_email", kwargs={"token": make_email_verification_token(user)})
    send_templated_mail(
        to=user.email,
        template="kipp/email/verify_email",
        context={
            "user": user,
            "link": absolute_url(path, request),
            "valid_days": max(1, settings.EMAIL_VERIFICATION_MAX_AGE // 86400),
        },
        language=user.language,
        request=request,
        kind=NotificationKind.VERIFICATION,
        user=user,
    )
    return True


def verify_email(*, token, request=None):
    """Activate the account named by a verification link. Returns (user, newly_verified).

    Raises kipp.tokens.VerificationLinkExpired / VerificationLinkInvalid for a bad link."""
    user_id, email = read_email_verification_token(token)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, email__iexact=email).first()
        if user is None:
            raise VerificationLinkInvalid()
        if user.email_verified_at is not None:
            return user, False
        user.is_active = True
        user.email_verified_at = timezone.now()
        user.save(update_fields=["is_active", "email_verified_at"])
        record_event(actor=user, action="account.email_verified", obj=user, request=request)
    return user, True


def resend_verification(*, email, request=None):
    """Send a fresh link to an unverified account. Quietly does nothing for an unknown or verified address (the page
    says the same either way, so it tells nobody which addresses exist) or over the per-address mail limit."""
    user = User.objects.filter(email__iexact=email.strip(), email_verified_at__isnull=True, is_active=False).first()
    if user is None:
        return False
    record_event(actor=None, action="account.verification_resent", obj=user, request=request)
    return send_verification_email(user, request=request)


def invitation_path(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(
        "kipp:accept_invitation", kwargs={"uidb64": uid, "token": invitation_token_generator.make_token(user)}
    )


def is_pending_invitation(user):
    """Invited, and the set-password link not used yet."""
    return not user.has_usable_password() and user.last_login is None and user.agency_id is None


INVITED_KINDS = (MembershipKind.ORGANISER, MembershipKind.VERIFIER, MembershipKind.JUDGE)


def invite_user(
    *,
    invited_by,
    organisation,
    email,
    full_name,
    role,
    region=None,
    agency=None,
    position="",
    expertise="",
    request=None,
):
    """Make someone an organiser, a regional verifier or a judge of `organisation` (`role`: a MembershipKind).

    A new address gets an account with an unusable password and an emailed set-password link; inviting an address
    whose invitation is still pending sends a new link (the old one stops working). An existing account keeps its
    password and profile and is asked: the membership counts once its owner accepts it on their profile page
    (consent: nobody is made a member of an organisation behind their back). A pending invitation that another
    organisation made is never rewritten: its person is asked the same way. Nobody invites themself. Returns
    (user, outcome), outcome one of "invited", "resent", "asked"."""
    if not permissions.is_organiser_of(invited_by, organisation.pk):
        raise PermissionDenied(_("Hanya penyelenggara organisasi ini yang mengundang orangnya."))
    if role not in INVITED_KINDS:
        raise ValidationError({"role": _("Hanya penyelenggara, verifikator daerah dan juri yang diundang.")})
    if role == MembershipKind.VERIFIER and region is None:
        raise ValidationError({"region": _("Verifikator daerah harus punya daerah.")})
    if role == MembershipKind.VERIFIER and not region_in_area(organisation, region):
        raise ValidationError(
            {
                "region": _("%(region)s tidak termasuk wilayah %(organisation)s.")
                % {"region": region.full_name, "organisation": organisation.name}
            }
        )
    email = User.objects.normalize_email(email.strip()).lower()
    if email == (invited_by.email or "").lower():
        raise ValidationError({"email": _("Anda tidak dapat mengundang diri sendiri.")})
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is not None and (not is_pending_invitation(user) or _invited_elsewhere(user, invited_by)):
            outcome = "asked"
        else:
            outcome = "resent" if user is not None else "invited"
            if user is None:
                user = User(email=email)
            user.full_name = full_name.strip()
            if role != MembershipKind.VERIFIER:
                user.region = region  # a judge's home region (conflicts of interest)
            user.position = position.strip()
            user.expertise = expertise.strip()
            user.is_active = True
            user.set_unusable_password()  # also voids any earlier invitation link
            user.save()
            if agency is not None:
                # A judge who works in a participating agency (conflicts of interest). Working there does not make
                # them an innovator who speaks for it: recorded as not confirmed (declined), like every account that
                # had a role other than innovator and an agency (migration kipp 0016).
                user.agency, user.agency_confirmed_at, user.agency_declined_at = agency, None, timezone.now()
                user.save(update_fields=["agency", "agency_confirmed_at", "agency_declined_at"])
        membership, created = add_membership(
            organisation=organisation,
            user=user,
            kind=role,
            region=region if role == MembershipKind.VERIFIER else None,
            actor=invited_by,
            accepted=outcome != "asked",
            request=request,
        )
        if outcome == "asked" and not created:
            message = (
                _("%(email)s sudah memegang peran ini di %(organisation)s.")
                if membership.accepted_at
                else _("%(email)s sudah diundang ke peran ini di %(organisation)s dan belum menjawab.")
            )
            raise ValidationError({"email": message % {"email": email, "organisation": organisation.name}})
        record_event(
            actor=invited_by,
            action={"invited": "account.invited", "resent": "account.invitation_resent", "asked": "account.asked"}[
                outcome
            ],
            obj=user,
            details={
                "organisation": organisation.slug,
                "role": role,
                "region": getattr(region, "pk", None),
                "agency": getattr(agency, "pk", None),
            },
            request=request,
        )
    context = {
        "user": user,
        "invited_by": invited_by,
        "organisation": organisation.name,
        "role": mail_context.label(membership, "kind"),
        "valid_days": _invitation_days(),
    }
    if outcome == "asked":
        context["link"] = absolute_url(reverse("kipp:profile"), request)
        template = "kipp/email/membership_added"
    else:
        context["link"] = absolute_url(invitation_path(user), request)
        template = "kipp/email/invitation"
    send_templated_mail(
        to=user.email,
        template=template,
        context=context,
        language=user.language,
        request=request,
        kind=NotificationKind.INVITATION,
        user=user,
    )
    return user, outcome


def _invited_elsewhere(user, invited_by):
    """A pending invitation that holds (or was asked for) a membership of an organisation `invited_by` does not
    organise: it is not theirs to rewrite."""
    from kipp.organisations.models import Membership

    ids = permissions.organised_organisation_ids(invited_by)
    return ids is not None and Membership.everything.filter(user=user).exclude(organisation_id__in=ids).exists()


def _invitation_days():
    return max(1, settings.INVITATION_MAX_AGE // 86400)


def accept_invitation(*, user, request=None):
    """Called once the invited person has set a password: their email address is now proven."""
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    record_event(actor=user, action="account.invitation_accepted", obj=user, request=request)


def update_profile(*, user, full_name, position, phone, language, request=None):
    changed = {}
    for field, value in {"full_name": full_name, "position": position, "phone": phone, "language": language}.items():
        if getattr(user, field) != value:
            changed[field] = value
            setattr(user, field, value)
    if changed:
        with transaction.atomic():
            user.save(update_fields=list(changed))
            record_event(actor=user, action="account.profile_updated", obj=user, details=changed, request=request)
    return user


# Membership of an agency ---------------------------------------------------------------------------------


def pending_membership_message(user):
    """What a pending member reads when they try to speak for their agency: who can confirm them."""
    agency = user.agency
    if user.agency_declined_at is not None:
        return _(
            "Keanggotaan Anda pada %(agency)s ditolak. Hubungi anggota instansi, verifikator daerah %(region)s "
            "(Admin Lokal) atau penyelenggara bila ini keliru."
        ) % {"agency": agency.name, "region": agency.region.full_name}
    return _(
        "Keanggotaan Anda pada %(agency)s belum dikonfirmasi. Pengajuan dan tindakan atas nama instansi menunggu "
        "konfirmasi dari anggota instansi yang sudah terkonfirmasi, verifikator daerah %(region)s (Admin Lokal) "
        "atau penyelenggara. Sementara itu Anda dapat menyusun draf sendiri."
    ) % {"agency": agency.name, "region": agency.region.full_name}


def pending_members(user):
    """The pending sign-ups `user` may confirm: of their own agency (a confirmed member), of their region's agencies
    (a verifier), of the areas their organisations serve (an organiser). Verified email only: an unverified sign-up
    is nobody yet."""
    rows = User.objects.filter(
        agency__isnull=False,
        agency_confirmed_at__isnull=True,
        agency_declined_at__isnull=True,
        is_active=True,
        email_verified_at__isnull=False,
    ).select_related("agency__region")
    if permissions.is_organiser(user):
        served = served_regions_q(permissions.organised_organisation_ids(user), prefix="agency__region")
        return rows.filter(served).order_by("agency__region__code", "agency__name", "date_joined")
    if permissions.is_verifier(user):
        regions = permissions.verified_region_ids(user)
        return rows.filter(agency__region_id__in=regions).order_by("agency__name", "date_joined")
    if permissions.has_confirmed_agency(user):
        return rows.filter(agency_id=user.agency_id).exclude(pk=user.pk).order_by("date_joined")
    return rows.none()


def _decide_membership(*, member, actor, confirm, request=None):
    with transaction.atomic():
        member = User.objects.select_for_update(of=("self",)).select_related("agency__region").get(pk=member.pk)
        if not permissions.can_confirm_member(actor, member):
            raise PermissionDenied(_("Anda tidak dapat mengonfirmasi keanggotaan ini."))
        if confirm:
            member.agency_confirmed_at = timezone.now()
            member.agency_confirmed_by = actor
        else:
            member.agency_declined_at = timezone.now()
        member.save(update_fields=["agency_confirmed_at", "agency_confirmed_by", "agency_declined_at"])
        record_event(
            actor=actor,
            action="account.membership_confirmed" if confirm else "account.membership_declined",
            obj=member,
            details={"agency": member.agency_id, "agency_name": member.agency.name},
            request=request,
        )
    _send_membership_mail(member, actor, confirm)
    return member


def _send_membership_mail(member, actor, confirmed):
    send_templated_mail(
        to=member.email,
        template="kipp/email/membership_confirmed" if confirmed else "kipp/email/membership_declined",
        context={
            "user": member,
            "agency": member.agency,
            "by": actor,
            "link": absolute_url(reverse("kipp:dashboard")),
        },
        language=member.language,
        kind=NotificationKind.MEMBERSHIP,
        user=member,
    )


def confirm_membership(*, member, actor, request=None):
    """Confirm `member`'s sign-up into their agency: from now on they act for it. Tells them by email."""
    return _decide_membership(member=member, actor=actor, confirm=True, request=request)


def decline_membership(*, member, actor, request=None):
    """Decline `member`'s sign-up into their agency: they keep their own drafts and act for nobody. Tells them."""
    return _decide_membership(member=member, actor=actor, confirm=False, request=request)
