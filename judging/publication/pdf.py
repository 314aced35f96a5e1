"""The printable announcement (Pengumuman) as a PDF, drawn with reportlab: letterhead, number, date, the text, the
lists (ranks and totals only when the organiser made them public), then place and date, the signatory's title, room
for the signature and the signatory's name, kept on one page with the last rows of the list. Every page is numbered
("Halaman 1 dari 3"). Everything printed comes from the announcement, including the letterhead it was prepared with
(publication/letterhead.py: logo, heading lines, address); nothing about an organiser is written here.

Column widths come from the content: the number, code and total columns are as wide as their longest value (an entry
code never wraps), and the rest of the line is shared by title, agency and region, which wrap."""

import io
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from judging.publication.letterhead import of as announcement_letterhead
from kipp.organisations.letterhead import fit

FONT, BOLD, CELL_SIZE = "Helvetica", "Helvetica-Bold", 8
CELL_PADDING = 4  # left and right, points
TAIL_ROWS = 3  # rows of the last list kept on the signature's page
MARGIN = 2 * cm


def _styles():
    base = getSampleStyleSheet()
    return {
        "letterhead": ParagraphStyle(
            "letterhead", parent=base["Normal"], fontName=BOLD, alignment=TA_CENTER, fontSize=11, leading=14
        ),
        "heading": ParagraphStyle(
            "heading", parent=base["Heading2"], alignment=TA_CENTER, spaceBefore=6, spaceAfter=2, fontSize=13
        ),
        "address": ParagraphStyle("address", parent=base["Normal"], alignment=TA_CENTER, fontSize=9, leading=12),
        "center": ParagraphStyle("center", parent=base["Normal"], alignment=TA_CENTER),
        "body": ParagraphStyle("body", parent=base["Normal"], alignment=TA_JUSTIFY, leading=14, spaceAfter=6),
        "cell": ParagraphStyle("cell", parent=base["Normal"], fontName=FONT, fontSize=CELL_SIZE, leading=10),
        "head": ParagraphStyle("head", parent=base["Normal"], fontName=BOLD, fontSize=CELL_SIZE, leading=10),
        "note": ParagraphStyle(
            "note", parent=base["Normal"], textColor=colors.HexColor("#7a4b00"), borderPadding=4, spaceAfter=6
        ),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], spaceBefore=8),
        "fingerprint": ParagraphStyle("fingerprint", parent=base["Normal"], fontSize=8, leading=11, spaceBefore=14),
        "hex": ParagraphStyle("hex", parent=base["Normal"], fontName="Courier", fontSize=8, leading=11),
        "sign": ParagraphStyle("sign", parent=base["Normal"], leading=14, leftIndent=9.5 * cm),
        "sign_name": ParagraphStyle("sign_name", parent=base["Normal"], fontName=BOLD, leading=14, leftIndent=9.5 * cm),
    }


