"""Business writes of the core domain. Every state change in the portal is recorded through record_event."""

from django.contrib.contenttypes.models import ContentType

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
