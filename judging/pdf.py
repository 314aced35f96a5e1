"""The printable announcement (Pengumuman) as a PDF, drawn with reportlab: letterhead text, number, date, the text,
the lists (ranks and totals only when the organiser made them public), place and date, signatory."""

import io
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import HRFlowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def _styles():
    base = getSampleStyleSheet()
    return {
        "letterhead": ParagraphStyle("letterhead", parent=base["Normal"], alignment=TA_CENTER, fontSize=11, leading=14),
        "heading": ParagraphStyle(
            "heading", parent=base["Heading2"], alignment=TA_CENTER, spaceBefore=6, spaceAfter=2, fontSize=13
        ),
        "center": ParagraphStyle("center", parent=base["Normal"], alignment=TA_CENTER),
        "body": ParagraphStyle("body", parent=base["Normal"], alignment=TA_JUSTIFY, leading=14, spaceAfter=6),
        "small": ParagraphStyle("small", parent=base["Normal"], fontSize=8, leading=10),
        "note": ParagraphStyle(
            "note", parent=base["Normal"], textColor=colors.HexColor("#7a4b00"), borderPadding=4, spaceAfter=6
        ),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], spaceBefore=8),
    }


def _p(text, style):
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _table(rows, announcement, styles):
    header = []
    if announcement.show_ranks:
        header.append(_("Peringkat"))
    else:
        header.append(_("No."))
    header += [_("Kode"), _("Judul inovasi"), _("Instansi"), _("Daerah")]
    if announcement.show_totals:
        header.append(_("Nilai"))
    data = [[_p(h, styles["small"]) for h in header]]
    for index, row in enumerate(rows, start=1):
        line = [str(row.rank if announcement.show_ranks else index), row.entry_code, row.title, row.agency, row.region]
        if announcement.show_totals:
            line.append("" if row.total is None else f"{row.total:.2f}")
        data.append([_p(value, styles["small"]) for value in line])
    widths = [1.4 * cm, 2.6 * cm, 5.4 * cm, 4.2 * cm, 3.0 * cm]
    if announcement.show_totals:
        widths = [1.4 * cm, 2.4 * cm, 5.0 * cm, 3.8 * cm, 2.8 * cm, 1.4 * cm]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def announcement_pdf(announcement, selected, reserve):
    """Bytes of the PDF. `selected` and `reserve`: AnnouncementRow lists in the announcement's order."""
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.6 * cm,
        title=f"Pengumuman {announcement.number}",
        author=announcement.signatory_name,
        subject=announcement.title,
    )
    story = [_p(announcement.letterhead, styles["letterhead"]), Spacer(1, 4)]
    story.append(HRFlowable(width="100%", thickness=1.5, color=colors.black))
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
    story.append(_p(_("Daftar terpilih (%(n)s)") % {"n": len(selected)}, styles["h3"]))
    story.append(_table(selected, announcement, styles))
    if reserve:
        story.append(_p(_("Daftar cadangan (%(n)s)") % {"n": len(reserve)}, styles["h3"]))
        story.append(_table(reserve, announcement, styles))
    date = formats.date_format(announcement.date, "j F Y")
    sign = ParagraphStyle("sign", parent=styles["body"], leftIndent=9 * cm, alignment=0)
    story.append(
        KeepTogether(
            [
                Spacer(1, 18),
                _p(f"{announcement.place}, {date}", sign),
                _p(announcement.signatory_title, sign),
                Spacer(1, 36),
                _p(announcement.signatory_name, sign),
            ]
        )
    )
    doc.build(story)
    return buffer.getvalue()
