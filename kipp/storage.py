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
import errno
import os
import tempfile

from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

PART_PREFIX = ".part-"
PART_SUFFIX = ".tmp"
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS}


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
            except OSError as error:
                if error.errno not in _NO_HARD_LINKS:
                    raise
                # a filesystem without hard links (some network shares): rename, after a fresh look for the name
                if os.path.exists(full_path):
                    name = self.get_available_name(name)
                    full_path = self.path(name)
                    continue
                os.replace(part, full_path)
                return full_path
            else:
                return full_path


# Moving the files of a portal from local disk to object storage --------------------------------------------


def referenced_names():
    """Every file name the database points to (every FileField of every model), sorted, without repeats."""
    from django.apps import apps
    from django.db import models

    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and not field.many_to_many:
                values = model._default_manager.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True})
                names.update(values.values_list(field.name, flat=True).distinct().iterator())
    return sorted(names)


def names_on_disk(location):
    """Every file under `location` (relative, with forward slashes), except temporary files of unfinished writes."""
    found = []
    for root, _dirs, files in os.walk(location):
        for name in files:
            path = os.path.relpath(os.path.join(root, name), location).replace("\\", "/")
            if not is_partial(path):
                found.append(path)
    return sorted(found)


def _sha256(storage, name):
    import hashlib

    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def copy_files(*, source, target, names, say=print):
    """Copy `names` from the `source` storage to `target` under the same names, each verified by SHA-256 read
    back from the target. A file already in the target with the same checksum is left alone, so a second run copies
    nothing. Returns the counts {"copied", "present", "missing", "failed"}."""
    from django.core.files.base import ContentFile

    counts = {"copied": 0, "present": 0, "missing": 0, "failed": 0}
    for name in names:
        if not source.exists(name):
            counts["missing"] += 1
            say(f"missing on disk: {name}")
            continue
        expected = _sha256(source, name)
        if target.exists(name):
            if _sha256(target, name) == expected:
                counts["present"] += 1
                continue
            target.delete(name)  # a different or truncated copy: replaced
        with source.open(name, "rb") as handle:
            stored = target.save(name, ContentFile(handle.read()))
        if stored != name or _sha256(target, stored) != expected:
            counts["failed"] += 1
            say(f"not verified: {name} (stored as {stored})")
            continue
        counts["copied"] += 1
    return counts
