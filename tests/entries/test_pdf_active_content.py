"""PDF active content is found by walking the parsed file, not by looking for bytes (issue 17, finding 3).

Each PDF is built here with pypdf (or reportlab): names written with # escapes (/J#61vaScript, /L#61unch), actions
in an annotation's /AA, an outline item's /A, a form field's /A and /AA (under /Kids), a JavaScript name tree, an
embedded file, a RichMedia annotation, a Launch at the end of a /Next chain. Each is refused with the message
and the entry's attachments stay as they were; a plain PDF, a view-only /OpenAction and a /URI link pass.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from entries import services
from entries.models import Attachment
from tests.entries.conftest import minimal_pdf, upload

ACTIVE = "berisi JavaScript atau aksi otomatis"
EMBEDDED = "memuat berkas lain di dalamnya"
BROKEN = "bukan PDF yang sah"


# Building PDFs ------------------------------------------------------------------------------------------------


def name(value):
    return NameObject(value)


def dictionary(**entries):
    """DictionaryObject(S="/URI") -> << /S /URI >>; str values starting with / are names, other str are text."""
    result = DictionaryObject()
    for key, value in entries.items():
        if isinstance(value, str):
            value = NameObject(value) if value.startswith("/") else TextStringObject(value)
        result[NameObject("/" + key)] = value
    return result


def rect():
    return ArrayObject([FloatObject(10), FloatObject(10), FloatObject(90), FloatObject(40)])


# Names as an attacker writes them: with # escapes, so that the plain bytes /JavaScript, /JS and /Launch appear
# nowhere in the file. The helpers write same-length placeholders, then build() rewrites them in the bytes (the
# cross-reference offsets stay right, and the file reads as if its producer had written the escapes).
ESCAPES = {"/JJJJJJJJJJJJ": "/J#61vaScript", "/KKKK": "/J#53", "/LLLLLLLL": "/L#61unch"}
JAVASCRIPT, JS, LAUNCH = ESCAPES


def javascript():
    action = dictionary(S=JAVASCRIPT)
    action[name(JS)] = TextStringObject("app.alert('x')")
    return action


def launch():
    return dictionary(S=LAUNCH, F="calc.exe")


def build(mutate=None):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if mutate:
        mutate(writer)
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    for spelled, escaped in ESCAPES.items():
        assert len(spelled) == len(escaped)
        data = data.replace(spelled.encode(), escaped.encode())
    assert b"/JavaScript" not in data and b"/JS" not in data and b"/Launch" not in data
    return data


def add_annotation(writer, annotation):
    page = writer.pages[0]
    if "/Annots" not in page:
        page[name("/Annots")] = ArrayObject()
    ref = writer._add_object(annotation)
    page["/Annots"].append(ref)
    return ref


# Refused --------------------------------------------------------------------------------------------------------


def escaped_javascript_open_action():
    """<< /S /J#61vaScript /J#53 (...) >>: neither name appears as plain bytes anywhere in the file."""
    return build(lambda writer: writer._root_object.__setitem__(name("/OpenAction"), writer._add_object(javascript())))


def escaped_javascript_without_js_key():
    """Only the action type says JavaScript (/S /J#61vaScript): the name is decoded before it is compared."""
    action = dictionary(S=JAVASCRIPT)
    return build(lambda writer: writer._root_object.__setitem__(name("/OpenAction"), writer._add_object(action)))


def escaped_launch():
    return build(lambda writer: writer._root_object.__setitem__(name("/OpenAction"), writer._add_object(launch())))


def annotation_aa():
    """A link annotation whose additional actions (/AA /E: the pointer enters it) launch a program."""

    def mutate(writer):
        add_annotation(
            writer,
            dictionary(Type="/Annot", Subtype="/Link", Rect=rect(), AA=dictionary(E=writer._add_object(launch()))),
        )

    return build(mutate)


def outline_item_action():
    def mutate(writer):
        writer.add_outline_item(title="Bab 1", page_number=0)
        item = writer.add_outline_item(title="Bab 2", page_number=0).get_object()
        item[name("/A")] = writer._add_object(javascript())

    return build(mutate)


