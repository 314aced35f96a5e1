import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models

# How a typed name is compared with the areas: case, spaces and a leading "Kecamatan"/"Kec." or
# "Desa"/"Kelurahan"/"Kel."/"Ds." left out.
_DISTRICT_TEXT = r"lower(btrim(regexp_replace(regexp_replace(e.kecamatan, '^\s*(kecamatan\s+|kec\.\s*)', '', 'i'), '\s+', ' ', 'g')))"
_VILLAGE_TEXT = (
    r"lower(btrim(regexp_replace(regexp_replace(e.desa, '^\s*(desa\s+|kelurahan\s+|kel\.\s*|ds\.\s*)', '', 'i'),"
    r" '\s+', ' ', 'g')))"
)
# An area lies within the entry's agency's region: in the kabupaten/kota itself, or anywhere in the province
# for an agency of the province.
_WITHIN = "(dr.id = r.id OR (r.kind = 'provinsi' AND dr.province_id = r.province_id))"

MAP_DISTRICTS = f"""
    WITH candidates AS (
        SELECT e.id, d.code
        FROM entries_entry e
        JOIN kipp_agency a ON a.id = e.agency_id
        JOIN kipp_region r ON r.id = a.region_id
        JOIN kipp_district d ON lower(d.name) = {_DISTRICT_TEXT}
        JOIN kipp_region dr ON dr.id = d.region_id
        WHERE e.district_id IS NULL AND e.kecamatan <> '' AND {_WITHIN}
    ), unique_matches AS (SELECT id, min(code) AS code FROM candidates GROUP BY id HAVING count(*) = 1)
    UPDATE entries_entry e SET district_id = u.code, kecamatan = '' FROM unique_matches u WHERE e.id = u.id
"""
MAP_VILLAGES = f"""
    WITH candidates AS (
        SELECT e.id, v.code, v.district_id
        FROM entries_entry e
        JOIN kipp_agency a ON a.id = e.agency_id
        JOIN kipp_region r ON r.id = a.region_id
        JOIN kipp_village v ON lower(v.name) = {_VILLAGE_TEXT}
        JOIN kipp_district d ON d.code = v.district_id
        JOIN kipp_region dr ON dr.id = d.region_id
        WHERE e.village_id IS NULL AND e.desa <> '' AND {_WITHIN}
          AND (e.district_id IS NULL OR v.district_id = e.district_id)
    ), unique_matches AS (
        SELECT id, min(code) AS code, min(district_id) AS district_id FROM candidates GROUP BY id HAVING count(*) = 1
    )
    UPDATE entries_entry e SET village_id = u.code, district_id = u.district_id, desa = '', kecamatan = ''
    FROM unique_matches u WHERE e.id = u.id
"""
UNMAP = """
    UPDATE entries_entry e SET kecamatan = d.name FROM kipp_district d WHERE d.code = e.district_id AND e.kecamatan = '';
    UPDATE entries_entry e SET desa = v.name FROM kipp_village v WHERE v.code = e.village_id AND e.desa = '';
"""
# The kecamatan of an entry lies in its agency's region (a CHECK constraint cannot look at other tables).
TRIGGER = f"""
    CREATE OR REPLACE FUNCTION entries_entry_district_in_region() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NOT EXISTS (
            SELECT 1 FROM kipp_agency a
            JOIN kipp_region r ON r.id = a.region_id
            JOIN kipp_district d ON d.code = NEW.district_id
            JOIN kipp_region dr ON dr.id = d.region_id
            WHERE a.id = NEW.agency_id AND {_WITHIN}
        ) THEN
            RAISE EXCEPTION 'kecamatan % is not in the region of agency %', NEW.district_id, NEW.agency_id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'entry_district_in_region';
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER entry_district_in_region BEFORE INSERT OR UPDATE OF district_id, agency_id ON entries_entry
        FOR EACH ROW WHEN (NEW.district_id IS NOT NULL) EXECUTE FUNCTION entries_entry_district_in_region();
"""
DROP_TRIGGER = """
    DROP TRIGGER IF EXISTS entry_district_in_region ON entries_entry;
    DROP FUNCTION IF EXISTS entries_entry_district_in_region();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("entries", "0007_past_winner_decisions"),
        ("kipp", "0013_areas"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="district",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="kipp.district",
                verbose_name="kecamatan",
            ),
        ),
        migrations.AddField(
            model_name="entry",
            name="village",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="kipp.village",
                verbose_name="desa/kelurahan",
            ),
        ),
        migrations.AlterField(
            model_name="entry",
            name="desa",
            field=models.CharField(blank=True, max_length=100, verbose_name="desa/kelurahan (teks lama)"),
        ),
        migrations.AlterField(
            model_name="entry",
            name="kecamatan",
            field=models.CharField(blank=True, max_length=100, verbose_name="kecamatan (teks lama)"),
        ),
        migrations.AddConstraint(
            model_name="entry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("village__isnull", True),
                    models.Q(
                        models.Q(("district__isnull", False)),
                        django.db.models.lookups.Exact(
                            django.db.models.functions.text.Left(
                                "village_id", django.db.models.functions.text.Length("district_id")
                            ),
                            models.F("district_id"),
                        ),
                    ),
                    _connector="OR",
                ),
                name="entry_village_in_district",
            ),
        ),
        # the mapping's updates leave deferred foreign-key events pending; fire them now, or the indexes this
        # migration creates at its end are refused ("pending trigger events") on a database that has entries
        migrations.RunSQL([MAP_DISTRICTS, MAP_VILLAGES, "SET CONSTRAINTS ALL IMMEDIATE"], UNMAP),
        migrations.RunSQL(TRIGGER, DROP_TRIGGER),
    ]
