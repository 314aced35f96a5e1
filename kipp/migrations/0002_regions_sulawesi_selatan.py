from django.db import migrations

# The first regions of the portal, frozen here (kipp/areas/loading.py loads all of Indonesia's in 0013; it gives
# Maros, Pangkajene dan Kepulauan, Barru and Bone their Kemendagri codes).
SULAWESI_SELATAN = ("73", "Sulawesi Selatan")

# (code, kind, name): the province itself (for provincial agencies), 21 kabupaten and 3 kota.
SULAWESI_SELATAN_REGIONS = [
    ("73", "provinsi", "Sulawesi Selatan"),
    ("73.01", "kabupaten", "Kepulauan Selayar"),
    ("73.02", "kabupaten", "Bulukumba"),
    ("73.03", "kabupaten", "Bantaeng"),
    ("73.04", "kabupaten", "Jeneponto"),
    ("73.05", "kabupaten", "Takalar"),
    ("73.06", "kabupaten", "Gowa"),
    ("73.07", "kabupaten", "Sinjai"),
    ("73.08", "kabupaten", "Maros"),
    ("73.09", "kabupaten", "Pangkajene dan Kepulauan"),
    ("73.10", "kabupaten", "Barru"),
    ("73.11", "kabupaten", "Bone"),
    ("73.12", "kabupaten", "Soppeng"),
    ("73.13", "kabupaten", "Wajo"),
    ("73.14", "kabupaten", "Sidenreng Rappang"),
    ("73.15", "kabupaten", "Pinrang"),
    ("73.16", "kabupaten", "Enrekang"),
    ("73.17", "kabupaten", "Luwu"),
    ("73.18", "kabupaten", "Tana Toraja"),
    ("73.22", "kabupaten", "Luwu Utara"),
    ("73.24", "kabupaten", "Luwu Timur"),
    ("73.26", "kabupaten", "Toraja Utara"),
    ("73.71", "kota", "Makassar"),
    ("73.72", "kota", "Parepare"),
    ("73.73", "kota", "Palopo"),
]


def load(apps, schema_editor):
    Province = apps.get_model("kipp", "Province")
    Region = apps.get_model("kipp", "Region")
    code, name = SULAWESI_SELATAN
    province, _ = Province.objects.get_or_create(code=code, defaults={"name": name})
    for region_code, kind, region_name in SULAWESI_SELATAN_REGIONS:
        Region.objects.get_or_create(
            code=region_code, defaults={"province": province, "kind": kind, "name": region_name}
        )


def unload(apps, schema_editor):
    Region = apps.get_model("kipp", "Region")
    Region.objects.filter(code__in=[code for code, _, _ in SULAWESI_SELATAN_REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("kipp", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
