"""Copy the portal's files from local disk (MEDIA_ROOT) to the configured object storage (STORAGE_URL).

    STORAGE_URL=s3://bucket?endpoint=...&region=... python manage.py copy_files_to_storage [--all] [--source DIR]

Every file the database points to (or, with --all, every file under the folder) is copied under the same name
and verified by SHA-256 read back from the bucket; files already there with the same checksum are skipped, so the
command can be run again (after an interruption, or once more just before switching) and then copies nothing.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError

from kipp.storage import copy_files, names_on_disk, referenced_names


class Command(BaseCommand):
    help = "Copy the files from local disk to the object storage of STORAGE_URL, verified by SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("--source", default=str(settings.MEDIA_ROOT), help="the folder to copy from (MEDIA_ROOT)")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="every",
            help="every file under the folder, not only those named in the database",
        )

    def handle(self, *args, source, every, **options):
        if isinstance(default_storage, FileSystemStorage):
            raise CommandError("The default storage is the local disk: set STORAGE_URL to the bucket to copy to.")
        disk = FileSystemStorage(location=source)
        names = names_on_disk(source) if every else referenced_names()
        counts = copy_files(source=disk, target=default_storage, names=names, say=self.stderr.write)
        bucket = getattr(default_storage, "bucket_name", "the storage")
        self.stdout.write(
            f"{len(names)} files: {counts['copied']} copied to {bucket}, {counts['present']} already there "
            f"(same SHA-256), {counts['missing']} missing on disk, {counts['failed']} not verified."
        )
        if not counts["copied"] and not counts["failed"]:
            self.stdout.write("Nothing to copy: every file is already in the storage.")
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} files could not be verified; run the command again.")
