"""Loading Indonesia's areas from the vendored CSV files (data/README.md) into the tables of kipp.Province,
kipp.Region, District and Village, with PostgreSQL COPY into temporary tables and one INSERT ... SELECT per table.

Used by migration kipp 0013_areas and by `ensure_areas` (the test set-up). The statements work on the tables as
0013 leaves them: a later migration that changes these tables gives its own copy of this loader to its data
migration. Loading is idempotent: existing rows keep their primary key and their name, new rows are added,
nothing is deleted.

How the CSV rows become rows:
- a province also becomes a Region of kind "provinsi" with the province's code (for provincial agencies);
- "Kabupaten Jeneponto" becomes Region(kind="kabupaten", name="Jeneponto"), "Kota Makassar" kind "kota";
- an existing Region of the same province, kind and name keeps its row and takes the official code (the first
  regions of this portal used codes that differ from Kemendagri's for four kabupaten: Maros, Pangkajene dan
  Kepulauan, Barru and Bone);
- a village's kind is the first digit of its code's last part: 1 kelurahan, 2 desa, 3 desa adat (whose
  "Desa Adat " prefix moves from the name into the kind).
"""

import pathlib

from django.db import DEFAULT_DB_ALIAS, connections, transaction

DATA = pathlib.Path(__file__).resolve().parent / "data"
SOURCE = "idn-area-data 4.0.1"
# What the vendored files hold (tests/kipp/test_areas.py checks the tables against these).
EXPECTED = {"provinces": 38, "regencies": 514, "districts": 7285, "villages": 83762}

_STAGING = [
    ("areas_provinces", "provinces.csv", "code text PRIMARY KEY, name text NOT NULL"),
    ("areas_regencies", "regencies.csv", "code text PRIMARY KEY, province_code text NOT NULL, name text NOT NULL"),
    ("areas_districts", "districts.csv", "code text PRIMARY KEY, regency_code text NOT NULL, name text NOT NULL"),
    ("areas_villages", "villages.csv", "code text PRIMARY KEY, district_code text NOT NULL, name text NOT NULL"),
]

_REGENCY_KIND = "CASE WHEN s.name LIKE 'Kabupaten %' THEN 'kabupaten' WHEN s.name LIKE 'Kota %' THEN 'kota' END"
_REGENCY_NAME = "regexp_replace(s.name, '^(Kabupaten|Kota) ', '')"
_VILLAGE_DIGIT = "substr(s.code, length(s.district_code) + 2, 1)"

_STATEMENTS = [
    "INSERT INTO kipp_province (code, name) SELECT code, name FROM areas_provinces ON CONFLICT DO NOTHING",
    """INSERT INTO kipp_region (province_id, code, kind, name)
       SELECT p.id, p.code, 'provinsi', p.name FROM kipp_province p JOIN areas_provinces s ON s.code = p.code
       ON CONFLICT DO NOTHING""",
    # Regions of this portal that already exist under another code: set aside, then given the official code.
    f"""UPDATE kipp_region r SET code = '~' || r.code
        FROM areas_regencies s JOIN kipp_province p ON p.code = s.province_code
        WHERE r.province_id = p.id AND r.kind = {_REGENCY_KIND} AND r.name = {_REGENCY_NAME}
          AND r.code <> s.code""",  # noqa: S608 - constant fragments, no input
    f"""UPDATE kipp_region r SET code = s.code
        FROM areas_regencies s JOIN kipp_province p ON p.code = s.province_code
        WHERE r.province_id = p.id AND r.kind = {_REGENCY_KIND} AND r.name = {_REGENCY_NAME}
          AND r.code LIKE '~%'""",  # noqa: S608 - constant fragments, no input
    f"""INSERT INTO kipp_region (province_id, code, kind, name)
        SELECT p.id, s.code, {_REGENCY_KIND}, {_REGENCY_NAME}
        FROM areas_regencies s JOIN kipp_province p ON p.code = s.province_code
        ON CONFLICT DO NOTHING""",  # noqa: S608 - constant fragments, no input
    """INSERT INTO kipp_district (code, region_id, name)
       SELECT s.code, r.id, s.name FROM areas_districts s JOIN kipp_region r ON r.code = s.regency_code
       ON CONFLICT DO NOTHING""",
    f"""INSERT INTO kipp_village (code, district_id, kind, name)
        SELECT s.code, s.district_code,
               CASE {_VILLAGE_DIGIT} WHEN '1' THEN 'kelurahan' WHEN '2' THEN 'desa' WHEN '3' THEN 'desa_adat' END,
               CASE {_VILLAGE_DIGIT} WHEN '3' THEN regexp_replace(s.name, '^Desa Adat ', '') ELSE s.name END
        FROM areas_villages s
        ON CONFLICT DO NOTHING""",  # noqa: S608 - constant fragments, no input
]

# Every code of the files must be in the tables afterwards (a row skipped by ON CONFLICT because another row
# holds its name, or a region without a province, fails the load instead of going missing).
_MISSING = " + ".join(
    f"(SELECT count(*) FROM {staging} s WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.code = s.code))"  # noqa: S608
    for staging, table in [
        ("areas_provinces", "kipp_province"),
        ("areas_regencies", "kipp_region"),
        ("areas_districts", "kipp_district"),
        ("areas_villages", "kipp_village"),
    ]
)


class AreasNotLoaded(Exception):
    pass


def load_areas(using=DEFAULT_DB_ALIAS):
    """Load (or complete) the four tables from the CSV files. Returns the number of rows of the files."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for table, filename, columns in _STAGING:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(f"CREATE TEMPORARY TABLE {table} ({columns})")
            with (
                (DATA / filename).open("rb") as source,
                cursor.copy(f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')") as copy,
            ):
                copy.write(source.read())
        for statement in _STATEMENTS:
            cursor.execute(statement)
        cursor.execute(f"SELECT {_MISSING}")  # noqa: S608 - constant
        missing = cursor.fetchone()[0]
        if missing:
            raise AreasNotLoaded(f"{missing} areas of {SOURCE} could not be loaded (a name or code clashes)")
        cursor.execute(
            "SELECT (SELECT count(*) FROM areas_provinces) + (SELECT count(*) FROM areas_regencies)"
            " + (SELECT count(*) FROM areas_districts) + (SELECT count(*) FROM areas_villages)"
        )
        rows = cursor.fetchone()[0]
        for table, _filename, _columns in _STAGING:
            cursor.execute(f"DROP TABLE {table}")
    return rows


def areas_loaded(using=DEFAULT_DB_ALIAS):
    """Whether the tables hold at least the rows of the files (one query of four counts)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM kipp_province), (SELECT count(*) FROM kipp_region WHERE kind <> 'provinsi'),"
            " (SELECT count(*) FROM kipp_district), (SELECT count(*) FROM kipp_village)"
        )
        counts = cursor.fetchone()
    return all(count >= expected for count, expected in zip(counts, EXPECTED.values(), strict=True))


def ensure_areas(using=DEFAULT_DB_ALIAS):
    """Load the areas if they are missing (idempotent). Migration 0013 loads them; the flush command keeps them
    (kipp/management/commands/flush.py); this puts them back in a database emptied some other way."""
    if areas_loaded(using):
        return False
    load_areas(using)
    return True
