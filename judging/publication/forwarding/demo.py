"""Demo data of forwarding upward (seed_demo, order 350, after publication has published the Sulawesi Selatan Top 30).

- the national organiser: Kedeputian Bidang Pelayanan Publik KemenPANRB (level nasional) and its organiser
  organiser-nasional@demo.kipp.id;
- its open call kipp-nasional-2023, fed by the provinces' competitions (kipp-sulsel-2023; kovablik-jatim-2023 where
  that demo exists), quota 3 per province;
- Sulawesi Selatan (organiser@demo.kipp.id) has nominated 3 entries of its Top 30 through the service, both
  Jeneponto entries among them: sms@demo.kipp.id and dishub@demo.kipp.id find their national drafts ready to review.

No emails are sent. Idempotent: each step is skipped when its result exists."""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from judging.models import FeedingRule, Nomination
from judging.publication.forwarding import services
from judging.publication.forwarding.queries import final_list, public_final_announcement
from kipp.models import Competition, Organisation, User
from kipp.organisations.enums import MembershipKind, OrganisationLevel
from kipp.organisations.services import add_membership, create_organisation
from kipp.services import create_competition

WITA = ZoneInfo("Asia/Makassar")
NATIONAL_NAME = "Kedeputian Bidang Pelayanan Publik KemenPANRB"
NATIONAL_SLUG = "kemenpanrb"
NATIONAL_LETTERHEAD = {
    "heading_lines": (
        "KEMENTERIAN PENDAYAGUNAAN APARATUR NEGARA DAN REFORMASI BIROKRASI\nKEDEPUTIAN BIDANG PELAYANAN PUBLIK"
    ),
    "address": "Jl. Jend. Sudirman Kav. 69, Jakarta Selatan 12190",
    "city": "Jakarta",
    "signatory_name": "Dr. Ir. Wahyu Pratama Kusuma, M.Si.",
    "signatory_title": "Deputi Bidang Pelayanan Publik",
    "email": "pelayanan.publik@demo.kipp.id",
}
NATIONAL_ORGANISER = "organiser-nasional@demo.kipp.id"
NATIONAL_SLUG_2023 = "kipp-nasional-2023"
FEEDING_SLUGS = ("kipp-sulsel-2023", "kovablik-jatim-2023")
QUOTA = 3
JENEPONTO_TITLES = ("Sapa Masyarakat Sekitar (SMS)", "Transportation Smart")
DESCRIPTION = (
    "Kompetisi Inovasi Pelayanan Publik (KIPP) tingkat nasional 2023. Peserta adalah inovasi terbaik yang diusulkan "
    "oleh kompetisi inovasi provinsi, masing-masing provinsi paling banyak 3 (tiga) inovasi. Inovasi yang diusulkan "
    "tiba sebagai draf instansi pengusul; instansi memeriksa, melengkapi, dan mengajukannya sebelum pendaftaran "
    "ditutup."
)


def seed_forwarding(ctx):
    lower = Competition.objects.filter(slug="kipp-sulsel-2023").select_related("organisation").first()
    if lower is None:
        ctx.log("forwarding: kipp-sulsel-2023 not found; run the kipp seeder first.")
        return
    organisation = _national(ctx)
    organiser = _organiser(ctx, organisation)
    upper = _competition(ctx, organisation)
    _rule(ctx, upper, organiser)
    _nominations(ctx, upper, lower)


def _national(ctx):
    organisation = Organisation.objects.filter(name=NATIONAL_NAME).first()
    if organisation is None:
        organisation = create_organisation(
            actor=None, level=OrganisationLevel.NATIONAL, name=NATIONAL_NAME, slug=NATIONAL_SLUG, **NATIONAL_LETTERHEAD
        )
        ctx.count("organisations")
    return organisation


def _organiser(ctx, organisation):
    """The national organiser, made like kipp/demo.py's organisers: an organiser membership of KemenPANRB."""
    user, created = User.objects.get_or_create(
        email=NATIONAL_ORGANISER,
        defaults={
            "password": make_password(ctx.password),
            "email_verified_at": timezone.now(),
            "full_name": "Rina Anggraeni, S.Sos., M.PA.",
            "position": "Analis Kebijakan, Kedeputian Bidang Pelayanan Publik KemenPANRB",
            "expertise": "Kebijakan pelayanan publik",
            "is_staff": True,
        },
    )
    add_membership(organisation=organisation, user=user, kind=MembershipKind.ORGANISER)
    ctx.count("accounts", created)
    ctx.accounts.append((NATIONAL_ORGANISER, "organiser", f"{user.full_name} ({NATIONAL_NAME})"))
    return user


def _competition(ctx, organisation):
    competition = Competition.objects.filter(slug=NATIONAL_SLUG_2023).first()
    if competition is None:
        today = timezone.localdate()
        competition = create_competition(
            actor=None,
            slug=NATIONAL_SLUG_2023,
            name="KIPP Nasional 2023",
            year=2023,
            organisation=organisation,
            code_prefix="NASIONAL-2023",
            description=DESCRIPTION,
            opens_at=datetime.datetime.combine(today - datetime.timedelta(days=14), datetime.time(8, 0), WITA),
            closes_at=datetime.datetime.combine(today + datetime.timedelta(days=90), datetime.time(23, 59), WITA),
            minimum_age_months=24,
            requires_regional_verification=False,
        )
        ctx.count("competitions")
    return competition


def _rule(ctx, upper, organiser):
    lowers = list(Competition.objects.filter(slug__in=FEEDING_SLUGS))
    rule = FeedingRule.objects.filter(competition=upper).first()
    if rule is not None and set(rule.feeds.values_list("lower_id", flat=True)) >= {c.pk for c in lowers}:
        return rule
    rule = services.configure_feeding(competition=upper, actor=organiser, quota=QUOTA, lowers=lowers)
    ctx.count("forwarding rules")
    return rule


def _nominations(ctx, upper, lower):
    if Nomination.objects.filter(competition=upper, organisation=lower.organisation_id).exists():
        return
    announcement = public_final_announcement(lower)
    nominator = User.objects.filter(email="organiser@demo.kipp.id").first()
    if announcement is None or nominator is None:
        ctx.log("forwarding: the Top 30 of kipp-sulsel-2023 is not public; run the publication seeder first.")
        return
    rows = list(final_list(announcement))
    jeneponto = [r for r in rows if r.title in JENEPONTO_TITLES]
    others = [r for r in rows if r.title not in JENEPONTO_TITLES]
    chosen = (jeneponto + others)[:QUOTA]
    nominations = services.nominate_entries(
        upper=upper, lower=lower, entry_ids=[r.entry_id for r in chosen], actor=nominator, notify=False
    )
    ctx.count("nominations to kipp-nasional-2023", n=len(nominations))
