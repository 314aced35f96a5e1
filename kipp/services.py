"""Business writes of the core domain. Every state change in the portal is recorded through record_event."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from kipp.models import AuditEvent


def record_event(*, actor, action, obj=None, details=None, request=None, ip_address=None):
    """Append one audit event. `actor` may be None (the system, a command); `obj` any model instance."""
    if request is not None and ip_address is None:
        ip_address = getattr(request, "client_ip", None) or request.META.get("REMOTE_ADDR")
    event = AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(str(actor) if actor is not None and getattr(actor, "pk", None) else "system")[:300],
        action=action,
        details=details or {},
        ip_address=ip_address or None,
    )
    if obj is not None:
        event.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:300]
    event.save()
    return event


def apply_default_sections(*, competition, sections=None):
    """Give a competition the default proposal template (kipp.defaults) unless it already has sections."""
    from kipp.defaults import DEFAULT_PROPOSAL_SECTIONS
    from kipp.models import ProposalSection

    if competition.sections.exists():
        return 0
    rows = [
        ProposalSection(
            competition=competition,
            key=section.key,
            title=section.title,
            guidance=section.guidance,
            word_limit=section.word_limit,
            required=section.required,
            order=index,
        )
        for index, section in enumerate(sections or DEFAULT_PROPOSAL_SECTIONS, start=1)
    ]
    ProposalSection.objects.bulk_create(rows)
    return len(rows)


def create_competition(
    *,
    actor,
    slug,
    name,
    year,
    organisation,
    code_prefix,
    opens_at,
    closes_at,
    description="",
    groups=None,
    categories=None,
    sections=None,
    province=None,
    minimum_age_months=12,
    quota_per_region=None,
    quota_per_agency=None,
    requires_regional_verification=True,
    is_public=True,
    past_winner_years=0,
    past_winner_stage="final",
    request=None,
):
    """Create a competition with its categories and proposal template (default: the KIPP 2023 aspects).

    Raises ValidationError with a clear message for a window that closes before it opens, a taken slug or prefix."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from kipp.defaults import DEFAULT_GROUPS
    from kipp.models import Competition
    from kipp.permissions import is_organiser_of

    if actor is not None and not is_organiser_of(actor, getattr(organisation, "pk", None)):
        raise ValidationError({"organisation": _("Anda hanya dapat membuat kompetisi untuk organisasi Anda sendiri.")})
    competition = Competition(
        slug=slug,
        name=name,
        year=year,
        organisation=organisation,
        code_prefix=code_prefix,
        opens_at=opens_at,
        closes_at=closes_at,
        description=description,
        groups=list(groups if groups is not None else DEFAULT_GROUPS),
        province=province,
        minimum_age_months=minimum_age_months,
        quota_per_region=quota_per_region,
        quota_per_agency=quota_per_agency,
        requires_regional_verification=requires_regional_verification,
        is_public=is_public,
        past_winner_years=past_winner_years,
        past_winner_stage=past_winner_stage,
    )
    competition.full_clean()
    with transaction.atomic():
        competition.save()
        _add_categories(competition, categories)
        apply_default_sections(competition=competition, sections=sections)
        record_event(
            actor=actor,
            action="competition.created",
            obj=competition,
            details={"slug": slug, "opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat()},
            request=request,
        )
    return competition


def _add_categories(competition, categories=None):
    """The competition's categories, in the order given (None: kipp.defaults.DEFAULT_CATEGORIES)."""
    from kipp.defaults import DEFAULT_CATEGORIES
    from kipp.models import Category

    Category.objects.bulk_create(
        Category(competition=competition, key=key, name=name, order=index)
        for index, (key, name) in enumerate(categories if categories is not None else DEFAULT_CATEGORIES, start=1)
    )