def form_field_aa():
    """An AcroForm field with a child widget (/Kids): the field's /AA /C (calculate) and the widget's /AA /K
    (keystroke) run JavaScript."""

    def mutate(writer):
        on_key = dictionary(K=writer._add_object(javascript()))
        kid = dictionary(Type="/Annot", Subtype="/Widget", Rect=rect(), AA=on_key)
        kid_ref = add_annotation(writer, kid)
        field = dictionary(FT="/Tx", T="nama", Kids=ArrayObject([kid_ref]), AA=dictionary(C=javascript()))
        parent_ref = writer._add_object(field)
        kid[name("/Parent")] = parent_ref
        writer._root_object[name("/AcroForm")] = dictionary(Fields=ArrayObject([parent_ref]))

    return build(mutate)


def form_field_action(action):
    """A button whose /A is `action`, under a parent field's /Kids."""

    def mutate(writer):
        widget = dictionary(FT="/Btn", T="kirim", Type="/Annot", Subtype="/Widget", Rect=rect(), A=action)
        widget_ref = add_annotation(writer, widget)
        parent_ref = writer._add_object(dictionary(T="formulir", Kids=ArrayObject([widget_ref])))
        widget[name("/Parent")] = parent_ref
        writer._root_object[name("/AcroForm")] = dictionary(Fields=ArrayObject([parent_ref]))

    return build(mutate)


def name_tree_javascript():
    """/Names << /JavaScript << /Kids [ << /Names [(start) action] >> ] >> >>, with the key written escaped."""

    def mutate(writer):
        leaf = dictionary(Names=ArrayObject([TextStringObject("start"), writer._add_object(javascript())]))
        tree = dictionary(Kids=ArrayObject([writer._add_object(leaf)]))
        names = DictionaryObject()
        names[name(JAVASCRIPT)] = writer._add_object(tree)
        writer._root_object[name("/Names")] = names

    return build(mutate)


def embedded_file():
    return build(lambda writer: writer.add_attachment("bukti.exe", b"MZ not really a program"))


def file_attachment_annotation():
    def mutate(writer):
        spec = dictionary(Type="/Filespec", F="bukti.exe")
        add_annotation(writer, dictionary(Type="/Annot", Subtype="/FileAttachment", Rect=rect(), FS=spec))

    return build(mutate)


def rich_media_annotation():
    def mutate(writer):
        add_annotation(writer, dictionary(Type="/Annot", Subtype="/RichMedia", Rect=rect()))

    return build(mutate)


def chained_next_launch():
    """/OpenAction goes to the page (harmless), then /Next, /Next ... the last action of the chain launches."""

    def mutate(writer):
        last = writer._add_object(launch())
        middle = dictionary(S="/GoTo", D=ArrayObject([writer.pages[0].indirect_reference, name("/Fit")]), Next=last)
        first = dictionary(
            S="/GoTo",
            D=ArrayObject([writer.pages[0].indirect_reference, name("/Fit")]),
            Next=ArrayObject([writer._add_object(middle)]),
        )
        writer._root_object[name("/OpenAction")] = writer._add_object(first)

    return build(mutate)


def go_to_embedded():
    def mutate(writer):
        writer._root_object[name("/OpenAction")] = writer._add_object(
            dictionary(S="/GoToE", D=ArrayObject([NumberObject(0), name("/Fit")]), NewWindow=name("/true"))
        )

    return build(mutate)


def page_aa_inside_a_cycle():
    """The page's /AA holds an action whose /Next points back at itself: the walk ends, the JavaScript is found."""

    def mutate(writer):
        goto = dictionary(S="/GoTo", D=ArrayObject([writer.pages[0].indirect_reference, name("/Fit")]))
        goto_ref = writer._add_object(goto)
        goto[name("/Next")] = ArrayObject([goto_ref, writer._add_object(javascript())])
        writer.pages[0][name("/AA")] = dictionary(O=goto_ref)

    return build(mutate)


