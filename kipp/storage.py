"""The portal's storage for files on local disk: a file is in place whole or not at all.

`AtomicFileSystemStorage` is Django's FileSystemStorage except for how a file is written: into a temporary file in
the same folder (`.part-*.tmp`), flushed and fsync'ed, then linked to its final name in one step (and the folder
fsync'ed), so a reader, a crash or a full disk never leaves a truncated file under a name the database points to.
A failure removes the temporary file and raises the OSError (ENOSPC, EROFS, EACCES, ...); kipp.files turns that into
the person's message and removes the other files of the same operation.

With STORAGE_URL set (kipp/settings.py) the default storage is django-storages' S3Storage instead; an S3 PUT is
whole or nothing by itself.
"""

import contextlib
import os
import tempfile

from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

PART_PREFIX = ".part-"
PART_SUFFIX = ".tmp"


def is_partial(name):
    """A temporary file of a write in progress (or of one cut short by a crash): never a stored file."""
    return os.path.basename(name).startswith(PART_PREFIX) and name.endswith(PART_SUFFIX)


def _fsync_folder(directory):
    with contextlib.suppress(OSError):  # some filesystems cannot open a folder for fsync; the data is synced
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@deconstructible(path="kipp.storage.AtomicFileSystemStorage")
class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        if self.directory_permissions_mode is not None:
            os.makedirs(directory, self.directory_permissions_mode, exist_ok=True)
        else:
            os.makedirs(directory, exist_ok=True)
        fd, part = tempfile.mkstemp(dir=directory, prefix=PART_PREFIX, suffix=PART_SUFFIX)
        try:
            with os.fdopen(fd, "wb") as out:
                if hasattr(content, "seek") and getattr(content, "seekable", lambda: True)():
                    content.seek(0)
                for chunk in content.chunks():
                    out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                out.flush()
                os.fsync(out.fileno())
            os.chmod(part, self.file_permissions_mode if self.file_permissions_mode is not None else 0o644)
            full_path = self._place(part, name, full_path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(part)
        _fsync_folder(directory)
        self._ensure_location_group_id(full_path)
        return os.path.relpath(full_path, self.location).replace("\\", "/")

    def _place(self, part, name, full_path):
        """Give the complete temporary file its final name in one step; a name taken meanwhile gets another."""
        if self._allow_overwrite:
            os.replace(part, full_path)
            return full_path
        while True:
            try:
                os.link(part, full_path)  # atomic and never replaces a file that is already there
            except FileExistsError:
                name = self.get_available_name(name)
                full_path = self.path(name)
            else:
                return full_path