def _p(text, style):
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _numbered_canvas(label):
    """A canvas class that writes "Halaman n dari N" (and the announcement's number) at the foot of every page:
    pages are kept until the end, when their count is known."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total):
            width, _height = self._pagesize
            self.setFont(FONT, 8)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(MARGIN, 1.0 * cm, label)
            text = _("Halaman %(page)s dari %(pages)s") % {"page": self._pageNumber, "pages": total}
            self.drawRightString(width - MARGIN, 1.0 * cm, text)

    return NumberedCanvas


def _columns(announcement):
    """[(header, value of a row, wraps)] of the list table."""
    columns = [
        (_("Peringkat") if announcement.show_ranks else _("No."), None, False),
        (_("Kode"), lambda row: row.entry_code, False),
        (_("Judul inovasi"), lambda row: row.title, True),
        (_("Instansi"), lambda row: row.agency, True),
        (_("Daerah"), lambda row: row.region, True),
    ]
    if announcement.show_totals:
        columns.append((_("Nilai"), _total, False))
    return columns


def _total(row):
    """The row's total with two decimals in the active language (92,22 in Indonesian, 92.22 in English), as the
    page shows it; the fingerprint CSV and the machine exports keep their dots."""
    return "" if row.total is None else formats.number_format(row.total, 2, use_l10n=True)


def _widths(columns, rows, available):
    """Widths from the content: a column that does not wrap is as wide as its widest value or header; the columns
    that wrap share the rest (title 45 %, agency 33 %, region 22 %)."""
    fixed = {}
    for index, (header, value, wraps) in enumerate(columns):
        if wraps:
            continue
        texts = [value(row) if value else str(n) for n, row in enumerate(rows, start=1)]
        widest = max((stringWidth(str(t), FONT, CELL_SIZE) for t in texts), default=0)
        fixed[index] = max(widest, stringWidth(header, BOLD, CELL_SIZE)) + 2 * CELL_PADDING + 1
    rest = available - sum(fixed.values())
    shares = iter([0.45, 0.33, 0.22])
    return [fixed[i] if i in fixed else rest * next(shares) for i in range(len(columns))]


def _rank(announcement, row, index):
    return str(row.rank if announcement.show_ranks and row.rank is not None else index)


def _list_table(announcement, rows, styles, widths, *, start=1, header=True):
    columns = _columns(announcement)
    data = [[_p(h, styles["head"]) for h, _value, _wraps in columns]] if header else []
    for index, row in enumerate(rows, start=start):
        line = []
        for _header, value, wraps in columns:
            text = value(row) if value else _rank(announcement, row, index)
            # A plain string in a cell never wraps (codes, numbers); a Paragraph wraps within its column.
            line.append(_p(text, styles["cell"]) if wraps else str(text))
        data.append(line)
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")))
    table.setStyle(TableStyle(style))
    return table


LOGO_WIDTH = 2.0 * cm


def _logo(letterhead):
    """The letterhead's logo as a flowable LOGO_WIDTH wide, or None when it has none (or its file is gone)."""
    data = letterhead.logo_bytes()
    if data is None:
        return None
    width, height = fit(letterhead.logo_width, letterhead.logo_height, LOGO_WIDTH, LOGO_WIDTH)
    return Image(io.BytesIO(data), width=width, height=height)


def _letterhead(letterhead, styles, width):
    """The letterhead (kop surat) as the announcement was prepared with it: the heading lines in bold and the
    address, centred, the logo on the left."""
    text = [_p("\n".join(letterhead.heading), styles["letterhead"])]
    if letterhead.address:
        text.append(_p(letterhead.address, styles["address"]))
    logo = _logo(letterhead)
    if logo is None:
        return text
    side = LOGO_WIDTH + 0.4 * cm  # an empty column of the same width on the right keeps the text centred
    table = Table([[logo, text, ""]], colWidths=[side, width - 2 * side, side])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [table]


def _signature(announcement, styles):
    date = formats.date_format(announcement.date, "j F Y")
    return [
        Spacer(1, 18),
        _p(f"{announcement.place}, {date}", styles["sign"]),
        _p(announcement.signatory_title, styles["sign"]),
        Spacer(1, 56),
        _p(announcement.signatory_name, styles["sign_name"]),
    ]


class _PageProbe(Flowable):
    """Takes no room; notes the page it is drawn on under `key` in `pages`."""

    def __init__(self, pages, key):
        super().__init__()
        self.pages, self.key = pages, key
        self.width = self.height = 0

    def draw(self):
        self.pages[self.key] = self.canv.getPageNumber()


