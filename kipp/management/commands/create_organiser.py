"""Create an organiser account of one organisation at the server (the first organiser of an organisation; they
invite their own staff, verifiers and judges from the portal). Run by the organiser-to-be, who types their own
password. Without --organisation, the only organisation there is (refused when there are several or none)."""

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from kipp.models import Organisation, User
from kipp.organisations.enums import MembershipKind
from kipp.organisations.services import add_membership
from kipp.services import record_event

ENV_VARIABLE = "KIPP_ORGANISER_PASSWORD"


class Command(BaseCommand):
    help = "Create an organiser account; the password is typed twice (or read from KIPP_ORGANISER_PASSWORD)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("full_name")
        parser.add_argument("--noinput", action="store_true", help=f"read the password from {ENV_VARIABLE}")
        parser.add_argument("--organisation", metavar="SLUG", help="the organisation they organise (its slug)")

    def handle(self, *args, email, full_name, noinput, organisation=None, **options):
        email = User.objects.normalize_email(email.strip()).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"{email} already has an account.")
        organisation = self._organisation(organisation)
        password = os.environ.get(ENV_VARIABLE, "") if noinput else self._ask_password()
        user = User(email=email, full_name=full_name.strip(), agency=None)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        with transaction.atomic():
            user = User.objects.create_user(email, password, full_name=user.full_name, email_verified_at=timezone.now())
            record_event(
                actor=None,
                action="account.created",
                obj=user,
                details={"role": MembershipKind.ORGANISER, "organisation": organisation.slug, "via": "command"},
            )
            add_membership(organisation=organisation, user=user, kind=MembershipKind.ORGANISER)
        self.stdout.write(self.style.SUCCESS(f"Organiser {user.email} of {organisation.name} created."))

    def _organisation(self, slug):
        if slug:
            organisation = Organisation.objects.filter(slug=slug).first()
            if organisation is None:
                raise CommandError(f"No organisation {slug!r}.")
            return organisation
        organisations = list(Organisation.objects.all()[:2])
        if len(organisations) != 1:
            raise CommandError("Name the organisation: --organisation SLUG (a portal administrator creates it first).")
        return organisations[0]

    def _ask_password(self):
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password
