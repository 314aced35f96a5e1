"""The edit page as a browser uses it: what the page shows is posted back as it is ("save, reload, save"), uploads
and removals go through the same form, the checklist of what is missing, indicator values that cannot be."""

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from entries import services
from entries.enums import IndicatorKind
from entries.models import Attachment, ImpactIndicator, ProposalAnswer, TeamMember
from tests.entries.conftest import make_complete, minimal_pdf, png_bytes, upload


class _FormFields(HTMLParser):
    """The name=value pairs a browser would submit from <form id="entry-form"> (no button, no file)."""

    def __init__(self):
        super().__init__()
        self.inside, self.data, self._textarea, self._select = False, {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "entry-form":
            self.inside = True
        if not self.inside or not attrs.get("name") and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("file", "submit"):
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.data[attrs["name"]] = attrs.get("value", "on")
            else:
                self.data[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
            self.data.setdefault(self._select, None)
        elif tag == "option" and self._select and (self.data[self._select] is None or "selected" in attrs):
            self.data[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.removeprefix("\n") if not self.data[self._textarea] else data


def page_fields(client, entry):
    response = client.get(reverse("entries:edit", args=[entry.pk]))
    assert response.status_code == 200
    parser = _FormFields()
    parser.feed(response.content.decode())
    return {name: value for name, value in parser.data.items() if value is not None}


def save(client, entry, data, **extra):
    return client.post(reverse("entries:edit", args=[entry.pk]), {**data, "save": "", **extra})


@pytest.fixture
def filled(client, entry, innovator):
    """A draft saved once through the page with one team member and one indicator."""
    client.force_login(innovator)
    data = page_fields(client, entry)
    data.update(
        {
            "team-0-name": "Dr. Suhaedir Bahtiar",
            "team-0-position": "Kepala UPT SMPN 2 Rumbia",
            "indicators-0-name": "Angka putus sekolah",
            "indicators-0-kind": "percent",
            "indicators-0-unit": "%",
            "indicators-0-direction": "lower",
            "indicators-0-baseline_value": "34.5",
            "indicators-0-baseline_on": "2019-07-01",
            "indicators-0-latest_value": "12",
            "indicators-0-latest_on": "2022-07-01",
        }
    )
    assert save(client, entry, data).status_code == 302
    assert (entry.team_members.count(), entry.indicators.count()) == (1, 1)
    return entry


# 1. saved rows are kept ------------------------------------------------------------------------------


def test_save_reload_save_keeps_team_member_and_indicator(client, filled):
    for _ in range(2):
        response = save(client, filled, page_fields(client, filled))
        assert response.status_code == 302
    assert list(TeamMember.objects.filter(entry=filled).values_list("name", flat=True)) == ["Dr. Suhaedir Bahtiar"]
    indicator = ImpactIndicator.objects.get(entry=filled)
    assert (indicator.name, indicator.kind, indicator.baseline_value) == (
        "Angka putus sekolah",
        "percent",
        Decimal("34.5"),
    )
    detail = client.get(reverse("entries:detail", args=[filled.pk])).content.decode()
    assert "Dr. Suhaedir Bahtiar" in detail and "Angka putus sekolah" in detail


def test_a_saved_row_is_removed_only_with_its_delete_box(client, filled):
    data = page_fields(client, filled)
    data["team-0-position"] = "Kepala Sekolah"  # a changed row is kept with its change
    assert save(client, filled, data).status_code == 302
    assert TeamMember.objects.get(entry=filled).position == "Kepala Sekolah"
    data = page_fields(client, filled)
    data["indicators-0-DELETE"] = "on"
    assert save(client, filled, data).status_code == 302
    assert (filled.team_members.count(), filled.indicators.count()) == (1, 0)


# 12. values shown as the user's locale expects ------------------------------------------------------


def test_indicator_values_shown_without_trailing_zeros_in_the_locale(client, filled):
    data = page_fields(client, filled)
    assert data["indicators-0-baseline_value"] == "34,5"  # Indonesian decimal comma, not "34.5000"
    assert data["indicators-0-latest_value"] == "12"
    client.cookies["django_language"] = "en"
    response = client.get(reverse("entries:edit", args=[filled.pk]), headers={"accept-language": "en"})
    assert 'value="34.5"' in response.content.decode()


def test_decimal_comma_and_point_are_both_read(client, filled):
    data = page_fields(client, filled)
    data["indicators-0-latest_value"] = "12,25"
    assert save(client, filled, data).status_code == 302
    assert ImpactIndicator.objects.get(entry=filled).latest_value == Decimal("12.25")


# 6. impossible values -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("count", "23,69", "bilangan bulat"),
        ("count", "-3", "bilangan bulat"),
        ("percent", "111.54", "antara 0 dan 100"),
        ("percent", "-1", "antara 0 dan 100"),
    ],
)
def test_impossible_indicator_values_are_refused_and_kept_in_the_form(client, filled, kind, value, message):
    data = page_fields(client, filled)
    data.update({"indicators-0-kind": kind, "indicators-0-latest_value": value})
    response = save(client, filled, data)
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert f'value="{value}"' in page  # what was typed is still there
    indicator = ImpactIndicator.objects.get(entry=filled)
    assert (indicator.kind, indicator.latest_value) == ("percent", Decimal("12"))


def test_whole_people_counts_and_percentages_within_range_are_accepted(client, filled):
    data = page_fields(client, filled)
    data.update({"indicators-0-kind": "count", "indicators-0-baseline_value": "24", "indicators-0-latest_value": "0"})
    assert save(client, filled, data).status_code == 302
    assert ImpactIndicator.objects.get(entry=filled).kind == IndicatorKind.COUNT


def test_service_refuses_impossible_values(entry, innovator):
    row = {
        "name": "Siswa kembali bersekolah",
        "kind": "count",
        "unit": "orang",
        "direction": "higher",
        "baseline_value": Decimal("0"),
        "baseline_on": "2019-07-01",
        "latest_value": Decimal("23.69"),
        "latest_on": "2022-07-01",
    }
    with pytest.raises(ValidationError, match="bilangan bulat"):
        services.save_draft(entry=entry, user=innovator, version=entry.version, indicators=[row])
    assert entry.indicators.count() == 0


@pytest.mark.parametrize(("kind", "value"), [("count", "23.69"), ("percent", "111.54")])
def test_database_refuses_impossible_values(entry, kind, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        ImpactIndicator.objects.create(
            entry=entry,
            name="x",
            kind=kind,
            baseline_value=Decimal("1"),
            baseline_on="2020-01-01",
            latest_value=Decimal(value),
            latest_on="2021-01-01",
        )


# 2. an upload saves what was typed with it -----------------------------------------------------------


def test_upload_saves_the_typed_text_with_it(client, filled, media_root):
    section = filled.competition.sections.first()
    data = page_fields(client, filled)
    data[f"answers-section_{section.pk}"] = "Teks yang baru diketik."
    data.update({"kind": "photo", "file": upload("foto.png", png_bytes()), "upload": ""})
    response = client.post(reverse("entries:edit", args=[filled.pk]), data)
    assert response.status_code == 302
    assert ProposalAnswer.objects.get(entry=filled, section=section).text == "Teks yang baru diketik."
    assert filled.attachments.get().kind == "photo"
    assert (filled.team_members.count(), filled.indicators.count()) == (1, 1)


def test_failed_upload_changes_nothing_and_keeps_the_typed_text(client, filled, media_root):
    section = filled.competition.sections.first()
    version = type(filled).objects.get(pk=filled.pk).version
    data = page_fields(client, filled)
    data[f"answers-section_{section.pk}"] = "Teks yang baru diketik."
    data.update({"kind": "photo", "file": upload("foto.jpg", b"not an image"), "upload": ""})
    response = client.post(reverse("entries:edit", args=[filled.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200 and "bukan gambar" in page and "Teks yang baru diketik." in page
    assert type(filled).objects.get(pk=filled.pk).version == version
    assert not ProposalAnswer.objects.filter(entry=filled, text="Teks yang baru diketik.").exists()
    assert not Attachment.objects.filter(entry=filled).exists()


def test_removing_an_attachment_saves_the_typed_text_too(client, filled, media_root):
    attachment = services.add_attachment(
        entry=filled, user=filled.created_by, kind="decree", uploaded=upload("sk.pdf", minimal_pdf())
    )
    section = filled.competition.sections.first()
    data = page_fields(client, filled)
    data[f"answers-section_{section.pk}"] = "Teks yang baru diketik."
    response = client.post(reverse("entries:edit", args=[filled.pk]), {**data, "remove_attachment": attachment.pk})
    assert response.status_code == 302
    assert ProposalAnswer.objects.get(entry=filled, section=section).text == "Teks yang baru diketik."
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


# 8. what is required, while editing ------------------------------------------------------------------


def test_edit_page_says_what_is_required_and_what_is_missing(client, filled, media_root):
    page = client.get(reverse("entries:edit", args=[filled.pk])).content.decode()
    assert "Wajib untuk pengajuan: minimal satu foto kegiatan dan SK inovator" in page
    assert "10,0\xa0MB per berkas" in page
    assert "Unggah SK inovator." in page and "Unggah minimal satu foto kegiatan inovasi." in page
    make_complete(filled, media_root)
    page = client.get(reverse("entries:edit", args=[filled.pk])).content.decode()
    assert "Unggah SK inovator." not in page and "Lengkap: proposal siap diajukan." in page


# 12. the entry header: no separator without something on both sides --------------------------------


def _header_text(client, entry):
    page = client.get(reverse("entries:detail", args=[entry.pk])).content.decode()
    header = re.search(r'<p id="entry-header">(.*?)</p>', page, re.S)
    assert header, "the entry page has its header line"
    return " ".join(re.sub(r"<[^>]+>", " ", header.group(1)).split())


def test_entry_header_has_no_stray_separator(client, entry, innovator):
    client.force_login(innovator)
    text = _header_text(client, entry)
    assert text == f"Draf {entry.code} · {entry.competition}"
    assert not re.search(r"(^|·)\s*(·|$)", text) and not re.search(r"(Draf)\s*·", text)


def test_migration_maps_free_text_units_where_the_values_fit():
    import importlib

    migration = importlib.import_module("entries.migrations.0005_indicator_kind")
    d = Decimal
    assert migration._kind("%", [d("7.8"), d("1.2")]) == "percent"
    assert migration._kind("persen", [d("0"), d("100")]) == "percent"
    assert migration._kind("%", [d("80"), d("111.54")]) == "measure"  # impossible as a share: left as it was
    assert migration._kind("orang", [d("0"), d("23")]) == "count"
    assert migration._kind("kasus/tahun", [d("41"), d("17")]) == "count"
    assert migration._kind("orang", [d("20"), d("23.69")]) == "measure"
    assert migration._kind("menit", [d("180"), d("35")]) == "measure"
    assert migration._kind("", [d("1"), d("2")]) == "measure"


def test_upload_with_a_stale_version_saves_nothing_and_keeps_the_typed_text(client, filled, media_root):
    section = filled.competition.sections.first()
    data = page_fields(client, filled)
    services.save_draft(entry=filled, user=filled.created_by, version=int(data["version"]))  # someone else saved
    data[f"answers-section_{section.pk}"] = "Teks yang baru diketik."
    data.update({"kind": "photo", "file": upload("foto.png", png_bytes()), "upload": ""})
    response = client.post(reverse("entries:edit", args=[filled.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200 and "Orang lain telah menyimpan" in page and "Teks yang baru diketik." in page
    assert not Attachment.objects.filter(entry=filled).exists()
    assert not ProposalAnswer.objects.filter(entry=filled, text="Teks yang baru diketik.").exists()


# tampered or odd posts (found by an attacker after the fix) ------------------------------------------


@pytest.mark.parametrize(
    "tamper",
    [
        {"team-INITIAL_FORMS": "0"},
        {"team-TOTAL_FORMS": "0"},
        {"indicators-TOTAL_FORMS": "0"},
        {"indicators-INITIAL_FORMS": "0", "indicators-TOTAL_FORMS": "0"},
    ],
)
def test_a_management_form_missing_saved_rows_is_refused_and_keeps_them(client, filled, tamper):
    data = {**page_fields(client, filled), **tamper}
    response = save(client, filled, data)
    assert response.status_code == 200
    assert "baris tersimpan hilang" in response.content.decode()
    assert (filled.team_members.count(), filled.indicators.count()) == (1, 1)


@pytest.mark.parametrize(
    "odd",
    [{"version": "²"}, {"remove_attachment": "²"}, {"indicators-0-latest_value": "sNaN"}],
)
def test_odd_numbers_are_refused_without_an_error_page(client, filled, odd):
    before = filled.indicators.get().latest_value
    response = save(client, filled, {**page_fields(client, filled), **odd})
    assert response.status_code in (200, 302)
    assert filled.indicators.get().latest_value == before
