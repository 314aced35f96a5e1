"""Indonesia's areas (kipp/areas): what the migration loaded, that loading again changes nothing, that the first
regions kept their rows, that flush keeps the areas, and that no product module names a province."""

import ast
import pathlib
import re

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Count, Value
from django.db.models.functions import Concat

from kipp.areas.loading import DATA, EXPECTED, load_areas
from kipp.models import Agency, District, Province, Region, Village
from tests.factories import AgencyFactory, region

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_the_tables_hold_all_of_indonesias_areas():
    assert Province.objects.count() == EXPECTED["provinces"] == 38
    assert Region.objects.filter(kind__in=["kabupaten", "kota"]).count() == EXPECTED["regencies"] == 514
    assert Region.objects.filter(kind="kabupaten").count() == 416 and Region.objects.filter(kind="kota").count() == 98
    assert Region.objects.filter(kind="provinsi").count() == 38  # one per province, for provincial agencies
    assert District.objects.count() == EXPECTED["districts"] == 7285
    assert Village.objects.count() == EXPECTED["villages"] == 83762
    kinds = dict(Village.objects.values_list("kind").annotate(n=Count("pk")).order_by())
    assert kinds == {"kelurahan": 8496, "desa": 75252, "desa_adat": 14}
    tompobulu = Village.objects.select_related("district__region__province").get(code="73.04.10.2006")
    assert (tompobulu.kind, tompobulu.name, tompobulu.district.name) == ("desa", "Tompobulu", "Rumbia")
    assert tompobulu.district.region.full_name == "Kabupaten Jeneponto"
    assert tompobulu.district.region.province.name == "Sulawesi Selatan"
    assert Village.objects.get(code="91.03.01.3007").name == "Yoboi"  # "Desa Adat Yoboi": the kind left the name
    assert Region.objects.get(code="35.78").full_name == "Kota Surabaya"


def test_jeneponto_is_7304_and_still_the_row_of_the_first_regions():
    """The first 25 regions (migration 0002) came before the rest of Indonesia (0013): their rows kept their ids;
    the four whose codes differed from Kemendagri's took the official codes."""
    jeneponto = region("73.04")
    first_other = Region.objects.exclude(province__code="73").order_by("id").first()
    assert jeneponto.name == "Jeneponto" and jeneponto.id < first_other.id
    sulsel = dict(Region.objects.filter(province__code="73").values_list("code", "name"))
    assert (sulsel["73.08"], sulsel["73.09"], sulsel["73.10"], sulsel["73.11"]) == (
        "Bone",
        "Maros",
        "Pangkajene dan Kepulauan",
        "Barru",
    )
    assert max(Region.objects.filter(province__code="73").values_list("id", flat=True)) < first_other.id


def test_loading_again_changes_nothing_and_moves_old_codes_onto_their_rows():
    maros, bone = Region.objects.get(code="73.09"), Region.objects.get(code="73.08")
    agency = AgencyFactory(region=maros, name="Dinas Kesehatan Kabupaten Maros")
    # as a database loaded before the areas: Maros under 73.08, Bone under 73.11, Barru under 73.10, Pangkep 73.09
    old = {"Maros": "73.08", "Pangkajene dan Kepulauan": "73.09", "Barru": "73.10", "Bone": "73.11"}
    Region.objects.filter(province__code="73", name__in=old).update(code=Concat(Value("x"), "code"))
    for name, code in old.items():
        Region.objects.filter(province__code="73", name=name).update(code=code)
    ids = dict(Region.objects.values_list("code", "id"))
    assert load_areas() == 38 + 514 + 7285 + 83762
    assert Region.objects.count() == 38 + 514 and Village.objects.count() == 83762 and District.objects.count() == 7285
    assert Region.objects.get(code="73.09").pk == maros.pk and Region.objects.get(code="73.08").pk == bone.pk
    assert Agency.objects.get(pk=agency.pk).region.code == "73.09"
    assert dict(Region.objects.exclude(province__code="73").values_list("code", "id")) == {
        code: pk for code, pk in ids.items() if not code.startswith("73")
    }
    assert load_areas() == 38 + 514 + 7285 + 83762 and Village.objects.count() == 83762


def test_a_village_code_lies_in_its_district():
    with pytest.raises(IntegrityError, match="village_code_in_district"), transaction.atomic():
        Village.objects.create(code="73.04.10.2999", district_id="73.04.03", kind="desa", name="Salah")


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_portal_but_keeps_the_areas():
    AgencyFactory(region=region("73.04"), name="Dinas Uji Flush")
    call_command("flush", interactive=False, verbosity=0)
    assert not Agency.objects.exists()
    assert Village.objects.count() == 83762 and Region.objects.get(code="73.04").name == "Jeneponto"


def test_the_vendored_files_carry_the_licence_and_their_readme():
    assert (DATA / "LICENSE.md").read_text().startswith("# Open Database License (ODbL)")
    assert "idn-area-data 4.0.1" in (DATA / "README.md").read_text()
    assert "Contains data from idn-area-data 4.0.1 (ODbL)" in (ROOT / "README.md").read_text()


def _string_constants(tree):
    """String literals of a module, without its docstrings."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.value


def test_no_product_module_names_a_province():
    """The areas are data (kipp/areas/data); only demo data, benchmark data, migrations and tests name one."""
    names = [line.split(",", 1)[1].strip() for line in (DATA / "provinces.csv").read_text().splitlines()[1:]]
    pattern = re.compile(r"\b(" + "|".join(re.escape(name) for name in names) + r")\b")
    found = []
    for package in ("kipp", "entries", "judging"):
        for path in (ROOT / package).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or "demo" in relative:
                continue
            for text in _string_constants(ast.parse(path.read_text())):
                found += [f"{relative}: {match}" for match in pattern.findall(text)]
    assert found == []