def _lists(announcement, selected, reserve, styles, available, *, pages, tail_header=False):
    """The lists, the last of them split so that its last rows and the signature block stay on one page. Probes
    note in `pages` whether that tail was moved to a page of its own ("before" != "tail"): then it needs the
    header row (`tail_header`)."""
    lists = [(_("Daftar terpilih (%(n)s)") % {"n": len(selected)}, selected)]
    if reserve:
        lists.append((_("Daftar cadangan (%(n)s)") % {"n": len(reserve)}, reserve))
    widths = _widths(_columns(announcement), selected + reserve, available)
    story = []
    for number, (heading, rows) in enumerate(lists, start=1):
        last = number == len(lists)
        head_rows = rows[:-TAIL_ROWS] if last and len(rows) > TAIL_ROWS else rows if not last else []
        tail_rows = rows[len(head_rows) :] if last else []
        story.append(CondPageBreak(3.5 * cm))  # a heading never stands alone at the foot of a page
        story.append(_p(heading, styles["h3"]))
        if head_rows:
            story.append(_list_table(announcement, head_rows, styles, widths))
        if last:
            header = tail_header or not head_rows
            tail = _list_table(announcement, tail_rows, styles, widths, start=len(head_rows) + 1, header=header)
            story.append(_PageProbe(pages, "before"))
            signature = _signature(announcement, styles) + _fingerprint(announcement, styles)
            story.append(KeepTogether([_PageProbe(pages, "tail"), tail, *signature]))
    return story


def _fingerprint(announcement, styles):
    """The version's fingerprint (judging.publication.fingerprint) and where to check it, under the signature."""
    if not announcement.fingerprint:
        return []
    from django.urls import reverse

    from kipp.mail import absolute_url

    return [
        _p(
            _(
                "Sidik jari (SHA-256) daftar versi %(version)s, sama dengan sha256sum berkas CSV-nya; periksa dokumen "
                "di %(url)s:"
            )
            % {"version": announcement.version, "url": absolute_url(reverse("judging:check_document"))},
            styles["fingerprint"],
        ),
        _p(announcement.fingerprint, styles["hex"]),
    ]


def announcement_pdf(announcement, selected, reserve):
    """Bytes of the PDF. `selected` and `reserve`: AnnouncementRow lists in the announcement's order. Built a second
    time, with the header row on the last rows, when these and the signature had to move to a new page."""
    pages = {}
    content = _build(announcement, selected, reserve, pages=pages)
    if pages.get("tail") != pages.get("before"):
        content = _build(announcement, selected, reserve, pages={}, tail_header=True)
    return content


def _build(announcement, selected, reserve, *, pages, tail_header=False):
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=1.6 * cm,
        bottomMargin=1.8 * cm,
        title=_("Pengumuman %(number)s") % {"number": announcement.number},
        author=announcement.signatory_name,
        subject=announcement.title,
        keywords=f"sha256:{announcement.fingerprint}" if announcement.fingerprint else "",
    )
    story = [*_letterhead(announcement_letterhead(announcement), styles, doc.width), Spacer(1, 4)]
    story.append(HRFlowable(width="100%", thickness=1.5, color=colors.black, spaceAfter=2))
    story.append(HRFlowable(width="100%", thickness=0.5, color=colors.black))
    story.append(_p(_("PENGUMUMAN"), styles["heading"]))
    story.append(_p(_("Nomor: %(number)s") % {"number": announcement.number}, styles["center"]))
    story.append(_p(announcement.title, styles["center"]))
    story.append(Spacer(1, 10))
    if announcement.version > 1:
        story.append(
            _p(
                _("Koreksi (versi %(version)s): %(note)s")
                % {"version": announcement.version, "note": announcement.correction_note},
                styles["note"],
            )
        )
    for paragraph in announcement.body.split("\n\n"):
        if paragraph.strip():
            story.append(_p(paragraph.strip(), styles["body"]))
    story += _lists(announcement, selected, reserve, styles, doc.width, pages=pages, tail_header=tail_header)
    label = _("Pengumuman Nomor %(number)s") % {"number": announcement.number}
    doc.build(story, canvasmaker=_numbered_canvas(label))
    return buffer.getvalue()