REFUSED = [
    ("OpenAction /S /J#61vaScript /J#53", escaped_javascript_open_action, ACTIVE),
    ("OpenAction /S /J#61vaScript alone", escaped_javascript_without_js_key, ACTIVE),
    ("OpenAction /S /L#61unch", escaped_launch, ACTIVE),
    ("link annotation /AA launches", annotation_aa, ACTIVE),
    ("outline item /A JavaScript", outline_item_action, ACTIVE),
    ("form field and its widget: /AA JavaScript", form_field_aa, ACTIVE),
    ("form field /A SubmitForm", lambda: form_field_action(dictionary(S="/SubmitForm", F="http://x.invalid/")), ACTIVE),
    ("form field /A ImportData", lambda: form_field_action(dictionary(S="/ImportData", F="data.fdf")), ACTIVE),
    ("form field /A /L#61unch", lambda: form_field_action(launch()), ACTIVE),
    ("name tree /J#61vaScript", name_tree_javascript, ACTIVE),
    ("chained /Next ending in /L#61unch", chained_next_launch, ACTIVE),
    ("page /AA in a cycle of /Next", page_aa_inside_a_cycle, ACTIVE),
    ("GoToE into an embedded file", go_to_embedded, ACTIVE),
    ("RichMedia annotation", rich_media_annotation, ACTIVE),
    ("link to javascript:", lambda: build(lambda w: uri_link(w, " JavaScript:app.alert(1)")), ACTIVE),
    ("link to a file:// program", lambda: build(lambda w: uri_link(w, "file:///C:/Windows/calc.exe")), ACTIVE),
    ("link to a \\\\server share", lambda: build(lambda w: uri_link(w, "\\\\attacker.invalid\\x")), ACTIVE),
    ("embedded file (/EmbeddedFiles, /EF)", embedded_file, EMBEDDED),
    ("FileAttachment annotation", file_attachment_annotation, EMBEDDED),
]


@pytest.fixture
def existing(entry, innovator, media_root):
    """The entry already holds one plain PDF: a refused upload must leave exactly that."""
    services.add_attachment(entry=entry, user=innovator, kind="document", uploaded=upload("ada.pdf", minimal_pdf()))
    return entry


def attachments_of(entry):
    return list(Attachment.objects.filter(entry=entry).values_list("pk", "original_name", "sha256"))


def stored_files(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file())


def assert_refused(entry, innovator, media_root, data, message, kind="document"):
    entry.refresh_from_db()
    before = (attachments_of(entry), stored_files(media_root), entry.version)
    with pytest.raises(ValidationError, match=message):
        services.add_attachment(entry=entry, user=innovator, kind=kind, uploaded=upload("laporan.pdf", data))
    entry.refresh_from_db()
    assert (attachments_of(entry), stored_files(media_root), entry.version) == before


