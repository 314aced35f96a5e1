from django.db import migrations

from kipp.regions import SULAWESI_SELATAN, SULAWESI_SELATAN_REGIONS


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
