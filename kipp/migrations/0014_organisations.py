"""Organisations (issue 13): every competition belongs to one. The data step makes one organisation per organiser
name of the existing competitions (with the competition's province: a provincial organisation; without one: a
national one; its slug the province's, sulawesi-selatan, where free), its letterhead taken from that organiser's latest announcement where there is one (its lines, the
last one as the address when it starts with "Jl."; its place as the city; its signatory), else from the name.
Then Competition.organisation is required and organiser_name, now the organisation's name, goes."""

import django.db.models.deletion
from django.db import migrations, models
from django.utils.text import slugify

import kipp.organisations.models


def _latest_letter(connection, competition_ids):
    """(letterhead, place, signatory_name, signatory_title) of the latest announcement of these competitions, or
    None. Read with SQL: this migration may run before the judging app's tables exist (a fresh database)."""
    if "judging_announcement" not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.letterhead, a.place, a.signatory_name, a.signatory_title FROM judging_announcement a "
            "JOIN judging_round r ON r.id = a.round_id WHERE r.competition_id = ANY(%s) "
            "ORDER BY a.date DESC, a.id DESC LIMIT 1",
            [list(competition_ids)],
        )
        return cursor.fetchone()


def _unique_slug(Organisation, name, province):
    """A province's organiser is at /o/<the province>/ (sulawesi-selatan), another one at its name's slug."""
    if province is not None and not Organisation.objects.filter(slug=slugify(province.name)[:60]).exists():
        return slugify(province.name)[:60]
    base = slugify(name)[:50] or "organisasi"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _letterhead(name, letter):
    if letter is None:
        return {"heading_lines": name.upper(), "signatory_title": f"Kepala {name}"}
    text, place, signatory_name, signatory_title = letter
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    address = lines.pop() if len(lines) > 1 and lines[-1].lower().startswith("jl") else ""
    return {
        "heading_lines": "\n".join(lines),
        "address": address,
        "city": place,
        "signatory_name": signatory_name,
        "signatory_title": signatory_title,
    }


def organisations_of_competitions(apps, schema_editor):
    Competition = apps.get_model("kipp", "Competition")
    Organisation = apps.get_model("kipp", "Organisation")
    Province = apps.get_model("kipp", "Province")
    by_name = {}
    for competition in Competition.objects.order_by("-year", "id"):
        by_name.setdefault(competition.organiser_name.strip(), []).append(competition)
    for name, competitions in by_name.items():
        province_id = next((c.province_id for c in competitions if c.province_id), None)
        letter = _latest_letter(schema_editor.connection, [c.pk for c in competitions])
        province = Province.objects.get(pk=province_id) if province_id else None
        organisation = Organisation.objects.create(
            level="provinsi" if province_id else "nasional",
            province=province,
            name=name[:200],
            slug=_unique_slug(Organisation, name, province),
            **_letterhead(name, letter),
        )
        Competition.objects.filter(pk__in=[c.pk for c in competitions]).update(organisation=organisation)


def organiser_names_back(apps, schema_editor):
    Competition = apps.get_model("kipp", "Competition")
    for competition in Competition.objects.select_related("organisation"):
        competition.organiser_name = competition.organisation.name
        competition.save(update_fields=["organiser_name"])


class Migration(migrations.Migration):
    dependencies = [("kipp", "0013_areas")]

    operations = [
        migrations.CreateModel(
            name="Organisation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "level",
                    models.CharField(
                        choices=[("nasional", "Nasional"), ("provinsi", "Provinsi"), ("kabupaten", "Kabupaten/kota")],
                        max_length=10,
                        verbose_name="tingkat",
                    ),
                ),
                ("name", models.CharField(max_length=200, unique=True, verbose_name="nama")),
                ("slug", models.SlugField(max_length=60, unique=True, verbose_name="slug")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="email")),
                ("phone", models.CharField(blank=True, max_length=40, verbose_name="telepon")),
                ("website", models.URLField(blank=True, verbose_name="situs web")),
                (
                    "logo",
                    models.FileField(
                        blank=True,
                        max_length=300,
                        upload_to=kipp.organisations.models.organisation_logo_upload_to,
                        verbose_name="logo",
                    ),
                ),
                ("logo_content_type", models.CharField(blank=True, max_length=40)),
                ("logo_width", models.PositiveIntegerField(blank=True, null=True)),
                ("logo_height", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "heading_lines",
                    models.TextField(
                        blank=True,
                        help_text="Satu baris per baris kop, misalnya PEMERINTAH PROVINSI ... lalu SEKRETARIAT DAERAH.",
                        max_length=600,
                        verbose_name="baris kop",
                    ),
                ),
                ("address", models.CharField(blank=True, max_length=300, verbose_name="alamat")),
                (
                    "city",
                    models.CharField(
                        blank=True,
                        help_text="Ditulis di depan tanggal pengumuman.",
                        max_length=100,
                        verbose_name="kota tempat surat",
                    ),
                ),
                ("signatory_name", models.CharField(blank=True, max_length=150, verbose_name="nama penanda tangan")),
                (
                    "signatory_title",
                    models.CharField(blank=True, max_length=200, verbose_name="jabatan penanda tangan"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "province",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="organisations",
                        to="kipp.province",
                        verbose_name="provinsi",
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="organisations",
                        to="kipp.region",
                        verbose_name="kabupaten/kota",
                    ),
                ),
            ],
            options={"verbose_name": "organisasi", "verbose_name_plural": "organisasi", "ordering": ["name"]},
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("level", "nasional"), ("province__isnull", True), ("region__isnull", True)),
                    models.Q(("level", "provinsi"), ("province__isnull", False), ("region__isnull", True)),
                    models.Q(("level", "kabupaten"), ("province__isnull", True), ("region__isnull", False)),
                    _connector="OR",
                ),
                name="organisation_level_matches_area",
            ),
        ),
        migrations.AddField(
            model_name="competition",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="competitions",
                to="kipp.organisation",
                verbose_name="penyelenggara",
            ),
        ),
        migrations.RunPython(organisations_of_competitions, organiser_names_back),
        migrations.AlterField(
            model_name="competition",
            name="organisation",
            field=models.ForeignKey(
                help_text="Organisasi yang menyelenggarakan kompetisi ini; kopnya tampil di setiap pengumuman.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="competitions",
                to="kipp.organisation",
                verbose_name="penyelenggara",
            ),
        ),
        migrations.AlterField(
            model_name="competition",
            name="organiser_name",
            field=models.CharField(blank=True, default="", max_length=200, verbose_name="penyelenggara"),
        ),
        migrations.RemoveField(model_name="competition", name="organiser_name"),
    ]
