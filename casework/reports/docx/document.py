"""The Word report's building blocks: a python-docx document with A4 pages, the report's
fonts (a CJK East Asian font in every style) and table style, paragraphs, runs, bullet lists,
tables whose header row repeats on each page, charts with alt text, and the WordprocessingML
details python-docx has no API for (bookmarks, hyperlinks, the page-number field).
"""

from __future__ import annotations

import io
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import get_language

from casework.reports.numbers import MISSING, format_number
from casework.reports.workbook import clean_text

# Word shows Chinese in the East Asian font of a run; this one ships with Debian
# (fonts-noto-cjk) and LibreOffice finds it; Word falls back to its own zh-CN font.
EAST_ASIAN_FONT = "Noto Sans CJK SC"
EAST_ASIAN_FALLBACK = "Microsoft YaHei"
LATIN_FONT = "Calibri"
TABLE_FONT_SIZE = 9
TABLE_STYLE = "Table Text"
TEXT_WIDTH_CM = 17.0  # A4 with 2 cm margins
CHART_WIDTH_CM = 16.0
PNG_SCALE = 2
PROBLEM_COLOUR = "B42318"
GOOD_COLOUR = "1B7F3B"
MUTED_COLOUR = "5F6B7A"
HEADER_FILL = "E8EDF3"


# --- small formatting helpers -----------------------------------------------------------


def _text(value) -> str:
    return clean_text("" if value is None else str(value))


def _day(value) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return MISSING


def _score(value) -> str:
    return MISSING if value is None else f"{value:.1f}"


def _percent(value) -> str:
    return MISSING if value is None else format_number(value, "%")


def _language_tag() -> str:
    return "zh-CN" if (get_language() or "").lower().startswith("zh") else "en-US"


