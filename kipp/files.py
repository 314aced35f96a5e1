"""The one response for a private file: every download and inline image of the portal goes through here.

Callers check who may see the file first (a permission predicate, 404 when not), then:

    return private_file_response(attachment.file, content_type=attachment.content_type,
                                 filename=attachment.original_name, inline=attachment.is_image)

What every response carries, whatever the caller: `X-Content-Type-Options: nosniff` (the browser never guesses a
type), a sandboxing Content-Security-Policy (a file opened in the browser runs nothing), a caching rule
(`private, no-store` for private files; `public` ones, such as the photos of a published innovation record, may be
kept for an hour) and a safe file name (no path, no control characters) in Content-Disposition. With object storage
and STORAGE_REDIRECT=1 the response is instead a redirect to a presigned URL valid STORAGE_REDIRECT_SECONDS (60),
which carries the type, the file name and the caching rule as the bucket's response headers.

Writing files: every service that stores files does it in `save_files_or_none()` (below): all the files of one
operation (a file and its thumbnail, the photos of an update) are stored, or none is left behind.
"""

import contextlib
import logging
import re
from contextvars import ContextVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy

from kipp.errors import PortalError

logger = logging.getLogger(__name__)

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
    if settings.STORAGE_REDIRECT and hasattr(default_storage, "bucket_name"):
        return _presigned_redirect(name, content_type=content_type, filename=filename, inline=inline, public=public)
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


def _presigned_redirect(name, *, content_type, filename, inline, public):
    """A redirect to a presigned GET of the object (object storage only): valid STORAGE_REDIRECT_SECONDS, with the
    response headers the streamed answer would have had, so the browser treats the file the same way."""
    disposition = "inline" if inline else "attachment"
    url = default_storage.url(
        name,
        parameters={
            "ResponseContentType": content_type or "application/octet-stream",
            "ResponseContentDisposition": f'{disposition}; filename="{safe_filename(filename or name)}"',
            "ResponseCacheControl": PUBLIC_CACHE if public else PRIVATE_CACHE,
        },
        expire=settings.STORAGE_REDIRECT_SECONDS,
    )
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = PRIVATE_CACHE  # the signed address must not outlive its minute in a cache
    return response


# Writing files: all of one operation or none ---------------------------------------------------------------

STORAGE_FAILED = gettext_lazy("Berkas tidak dapat disimpan; coba lagi.")


class StorageFailed(PortalError):
    """The storage refused a write (disk full, folder not writable, bucket unreachable); nothing was kept."""

    def __init__(self, message=STORAGE_FAILED):
        super().__init__(message)


def _storage_errors():
    errors = [OSError]
    with contextlib.suppress(ImportError):  # object storage: whatever boto3 raises for a failed PUT
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError

        errors += [Boto3Error, BotoCoreError, ClientError]
    return tuple(errors)


STORAGE_ERRORS = _storage_errors()

_current = ContextVar("kipp_files_being_saved", default=None)


class FilesBeingSaved:
    """The names stored so far by one `save_files_or_none()` block; removed together when the block fails."""

    def __init__(self, storage):
        self.storage = storage
        self.names = []

    def save(self, field, name, content):
        """Store `content` (bytes or a File) in a FileField's file (`attachment.file`) under `name` (the storage
        may pick a free variant); the model instance is not saved. Returns the stored name."""
        content = ContentFile(content) if isinstance(content, bytes) else content
        try:
            field.save(name, content, save=False)
        except STORAGE_ERRORS as error:
            raise self._failed(name, error) from error
        self.names.append(field.name)
        return field.name

    def save_name(self, name, content):
        """Store `content` under `name` in the default storage (no model field): the stored name."""
        content = ContentFile(content) if isinstance(content, bytes) else content
        try:
            stored = self.storage.save(name, content)
        except STORAGE_ERRORS as error:
            raise self._failed(name, error) from error
        self.names.append(stored)
        return stored

    def _failed(self, name, error):
        logger.warning("storage refused %s: %s: %s", name, type(error).__name__, error)
        return StorageFailed()

    def remove_all(self):
        for name in reversed(self.names):
            try:
                self.storage.delete(name)
            except STORAGE_ERRORS as error:  # logged: an operator may have to remove it by hand
                logger.error("could not remove %s after a failed save: %s", name, error)
        self.names.clear()


@contextlib.contextmanager
def save_files_or_none():
    """Store the files of one operation, all or none:

        with save_files_or_none() as files, transaction.atomic():
            files.save(attachment.file, name, data)
            files.save(attachment.thumbnail, thumb_name, thumbnail)
            attachment.save()

    A storage failure raises StorageFailed ("Berkas tidak dapat disimpan; coba lagi.", a PortalError that views show
    beside the form); any exception in the block, the database's commit included when the block holds the
    transaction, removes every file stored in it. A block inside another one hands its files to the outer block on
    success, so the outer failure removes them too. Usable as a decorator around a @transaction.atomic function."""
    outer = _current.get()
    files = FilesBeingSaved(default_storage)
    token = _current.set(files)
    try:
        yield files
    except BaseException:
        files.remove_all()
        raise
    finally:
        _current.reset(token)
    if outer is not None:
        outer.names.extend(files.names)
