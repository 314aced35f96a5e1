"""factory_boy factories shared by every test module."""

import datetime

import factory
from django.utils import timezone

from entries.models import Entry
from kipp.models import (
    Agency,
    Category,
    Competition,
    Membership,
    Organisation,
    ProposalSection,
    Province,
    Region,
    User,
)

PASSWORD = "kata-sandi-uji-123"


def region(code="73.04"):
    """A region loaded by the data migration (default: Kabupaten Jeneponto)."""
    return Region.objects.get(code=code)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("region", "name")

    region = factory.LazyFunction(region)
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    kind = "perangkat_daerah"


def _role(default):
    """The post-generation `role` of a user factory: "innovator" (a member of `agency`, no membership), "verifier"
    (verifies their `region`), "organiser" or "judge", in `organisation` (default: OrganisationFactory(), the tests'
    Sulawesi Selatan organisation). `role` and `organisation` are not fields of User: memberships are."""

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        kind = extracted or default
        if not create or kind == "innovator":
            return
        organisation = getattr(obj, "_factory_organisation", None) or OrganisationFactory()
        Membership.objects.get_or_create(
            user=obj, organisation=organisation, kind=kind, region=obj.region if kind == "verifier" else None
        )

    return role


def kinds_of(user):
    """{(organisation slug, kind, region code or None)} of the person's memberships, as the database holds them."""
    return {
        (m.organisation.slug, m.kind, m.region.code if m.region else None)
        for m in Membership.objects.filter(user=user).select_related("organisation", "region")
    }


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Pengguna {n}")
    agency = factory.SubFactory(AgencyFactory)
    is_active = True
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def organisation(obj, create, extracted, **kwargs):
        obj._factory_organisation = extracted

    role = _role("innovator")


class InnovatorFactory(UserFactory):
    role = _role("innovator")


class VerifierFactory(UserFactory):
    agency = None
    region = factory.LazyFunction(region)
    role = _role("verifier")


class OrganiserFactory(UserFactory):
    agency = None
    is_staff = True
    role = _role("organiser")


class JudgeFactory(UserFactory):
    agency = None
    role = _role("judge")


class OrganisationFactory(factory.django.DjangoModelFactory):
    """The tests' organiser: one Sulawesi Selatan organisation shared by every competition, unless a test names
    another slug (then a national one, or pass level and province/region)."""

    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    slug = "biro-organisasi-uji"
    name = factory.LazyAttribute(
        lambda o: (
            "Biro Organisasi Setda Provinsi Sulawesi Selatan"
            if o.slug == "biro-organisasi-uji"
            else f"Organisasi {o.slug}"
        )
    )
    level = factory.LazyAttribute(lambda o: "provinsi" if o.slug == "biro-organisasi-uji" else "nasional")
    province = factory.LazyAttribute(lambda o: Province.objects.get(code="73") if o.level == "provinsi" else None)
    heading_lines = "PEMERINTAH PROVINSI SULAWESI SELATAN\nSEKRETARIAT DAERAH"
    address = "Jl. Urip Sumoharjo No. 269, Makassar"
    city = "Makassar"
    signatory_name = "Andi Uji, S.STP."
    signatory_title = "Kepala Biro Organisasi"


class CompetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competition
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"kipp-uji-{n}")
    name = factory.Sequence(lambda n: f"KIPP Uji {n}")
    year = 2027
    organisation = factory.SubFactory(OrganisationFactory)
    code_prefix = factory.Sequence(lambda n: f"UJI{n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    groups = factory.LazyFunction(lambda: ["umum", "replikasi"])
    minimum_age_months = 12
    requires_regional_verification = True


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    competition = factory.SubFactory(CompetitionFactory)
    key = factory.Sequence(lambda n: f"kategori-{n}")
    name = factory.Sequence(lambda n: f"Kategori {n}")


class ProposalSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposalSection

    competition = factory.SubFactory(CompetitionFactory)
    key = factory.Sequence(lambda n: f"bagian_{n}")
    title = factory.Sequence(lambda n: f"Bagian {n}")
    word_limit = 500
    required = True
    order = factory.Sequence(lambda n: n)


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    competition = factory.SubFactory(CompetitionFactory)
    agency = factory.SubFactory(AgencyFactory)
    created_by = factory.SubFactory(InnovatorFactory, agency=factory.SelfAttribute("..agency"))
    code = factory.Sequence(lambda n: f"UJI-{n:04d}")
    title = factory.Sequence(lambda n: f"Inovasi Uji {n}")
    status = "draft"