class DocumentWriter:
    """One python-docx document and the blocks the sections are written with."""

    def __init__(self, charts: dict[str, bytes] | None) -> None:
        import docx
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm

        self.charts = charts
        self.doc = docx.Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2))
        self.language = _language_tag()
        _set_language_and_fonts(self.doc, self.language)
        _add_table_style(self.doc)

    # -- building blocks --

    def heading(self, text: str, level: int):
        return self.doc.add_heading(_text(text), level=level)

    def paragraph(self, text: str = "", *, style: str | None = None, bold=False, colour=None):
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            self.run(paragraph, text, bold=bold, colour=colour)
        return paragraph

    @staticmethod
    def run(paragraph, text: str, *, bold=False, italic=False, colour=None, size=None, anchor=""):
        from docx.shared import Pt, RGBColor

        run = paragraph.add_run(_text(text))
        if anchor:
            # An internal link to a bookmark (a citation to its bibliography entry).
            link = _element("w:hyperlink", anchor=_bookmark_name(anchor))
            paragraph._p.append(link)
            link.append(run._r)
        run.bold = bold or None
        run.italic = italic or None
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour)
        if size:
            run.font.size = Pt(size)
        return run

    def paragraphs(self, texts: list[str], *, empty: str = ""):
        if not texts and empty:
            self.paragraph(empty, colour=MUTED_COLOUR)
        for text in texts:
            self.paragraph(text)

    def bullets(self, lines: list, *, numbered=False):
        # Numbers are written out: Word's list numbering would run on from list to list.
        for number, line in enumerate(lines, start=1):
            if numbered:
                paragraph = self.doc.add_paragraph()
                paragraph.paragraph_format.left_indent = _cm(0.75)
                paragraph.paragraph_format.first_line_indent = _cm(-0.75)
                paragraph.paragraph_format.space_after = _pt(3)
                self.run(paragraph, f"{number}.\t")
            else:
                paragraph = self.doc.add_paragraph(style="List Bullet")
            self._runs(paragraph, line)

    def _runs(self, paragraph, content):
        """Content is a str or a list of str / (text, {bold, italic, colour}) pieces."""
        if isinstance(content, str):
            self.run(paragraph, content)
            return
        for piece in content:
            if isinstance(piece, tuple):
                self.run(paragraph, piece[0], **piece[1])
            else:
                self.run(paragraph, piece)

    def table(self, headers: list[str], rows: list[list], widths: list[float]):
        """A table with a header row that repeats on every page; widths in cm."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.shared import Cm

        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        scale = min(1.0, TEXT_WIDTH_CM / sum(widths))
        widths = [Cm(w * scale) for w in widths]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        header = table.rows[0]
        _mark_header_row(header)
        for cell, text, width in zip(header.cells, headers, widths, strict=True):
            cell.width = width
            _shade(cell, HEADER_FILL)
            cell.paragraphs[0].style = TABLE_STYLE
            self.run(cell.paragraphs[0], text, bold=True)
        for values in rows:
            cells = table.add_row().cells
            for cell, value, width in zip(cells, values, widths, strict=True):
                cell.width = width
                self._fill(cell, value)
        self.doc.add_paragraph()
        return table

    def _fill(self, cell, value):
        """A cell value is a str, or a list of paragraphs (each as `_runs` takes)."""
        blocks = value if isinstance(value, list) else [value]
        first = True
        for block in blocks:
            if block in ("", None):
                continue
            paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
            paragraph.style = TABLE_STYLE
            first = False
            self._runs(paragraph, block if not isinstance(block, int | float) else str(block))

    def chart(self, report: dict, name: str, label: str):
        from docx.shared import Cm

        if self.charts is None:
            return
        key = f"a{report['assessment']['id']}-{name}"
        data = self.charts.get(key)
        if data is None:
            return
        self.doc.add_picture(io.BytesIO(data), width=Cm(CHART_WIDTH_CM))
        picture_paragraph = self.doc.paragraphs[-1]
        picture_paragraph.alignment = 1  # centred
        inline = picture_paragraph.runs[-1]._r.xpath(".//wp:inline")[0]
        # Alt text for screen readers, as the PDF's <img alt>.
        inline.docPr.set("descr", _text(label))
        inline.docPr.set("title", _text(label))
        self.paragraph(label, style="Caption")

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


# --- WordprocessingML details python-docx has no API for --------------------------------


def _cm(value: float):
    from docx.shared import Cm

    return Cm(value)


def _pt(value: float):
    from docx.shared import Pt

    return Pt(value)


def _element(tag: str, **attributes):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _child(parent, tag: str, *, first: bool = False):
    """The parent's child `tag` (w:...), created when missing."""
    from docx.oxml.ns import qn

    found = parent.find(qn(tag))
    if found is None:
        found = _element(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def _set_language_and_fonts(doc, language: str) -> None:
    """Document language (w:lang with w:eastAsia) and an East Asian font in every style."""
    from docx.oxml.ns import qn

    styles = doc.styles.element
    defaults = _child(styles, "w:docDefaults", first=True)
    run_defaults = _child(_child(defaults, "w:rPrDefault"), "w:rPr")
    fonts = _child(run_defaults, "w:rFonts")
    lang = _child(run_defaults, "w:lang")
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    # Theme fonts win over named ones: name the fonts in every style instead.
    for element in [fonts, *styles.iter(qn("w:rFonts"))]:
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            element.attrib.pop(qn(theme), None)
        element.set(qn("w:ascii"), LATIN_FONT)
        element.set(qn("w:hAnsi"), LATIN_FONT)
        element.set(qn("w:cs"), LATIN_FONT)
        element.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    _declare_east_asian_font(doc)
    settings = doc.settings.element
    theme_lang = _child(settings, "w:themeFontLang")
    theme_lang.set(qn("w:val"), language)
    theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _add_table_style(doc) -> None:
    """A compact paragraph style for table cells (editable in Word as one style)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    style = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(TABLE_FONT_SIZE)
    style.paragraph_format.space_after = Pt(1)
    style.paragraph_format.line_spacing = 1.0


def _declare_east_asian_font(doc) -> None:
    """List the CJK font in the font table as a GB2312 font, with a Windows font as its
    alternative name, so that Word picks a Chinese font where Noto is not installed."""
    from lxml import etree

    part = next(
        part for part in doc.part.package.iter_parts() if part.partname.endswith("/fontTable.xml")
    )
    root = etree.fromstring(part.blob)
    font = _element("w:font", name=EAST_ASIAN_FONT)
    for tag, value in (
        ("w:altName", EAST_ASIAN_FALLBACK),
        ("w:charset", "86"),
        ("w:family", "swiss"),
        ("w:pitch", "variable"),
    ):
        font.append(_element(tag, val=value))
    root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _mark_header_row(row) -> None:
    """Repeat the row at the top of each page, and never split it."""
    properties = row._tr.get_or_add_trPr()
    properties.append(_element("w:cantSplit"))
    properties.append(_element("w:tblHeader", val="true"))


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    properties.append(_element("w:shd", val="clear", color="auto", fill=fill))


def _page_number_field(paragraph) -> None:
    paragraph.add_run()
    field = _element("w:fldSimple", instr="PAGE")
    run = _element("w:r")
    text = _element("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _bookmark_name(anchor: str) -> str:
    # Word bookmark names take letters, digits and underscores only.
    return anchor.replace("-", "_")


def _bookmark(paragraph, anchor: str, number: int) -> None:
    """A bookmark at the start of a bibliography entry: citations link to it."""
    paragraph._p.append(_element("w:bookmarkStart", id=number, name=_bookmark_name(anchor)))
    paragraph._p.append(_element("w:bookmarkEnd", id=number))


def _hyperlink(paragraph, url: str, text: str) -> None:
    """An external link; `url` is an http(s) URL (the context only gives those)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn

    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = _element("w:hyperlink")
    link.set(qn("r:id"), relationship)
    run = _element("w:r")
    properties = _element("w:rPr")
    properties.append(_element("w:color", val="1F5FA8"))
    properties.append(_element("w:u", val="single"))
    run.append(properties)
    text_element = _element("w:t")
    text_element.text = text
    text_element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)
