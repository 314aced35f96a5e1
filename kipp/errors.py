"""The portal's error classes, raised by every app's services, and the one helper that shows them to a person.

A service refuses with one of these; a view catches `PortalError` (or a subclass it answers differently) and
calls `add_message(request, error)`, or renders `error_text(error)` next to the form it came from.

- `Refused`: not allowed now or not by this person (round closed, deadline passed, conflict of interest).
- `Stale`: the object changed since the person loaded it (another tab, another device, another organiser).
- `Invalid`: the input itself is wrong (a value outside its scale, a missing reason).

They are `ValidationError`s, so a form's `clean()` or `save()` may raise them and Django shows them by the field.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError


class PortalError(ValidationError):
    """Base of every refusal a service gives; its messages are already translated for the person."""


class Refused(PortalError):
    """The action is not allowed in this state, or not to this person."""


class Stale(PortalError):
    """The object changed after the person loaded it; nothing was saved."""


class Invalid(PortalError):
    """The input is wrong; nothing was saved."""


def error_text(error):
    """One readable sentence (or several, joined) from a ValidationError of any shape, or from a refusal such as
    PermissionDenied("...") that carries its sentence as its argument."""
    messages_ = getattr(error, "messages", None)
    if messages_ is None:
        messages_ = [str(error)]
    return " ".join(str(message) for message in messages_)


def add_message(request, error, level=messages.ERROR):
    """Show a service's refusal as a message on the next page."""
    messages.add_message(request, level, error_text(error))
