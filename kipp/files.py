"""The one response for a private file: every download and inline image of the portal goes through here.

Callers check who may see the file first (a permission predicate, 404 when not), then:

    return private_file_response(attachment.file, content_type=attachment.content_type,
                                 filename=attachment.original_name, inline=attachment.is_image)

What every response carries, whatever the caller: `X-Content-Type-Options: nosniff` (the browser never guesses a
type), a sandboxing Content-Security-Policy (a file opened in the browser runs nothing), a caching rule
(`private, no-store` for private files; `public` ones, such as the photos of a published innovation record, may be
kept for an hour) and a safe file name (no path, no control characters) in Content-Disposition.
"""

import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

SANDBOX_CSP = "default-src 'none'; sandbox"
PRIVATE_CACHE = "private, no-store"
PUBLIC_CACHE = "public, max-age=3600"

_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\\"]+")


def safe_filename(name, default="file"):
    """The last path component of `name`, without control characters, slashes or quotes; `default` when empty."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" .")
    return name[:150] or default


def private_file_response(field, *, content_type, filename=None, inline=False, public=False):
    """Stream a stored file (a FieldFile or a storage name); 404 when there is none or it is gone from storage."""
    name = getattr(field, "name", field)
    if not name:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type=content_type or "application/octet-stream",
        as_attachment=not inline,
        filename=safe_filename(filename or name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cache-Control"] = PUBLIC_CACHE if public else PRIVATE_CACHE
    return response
