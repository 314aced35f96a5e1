import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

from kipp.areas.loading import load_areas


def load(apps, schema_editor):
    """All of Indonesia's areas from the vendored idn-area-data CSV files (kipp/areas/data/): 38 provinces,
    514 kabupaten/kota, 7,285 kecamatan and 83,762 desa/kelurahan. Existing rows keep their primary key."""
    load_areas(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("kipp", "0012_past_winner_rule"),
    ]

    operations = [
        migrations.AlterField(
            model_name="province",
            name="code",
            field=models.CharField(max_length=8, unique=True, verbose_name="kode wilayah"),
        ),
        migrations.AlterField(
            model_name="region",
            name="code",
            field=models.CharField(max_length=8, unique=True, verbose_name="kode wilayah"),
        ),
        migrations.CreateModel(
            name="District",
            fields=[
                (
                    "code",
                    models.CharField(max_length=8, primary_key=True, serialize=False, verbose_name="kode wilayah"),
                ),
                ("name", models.CharField(max_length=120, verbose_name="nama")),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="districts",
                        to="kipp.region",
                        verbose_name="kabupaten/kota",
                    ),
                ),
            ],
            options={
                "verbose_name": "kecamatan",
                "verbose_name_plural": "kecamatan",
                "ordering": ["code"],
            },
        ),
        migrations.CreateModel(
            name="Village",
            fields=[
                (
                    "code",
                    models.CharField(max_length=13, primary_key=True, serialize=False, verbose_name="kode wilayah"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("kelurahan", "Kelurahan"), ("desa", "Desa"), ("desa_adat", "Desa adat")],
                        max_length=10,
                        verbose_name="jenis",
                    ),
                ),
                ("name", models.CharField(max_length=120, verbose_name="nama")),
                (
                    "district",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="villages",
                        to="kipp.district",
                        verbose_name="kecamatan",
                    ),
                ),
            ],
            options={
                "verbose_name": "desa/kelurahan",
                "verbose_name_plural": "desa/kelurahan",
                "ordering": ["code"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["kelurahan", "desa", "desa_adat"])), name="village_kind_valid"
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.Exact(
                            django.db.models.functions.text.Left(
                                "code", django.db.models.functions.text.Length("district_id")
                            ),
                            models.F("district_id"),
                        ),
                        name="village_code_in_district",
                    ),
                ],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
    ]