@pytest.mark.parametrize(("build_pdf", "message"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_active_content_refused_and_attachments_unchanged(existing, innovator, media_root, build_pdf, message):
    assert_refused(existing, innovator, media_root, build_pdf(), message)


def test_active_pdf_refused_as_decree_too(existing, innovator, media_root):
    assert_refused(existing, innovator, media_root, escaped_launch(), ACTIVE, kind="decree")


def test_upload_page_shows_the_message(client, existing, innovator, media_root):
    client.force_login(innovator)
    before = attachments_of(existing)
    response = client.post(
        reverse("entries:attachment_add", args=[existing.pk]),
        {"kind": "document", "file": upload("laporan.pdf", escaped_javascript_open_action())},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "PDF ini berisi JavaScript atau aksi otomatis" in page and "Simpan ulang dokumen sebagai PDF biasa" in page
    assert attachments_of(existing) == before


def test_unparseable_pdf_refused_with_a_clear_message(existing, innovator, media_root):
    broken = minimal_pdf().replace(b"/Type /Page", b"/Type /Page    ")  # the cross-reference offsets are now wrong
    assert_refused(existing, innovator, media_root, broken, BROKEN)
    assert_refused(existing, innovator, media_root, b"%PDF-1.7\n1 0 obj << /Type /Catalog", "simpan ulang")


def test_duplicate_keys_are_refused_as_broken(existing, innovator, media_root):
    """A viewer may read the first /S, another the last: a dictionary with a key twice is not accepted."""

    twice = b"/S /JavaScript /JS()"
    spelled = b"/DDDDDDDDDDDDDD /Fit"  # as long as `twice`, so the cross-reference offsets stay right

    def mutate(writer):
        writer._root_object[name("/OpenAction")] = writer._add_object(dictionary(S="/GoTo", DDDDDDDDDDDDDD="/Fit"))

    data = build(mutate)
    assert len(spelled) == len(twice) and data.count(spelled) == 1
    data = data.replace(spelled, twice)
    assert_refused(existing, innovator, media_root, data, BROKEN)


def test_pdf_over_the_object_bound_is_refused(existing, innovator, media_root, settings):
    settings.UPLOAD_PDF_MAX_OBJECTS = 50

    def mutate(writer):
        writer._root_object[name("/Many")] = ArrayObject(
            writer._add_object(dictionary(Type="/Note", T=f"n{i}")) for i in range(60)
        )

    assert_refused(existing, innovator, media_root, build(mutate), "terlalu rumit")


def test_pdf_whose_trailer_counts_too_many_objects_is_refused_before_walking(existing, innovator, media_root, settings):
    """Objects nothing points to still cost the parser: the trailer's /Size is checked first (issue 17 review: a
    150,000-object file with 3 reachable objects was accepted, one with 99,000 reachable took 2.4 s to refuse)."""
    settings.UPLOAD_PDF_MAX_OBJECTS = 50

    def mutate(writer):
        for i in range(60):
            writer._add_object(dictionary(Type="/Note", T=f"n{i}"))  # unreachable from the catalog

    assert_refused(existing, innovator, media_root, build(mutate), "terlalu rumit")


def test_an_object_appended_after_the_end_of_the_file_is_refused(existing, innovator, media_root):
    """A clean PDF with a second catalog carrying an /OpenAction appended after %%EOF and no cross-reference for it:
    a viewer that rebuilds the table might read that one (issue 17 review)."""
    clean = build()
    appended = (
        clean + b"\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>\nendobj\n"
    )
    assert_refused(existing, innovator, media_root, appended, BROKEN)
    # blank bytes after the end are harmless and accepted
    services.add_attachment(
        entry=existing, user=innovator, kind="document", uploaded=upload("ok.pdf", clean + b"\r\n\x00")
    )
    assert Attachment.objects.filter(entry=existing, original_name="ok.pdf").exists()


def test_pdf_over_the_depth_bound_is_refused(existing, innovator, media_root, settings):
    settings.UPLOAD_PDF_MAX_DEPTH = 20

    def mutate(writer):
        deep = ArrayObject()
        for _ in range(30):
            deep = ArrayObject([deep])
        writer._root_object[name("/Deep")] = deep

    assert_refused(existing, innovator, media_root, build(mutate), "terlalu rumit")


# Accepted -------------------------------------------------------------------------------------------------------


def view_only_open_action(writer):
    """What office suites write: open on the first page, fitted."""
    writer._root_object[name("/OpenAction")] = ArrayObject([writer.pages[0].indirect_reference, name("/Fit")])
    writer._root_object[name("/PageLayout")] = name("/SinglePage")


def goto_open_action_and_page_aa(writer):
    goto = dictionary(S="/GoTo", D=ArrayObject([writer.pages[0].indirect_reference, name("/Fit")]))
    writer._root_object[name("/OpenAction")] = writer._add_object(goto)
    writer.pages[0][name("/AA")] = dictionary(O=writer._add_object(dictionary(S="/GoTo", D=TextStringObject("awal"))))


def uri_link(writer, uri="https://kipp.example/inovasi/"):
    action = dictionary(S="/URI", URI=uri)
    add_annotation(writer, dictionary(Type="/Annot", Subtype="/Link", Rect=rect(), A=action))


def long_outline(writer):
    """300 bookmarks on one level: a long /Next chain is not deep nesting."""
    for i in range(300):
        writer.add_outline_item(title=f"Lampiran {i + 1}", page_number=0)


def cycle_without_actions(writer):
    note = dictionary(Type="/Note")
    ref = writer._add_object(note)
    note[name("/Self")] = ref
    note[name("/Next")] = ref
    writer._root_object[name("/Loop")] = ref


def reportlab_report():
    """A report as a word processor would write it: text, bookmarks, an outline and a web link."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for number in (1, 2, 3):
        pdf.drawString(72, 720, f"Bab {number}: Laporan kegiatan inovasi")
        pdf.bookmarkPage(f"bab{number}")
        pdf.addOutlineEntry(f"Bab {number}", f"bab{number}", level=0)
        pdf.linkURL("https://kipp.example/", (72, 700, 200, 715))
        pdf.showPage()
    pdf.save()
    return out.getvalue()


ACCEPTED = [
    ("plain", lambda: build()),
    ("OpenAction that only sets the view", lambda: build(view_only_open_action)),
    ("GoTo OpenAction and a page /AA GoTo", lambda: build(goto_open_action_and_page_aa)),
    ("URI link annotation", lambda: build(uri_link)),
    ("300 bookmarks", lambda: build(long_outline)),
    ("a cycle with no action", lambda: build(cycle_without_actions)),
    ("reportlab report with outline and link", reportlab_report),
]


@pytest.mark.parametrize("build_pdf", [c[1] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_harmless_pdfs_accepted(entry, innovator, media_root, build_pdf):
    data = build_pdf()
    attachment = services.add_attachment(entry=entry, user=innovator, kind="document", uploaded=upload("a.pdf", data))
    assert attachment.content_type == "application/pdf"
    with attachment.file.open("rb") as handle:
        assert handle.read() == data


def test_messages_in_english(db):
    from django.utils import translation

    from entries.uploads import clean_pdf

    with translation.override("en"):
        with pytest.raises(ValidationError, match="This PDF contains JavaScript or automatic actions"):
            clean_pdf(escaped_launch(), "a.pdf")
        with pytest.raises(ValidationError, match="This PDF carries other files inside it"):
            clean_pdf(embedded_file(), "a.pdf")
        with pytest.raises(ValidationError, match="This file is not a valid PDF: it is damaged"):
            clean_pdf(b"%PDF-1.7\n garbage", "a.pdf")


def compressed_object_stream_pdf(objects=50, numbers=99_000):
    """A few kB that pypdf expands into minutes of parsing: one compressed object stream holding `objects` arrays of
    `numbers` integers each, reached from the catalog (issue 17 review: 11 kB cost 9.6 s of CPU and was accepted)."""
    import struct
    import zlib

    out = bytearray(b"%PDF-1.7\n")
    xref = {}

    def put(num, body):
        xref[num] = (1, len(out), 0)
        out.extend(b"%d 0 obj\n" % num + body + b"\nendobj\n")

    nums = list(range(5, 5 + objects))
    stream_num = 5 + objects
    array = b"[" + b"1 " * numbers + b"]\n"
    offsets, data = [], b""
    for num in nums:
        offsets.append(b"%d %d" % (num, len(data)))
        data += array
    header = b" ".join(offsets) + b"\n"
    packed = zlib.compress(header + data, 9)
    put(1, b"<< /Type /Catalog /Pages 2 0 R /X 4 0 R >>")
    put(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    put(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    put(4, b"[%d 0 R]" % nums[0])
    put(
        stream_num,
        b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (objects, len(header), len(packed))
        + packed
        + b"\nendstream",
    )
    for index, num in enumerate(nums):
        xref[num] = (2, stream_num, index)
    xref_num = stream_num + 1
    xref[xref_num] = (1, len(out), 0)
    rows = b"".join(struct.pack(">BIH", *xref.get(n, (0, 0, 65535))) for n in range(xref_num + 1))
    start = len(out)
    out.extend(
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % (xref_num, xref_num + 1, len(rows))
        + rows
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start
    )
    return bytes(out)


def test_a_pdf_that_costs_more_than_its_cpu_limit_is_refused_and_the_portal_spends_none(
    existing, innovator, media_root, settings
):
    """The check runs in a child process under UPLOAD_PDF_CPU_SECONDS and UPLOAD_PDF_MEMORY_MB: a small crafted file
    is refused as too complex after at most that much CPU, spent by the child, not by the portal's process."""
    import resource
    import time

    settings.UPLOAD_PDF_CPU_SECONDS = 1
    data = compressed_object_stream_pdf()
    assert len(data) < 20_000
    own_before = resource.getrusage(resource.RUSAGE_SELF).ru_utime
    started = time.monotonic()
    assert_refused(existing, innovator, media_root, data, "terlalu rumit")
    assert time.monotonic() - started < 10
    assert resource.getrusage(resource.RUSAGE_SELF).ru_utime - own_before < 0.5  # the child did the work


def test_a_pdf_check_out_of_memory_is_refused_as_too_complex(existing, innovator, media_root, settings):
    settings.UPLOAD_PDF_MEMORY_MB = 25  # less than Python and pypdf need: the child cannot finish
    assert_refused(existing, innovator, media_root, minimal_pdf(), "terlalu rumit")
