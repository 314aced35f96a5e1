"""Create an organiser account at the server: the one way an organiser comes to exist (the admin creates no
accounts, invitations are for verifiers and judges). Run by the organiser-to-be, who types their own password."""

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from kipp.enums import Role
from kipp.models import User
from kipp.services import record_event

ENV_VARIABLE = "KIPP_ORGANISER_PASSWORD"


class Command(BaseCommand):
    help = "Create an organiser account; the password is typed twice (or read from KIPP_ORGANISER_PASSWORD)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("full_name")
        parser.add_argument("--noinput", action="store_true", help=f"read the password from {ENV_VARIABLE}")

    def handle(self, *args, email, full_name, noinput, **options):
        email = User.objects.normalize_email(email.strip()).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"{email} already has an account.")
        password = os.environ.get(ENV_VARIABLE, "") if noinput else self._ask_password()
        user = User(email=email, full_name=full_name.strip(), role=Role.ORGANISER, agency=None)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        with transaction.atomic():
            user = User.objects.create_user(
                email, password, full_name=user.full_name, role=Role.ORGANISER, email_verified_at=timezone.now()
            )
            record_event(
                actor=None, action="account.created", obj=user, details={"role": Role.ORGANISER, "via": "command"}
            )
        self.stdout.write(self.style.SUCCESS(f"Organiser {user.email} created."))

    def _ask_password(self):
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password
