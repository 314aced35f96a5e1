"""Every write of an organisation: creating one, its memberships, and its letterhead (kop surat), logo included."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kipp.errors import Invalid, Refused
from kipp.files import save_files_or_none
from kipp.organisations.enums import MembershipKind, OrganisationLevel
from kipp.organisations.letterhead import logo_shape_refusal
from kipp.organisations.models import Membership, Organisation
from kipp.organisations.permissions import can_edit_letterhead
from kipp.permissions import forget_memberships
from kipp.services import record_event

LETTERHEAD_FIELDS = (
    "heading_lines",
    "address",
    "city",
    "signatory_name",
    "signatory_title",
    "email",
    "phone",
    "website",
)


def create_organisation(*, actor, level, name, slug, province=None, region=None, request=None, **letterhead):
    """A new organisation; `letterhead`: any of LETTERHEAD_FIELDS. The area must match the level (the database
    refuses it too: organisation_level_matches_area)."""
    unknown = set(letterhead) - set(LETTERHEAD_FIELDS)
    if unknown:
        raise TypeError(f"unknown letterhead fields: {sorted(unknown)}")
    organisation = Organisation(level=level, name=name, slug=slug, province=province, region=region, **letterhead)
    _check_area(organisation)
    organisation.full_clean()
    with transaction.atomic():
        organisation.save()
        record_event(
            actor=actor, action="organisation.created", obj=organisation, details={"slug": slug}, request=request
        )
    return organisation


def _check_area(organisation):
    wanted = {
        OrganisationLevel.NATIONAL: (False, False),
        OrganisationLevel.PROVINCE: (True, False),
        OrganisationLevel.REGION: (False, True),
    }.get(organisation.level)
    if wanted != (organisation.province_id is not None, organisation.region_id is not None):
        raise Invalid(_("Wilayah organisasi tidak sesuai dengan tingkatnya."))


def update_letterhead(*, organisation, actor, fields, logo=None, remove_logo=False, request=None):
    """Save the letterhead fields (LETTERHEAD_FIELDS) and, when given, a new logo (a kipp.images.CleanFile).
    The new logo is stored first, so a failed save (storage or database) leaves the old logo as it was; the old
    file is kept, because announcements prepared with it print it (judging/publication/letterhead.py). Audited
    with the names of the changed fields."""
    if not can_edit_letterhead(actor, organisation):
        raise Refused(_("Hanya penyelenggara yang boleh mengubah kop organisasi."))
    unknown = set(fields) - set(LETTERHEAD_FIELDS)
    if unknown:
        raise TypeError(f"unknown letterhead fields: {sorted(unknown)}")
    with save_files_or_none() as files, transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changed = [name for name, value in fields.items() if getattr(locked, name) != value]
        for name, value in fields.items():
            setattr(locked, name, value)
        old_logo = locked.logo.name
        if logo is not None:
            refusal = logo_shape_refusal(logo.width, logo.height)
            if refusal:
                raise Invalid(refusal)
            files.save(locked.logo, logo.stored_name(), logo.content)
            locked.logo_content_type, locked.logo_width, locked.logo_height = (
                logo.content_type,
                logo.width,
                logo.height,
            )
            changed.append("logo")
        elif remove_logo and old_logo:
            locked.logo, locked.logo_content_type, locked.logo_width, locked.logo_height = "", "", None, None
            changed.append("logo")
        locked.full_clean()
        locked.save()
        record_event(
            actor=actor, action="organisation.letterhead", obj=locked, details={"fields": changed}, request=request
        )
    return locked


def add_membership(*, organisation, user, kind, region=None, actor=None, accepted=True, request=None):
    """Make `user` an organiser, a verifier of `region` or a judge of `organisation`. Adding one they already hold
    changes nothing and records nothing. Returns (membership, created). The database holds the rules too
    (membership_region_iff_verifier, membership_unique). `accepted=False`: asked of an existing account, it counts
    only once its holder accepts it (accept_membership); adding it again accepted (the portal's own code) accepts
    it."""
    if kind not in MembershipKind.values:
        raise Invalid(_("Peran ini tidak dikenal."))
    if (kind == MembershipKind.VERIFIER) != (region is not None):
        raise Invalid(_("Verifikator daerah harus punya daerah; peran lain tanpa daerah."))
    if region is not None and not region_in_area(organisation, region):
        raise Invalid(
            _("%(region)s tidak termasuk wilayah %(organisation)s.")
            % {"region": region.full_name, "organisation": organisation.name}
        )
    with transaction.atomic():
        now = timezone.now() if accepted else None
        membership, created = Membership.everything.get_or_create(
            user=user,
            organisation=organisation,
            kind=kind,
            region=region,
            defaults={"invited_by": actor, "accepted_at": now},
        )
        if not created and accepted and membership.accepted_at is None:
            membership.accepted_at = now
            membership.save(update_fields=["accepted_at"])
            forget_memberships(user)
        if created:
            forget_memberships(user)  # this user object's predicates read the new membership
            record_event(
                actor=actor,
                action="membership.added" if accepted else "membership.asked",
                obj=user,
                details={"organisation": organisation.slug, "kind": kind, "region": getattr(region, "pk", None)},
                request=request,
            )
    return membership, created


def region_in_area(organisation, region):
    """A region the organisation serves: any for the national one, its province's for a province, itself for a
    kabupaten/kota."""
    if organisation.level == OrganisationLevel.NATIONAL:
        return True
    if organisation.level == OrganisationLevel.PROVINCE:
        return region.province_id == organisation.province_id
    return region.pk == organisation.region_id


def answer_membership(*, membership, user, accept, request=None):
    """The holder accepts (it counts from now) or declines (it is removed) a membership an organiser asked of them."""
    if membership.user_id != user.pk or membership.accepted_at is not None:
        raise Refused(_("Undangan ini bukan untuk Anda atau sudah dijawab."))
    details = {"organisation": membership.organisation.slug, "kind": membership.kind}
    with transaction.atomic():
        if accept:
            membership.accepted_at = timezone.now()
            membership.save(update_fields=["accepted_at"])
        else:
            membership.delete()
        forget_memberships(user)
        record_event(
            actor=user,
            action="membership.accepted" if accept else "membership.declined",
            obj=user,
            details=details,
            request=request,
        )
    return membership
