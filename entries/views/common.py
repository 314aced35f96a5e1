"""What the entries views share: loading an entry through a permission helper, running a service for the
person asking."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from entries import permissions
from entries.models import Entry
from kipp.errors import add_message
from kipp.permissions import is_pending_member
from kipp.services_accounts import pending_membership_message

PAGE_SIZE = 50


def entry_for(request, pk, predicate=permissions.can_view_entry):
    entry = get_object_or_404(Entry.objects.select_related("competition", "agency__region", "category"), pk=pk)
    if not permissions.can_view_entry(request.user, entry):
        if is_pending_member(request.user) and request.user.agency_id == entry.agency_id:
            # their own agency's entry: say why they cannot open it yet, and who can confirm them
            raise PermissionDenied(pending_membership_message(request.user))
        raise Http404  # do not reveal that the entry exists
    if not predicate(request.user, entry):
        raise PermissionDenied
    return entry


def form_errors(request, form):
    """A form that does not fit on the page it was posted from: its errors as messages on the next page."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def call_service(request, service, **arguments):
    """Run a service for the person asking. Its refusal (ValidationError, PermissionDenied) becomes a message on the
    next page and the call returns None; every service called this way returns an object on success."""
    try:
        return service(user=request.user, request=request, **arguments)
    except (ValidationError, PermissionDenied) as error:
        add_message(request, error)
        return None


def require(predicate, user):
    if not predicate(user):
        raise PermissionDenied
