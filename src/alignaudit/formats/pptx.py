"""The report as slides for a workshop or a board (python-pptx: `pip install
'alignaudit[pptx]'`): a title slide, a summary (each foundation's index, interval and
verdict, the key findings), then one slide per foundation with its verdict, the manager x
manager heatmap as a table coloured by verdict word as in the HTML report, and the key quotes:
the statements of the most divergent pair that find no counterpart on the other side.

Text from the answer files goes into the slides only as text runs and document properties:
python-pptx escapes XML, and every string is cleaned first (core.text.clean: no control,
invisible or bidi character) and kept to XML 1.0 characters, so nothing can become markup,
break the file or reorder what a reader sees.

`add_workshop_agenda_slide` is where a workshop plan joins the deck: it takes the agenda as
plain (when or what, detail) items; `render(report, agenda=...)` adds it after the
foundations.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from io import BytesIO
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..core.errors import UsageError
from ..core.results import UNMATCHED_BELOW, FoundationResult, PairScore, TeamReport
from ..core.text import clean
from ..core.verdict import VERDICTS
from .executive import build as build_executive
from .summary import (
    VERDICT_COLOURS,
    figure,
    interval_text,
    language_warning_text,
    overview,
    pair_word,
    signature_line,
    verdict_of,
)

if TYPE_CHECKING:
    from pptx.dml.color import RGBColor
    from pptx.dml.fill import FillFormat
    from pptx.shapes.autoshape import Shape
    from pptx.slide import Slide
    from pptx.text.text import _Paragraph
    from pptx.util import Length

INSTALL = "--format pptx needs python-pptx: pip install 'alignaudit[pptx]'"
EMU_PER_INCH = 914400
EMU_PER_PT = 12700
WIDTH, HEIGHT = 40 / 3, 7.5  # inches: 16:9 (12,192,000 x 6,858,000 EMU, as PowerPoint's)
MARGIN = 0.5
INK, MUTED, HEAD = "1D232B", "6B7580", "F4F6F8"
WARNING_FILL = "FFF3CD"
MAX_MATRIX = 12  # more managers than this: the most divergent pairs instead of the matrix
MAX_QUOTES = 3  # statements quoted a side
MAX_QUOTE_CHARS = 280
MAX_PAIRS = 8  # pairs listed when the matrix is too large for a slide

# What XML 1.0 cannot carry (C0 controls but tab and newlines, surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd\U00010000-\U0010ffff]")


def plain(text: str) -> str:
    """Text as it may go into a slide: one line, no control, invisible or bidi character
    (core.text.clean), XML 1.0 characters only."""
    return _NOT_XML.sub("", clean(text))


def _pptx() -> None:
    """Raise UsageError naming what to install when python-pptx is missing."""
    try:
        import pptx  # noqa: F401
    except ImportError:
        raise UsageError(INSTALL) from None


def require() -> None:
    """Raise UsageError naming what to install when python-pptx is missing."""
    _pptx()


def _in(inches: float) -> Length:
    from pptx.util import Emu

    return Emu(round(inches * EMU_PER_INCH))


def _pt(size: float) -> Length:
    from pptx.util import Pt

    return Pt(size)


def _rgb(colour: str) -> RGBColor:
    from pptx.dml.color import RGBColor

    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return RGBColor(red, green, blue)  # type: ignore[no-untyped-call]


def _fill(fill: FillFormat, colour: str) -> None:
    fill.solid()  # type: ignore[no-untyped-call]
    fill.fore_color.rgb = _rgb(colour)


def _align(paragraph: _Paragraph, how: str) -> None:
    from pptx.enum.text import PP_ALIGN

    paragraph.alignment = {"left": PP_ALIGN.LEFT, "centre": PP_ALIGN.CENTER}[how]


def _lines(text: str, width_in: float, size_pt: float) -> int:
    """How many lines `text` takes in a box `width_in` wide at `size_pt`: an estimate with a
    generous character width, so the fonts a viewer substitutes still fit."""
    per_line = max(1, int(width_in * 72 / (0.55 * size_pt)))
    return max(1, math.ceil(len(text) / per_line))


def _fits(texts: Sequence[str], width_in: float, height_in: float, size_pt: float) -> bool:
    lines = sum(_lines(t, width_in, size_pt) for t in texts)
    spacing = 0.35 * size_pt * len(texts)  # space between paragraphs
    return (lines * 1.2 * size_pt + spacing) / 72 <= height_in


def _size_for(
    texts: Sequence[str], width_in: float, height_in: float, sizes: Sequence[int]
) -> int | None:
    """The largest of `sizes` at which every text fits the box, or None."""
    return next((s for s in sizes if _fits(texts, width_in, height_in, s)), None)


class Deck:
    """A presentation being built: python-pptx's Presentation, 16:9, and the helpers every
    slide uses (titles, text boxes, verdict pills, tables, the legend)."""

    def __init__(self) -> None:
        _pptx()
        from pptx import Presentation

        self.prs = Presentation()
        self.prs.slide_width = _in(WIDTH)
        self.prs.slide_height = _in(HEIGHT)

    def slide(self, title: str, *, layout: int = 5) -> Slide:
        """A new slide of the default template's `layout` (5: title only, 0: title slide)
        with its title placed across the 16:9 slide."""
        slide: Slide = self.prs.slides.add_slide(self.prs.slide_layouts[layout])
        shape = slide.shapes.title
        assert shape is not None
        shape.left, shape.width = _in(MARGIN), _in(WIDTH - 2 * MARGIN)
        if layout == 5:
            shape.top, shape.height = _in(0.3), _in(0.9)
        shape.text_frame.text = plain(title)
        paragraph = shape.text_frame.paragraphs[0]
        _align(paragraph, "left")
        for run in paragraph.runs:
            run.font.size = _pt(30 if layout == 5 else 40)
            run.font.bold = True
            run.font.color.rgb = _rgb(INK)
        return slide

    def text(
        self,
        slide: Slide,
        box: tuple[float, float, float, float],
        paragraphs: Sequence[str | tuple[str, dict[str, Any]]],
        *,
        size: int = 14,
        colour: str = INK,
        fill: str | None = None,
        align: str = "left",
    ) -> Shape:
        """A text box at (left, top, width, height) inches: one paragraph a string, or a
        (string, options) pair with bold, size or colour."""
        left, top, width, height = box
        shape = slide.shapes.add_textbox(_in(left), _in(top), _in(width), _in(height))
        frame = shape.text_frame
        frame.word_wrap = True
        if fill is not None:
            _fill(shape.fill, fill)
        for i, item in enumerate(paragraphs):
            text, options = (item, {}) if isinstance(item, str) else item
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            if i:
                paragraph.space_before = _pt(0.35 * options.get("size", size))
            _align(paragraph, align)
            run = paragraph.add_run()
            run.text = plain(text)
            run.font.size = _pt(options.get("size", size))
            run.font.bold = bool(options.get("bold", False))
            run.font.color.rgb = _rgb(options.get("colour", colour))
        return shape

    def pill(
        self, slide: Slide, box: tuple[float, float, float, float], text: str, verdict: str
    ) -> None:
        """A rounded box in the verdict's colour: the figure and its word."""
        from pptx.enum.shapes import MSO_SHAPE

        left, top, width, height = box
        shape = slide.shapes.add_shape(
            MSO_SHAPE.ROUNDED_RECTANGLE, _in(left), _in(top), _in(width), _in(height)
        )
        _fill(shape.fill, VERDICT_COLOURS[verdict])
        shape.line.fill.background()
        frame = shape.text_frame
        frame.text = plain(text)
        for run in frame.paragraphs[0].runs:
            run.font.size = _pt(18)
            run.font.bold = True
            run.font.color.rgb = _rgb(INK)

    def table(
        self,
        slide: Slide,
        at: tuple[float, float],
        rows: Sequence[Sequence[str]],
        *,
        widths: Sequence[float],
        fills: dict[tuple[int, int], str] | None = None,
        size: int = 12,
        row_height: float = 0.4,
        header_column: bool = False,
        centred: bool = False,
    ) -> None:
        """A table at (left, top) inches: the first row a header (and the first column with
        `header_column`), the others plain; `fills` colours cells by (row, column);
        `centred` centres the figures."""
        from pptx.enum.text import MSO_ANCHOR

        left, top = at
        frame = slide.shapes.add_table(
            len(rows),
            len(widths),
            _in(left),
            _in(top),
            _in(sum(widths)),
            _in(row_height * len(rows)),
        )
        table = frame.table
        table.first_row = True
        table.horz_banding = False
        table.first_col = header_column
        for j, w in enumerate(widths):
            table.columns[j].width = _in(w)
        for i, row in enumerate(rows):
            table.rows[i].height = _in(row_height)
            for j, value in enumerate(row):
                head = i == 0 or (header_column and j == 0)
                cell = table.cell(i, j)
                cell.margin_left = cell.margin_right = _in(0.06)
                cell.margin_top = cell.margin_bottom = _in(0.03)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE
                colour = (fills or {}).get((i, j))
                _fill(cell.fill, colour or (HEAD if head else "FFFFFF"))
                cell.text_frame.word_wrap = True
                paragraph = cell.text_frame.paragraphs[0]
                _align(paragraph, "centre" if centred and not head else "left")
                run = paragraph.add_run()
                run.text = plain(value)
                run.font.size = _pt(size)
                run.font.bold = head
                run.font.color.rgb = _rgb(INK)

    def legend(self, slide: Slide, left: float, top: float) -> None:
        """The four verdict words in their colours, left to right."""
        for i, w in enumerate(VERDICTS):
            box = (left + i * 1.55, top, 1.45, 0.3)
            self.text(slide, box, [w], size=10, fill=VERDICT_COLOURS[w], align="centre")

    def save(self) -> bytes:
        """The deck as a .pptx file's bytes."""
        buffer = BytesIO()
        self.prs.save(buffer)
        return buffer.getvalue()


def _properties(deck: Deck, report: TeamReport) -> None:
    """The file's document properties, text from the files cleaned like every slide's."""
    props = deck.prs.core_properties
    props.title = plain(f"Alignment audit: {report.team.name}")
    props.subject = plain(overview(report))
    props.keywords = plain("alignment audit, " + ", ".join(f.value for f in report.foundations))
    props.author = props.last_modified_by = f"alignaudit {__version__}"
    props.comments = plain(signature_line(report.signature))


def _title_slide(deck: Deck, report: TeamReport) -> None:
    slide = deck.slide(f"Alignment audit: {report.team.name}", layout=0)
    title = slide.shapes.title
    assert title is not None
    title.top, title.height = _in(2.0), _in(1.4)
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.width = _in(MARGIN), _in(WIDTH - 2 * MARGIN)
    subtitle.top, subtitle.height = _in(3.5), _in(1.2)
    figures = " · ".join(
        f"{f.value} {figure(r.index)} {verdict_of(r.verdict)}"
        for f, r in report.foundations.items()
    )
    frame = subtitle.text_frame
    frame.text = plain(overview(report))
    frame.add_paragraph().text = plain(figures)
    for i, paragraph in enumerate(frame.paragraphs):
        _align(paragraph, "left")
        for run in paragraph.runs:
            run.font.size = _pt(24 if i == 0 else 16)
            run.font.color.rgb = _rgb(INK if i == 0 else MUTED)
    warning = language_warning_text(report)
    if warning is not None:
        deck.text(slide, (MARGIN, 4.9, WIDTH - 2 * MARGIN, 0.8), [warning], fill=WARNING_FILL)
    deck.text(
        slide,
        (MARGIN, 6.7, WIDTH - 2 * MARGIN, 0.5),
        [signature_line(report.signature)],
        size=10,
        colour=MUTED,
    )


def _summary_slide(deck: Deck, report: TeamReport) -> None:
    slide = deck.slide("Summary")
    rows = [["", "index [90% interval]", "verdict", "stands apart", "no answer"]]
    fills: dict[tuple[int, int], str] = {}
    overall = verdict_of(report.overall_verdict)
    rows.append(["overall", figure(report.overall_index, report.overall_interval), overall, "", ""])
    fills[(1, 2)] = VERDICT_COLOURS[overall]
    for i, (f, r) in enumerate(report.foundations.items(), start=2):
        fi = report.findings.get(f)
        apart = ", ".join(s.manager for s in fi.outliers) if fi else ""
        word = verdict_of(r.verdict)
        rows.append([f.value, figure(r.index, r.index_interval), word, apart, ", ".join(r.missing)])
        fills[(i, 2)] = VERDICT_COLOURS[word]
    widths = [1.9, 2.6, 1.9, 3.0, 2.93]
    deck.table(slide, (MARGIN, 1.3), rows, widths=widths, fills=fills, header_column=True)
    top = 1.3 + 0.4 * len(rows) + 0.3
    deck.text(slide, (MARGIN, top, 6, 0.4), [("What matters most", {"bold": True, "size": 18})])
    ex = build_executive(report)  # the summary page's ranking and next step (executive.py)
    findings = [p.text for p in ex.points] or ["Nothing beyond the figures above."]
    findings += [f"Next: {ex.next_steps[0]}"] if ex.next_steps else []
    box = (MARGIN, top + 0.45, WIDTH - 2 * MARGIN, HEIGHT - top - 0.45 - 0.3)
    deck.text(slide, box, _fitted(findings, box[2], box[3]), size=_findings_size(findings, box))


def _findings_size(findings: list[str], box: tuple[float, float, float, float]) -> int:
    bullets = _fitted(findings, box[2], box[3])
    return _size_for(bullets, box[2], box[3], (18, 16, 14, 13, 12, 11, 10)) or 10


def _fitted(findings: list[str], width: float, height: float) -> list[str]:
    """The findings as bullets, as many as fit the box at 10 pt, then how many more there
    are (the PDF and HTML reports have them all)."""
    bullets = [f"• {f}" for f in findings]
    for keep in range(len(bullets), 0, -1):
        more = len(bullets) - keep
        shown = bullets[:keep] + (
            [f"… and {more} more in the PDF or HTML report (--format pdf, html)"] if more else []
        )
        if _fits(shown, width, height, 10):
            return shown
    return bullets[:1]


def most_divergent(r: FoundationResult) -> PairScore | None:
    """The pair the key quotes come from: the lowest index (then score), as every format
    orders its evidence."""
    return min(r.pairs, key=lambda p: (p.index, p.score)) if r.pairs else None


def _quotes(pair: PairScore) -> list[tuple[str, dict[str, Any]] | str]:
    ua, ub = pair.unmatched(UNMATCHED_BELOW)
    out: list[tuple[str, dict[str, Any]] | str] = []
    for who, side in ((pair.a, ua), (pair.b, ub)):
        out.append((f"{who} says", {"bold": True}))
        if not side:
            out.append(("all matched on the other side", {"colour": MUTED}))
        for m in side[:MAX_QUOTES]:
            text = m.statement
            if len(text) > MAX_QUOTE_CHARS:
                text = text[: MAX_QUOTE_CHARS - 1].rstrip() + "…"
            out.append(f"“{text}” ({m.score:.2f})")
        if len(side) > MAX_QUOTES:
            out.append((f"+{len(side) - MAX_QUOTES} more in the report", {"colour": MUTED}))
    return out


def _matrix(r: FoundationResult, report: TeamReport) -> tuple[list[list[str]], dict[Any, str]]:
    """The heatmap: the managers who answered, each pair's index coloured by its word."""
    names = r.answered
    rows = [["", *names]]
    fills: dict[tuple[int, int], str] = {}
    for i, a in enumerate(names, start=1):
        row = [a]
        for j, b in enumerate(names, start=1):
            p = r.pair(a, b)
            if a == b or p is None:
                row.append("·")
                continue
            row.append(f"{p.index:.2f}")
            fills[(i, j)] = VERDICT_COLOURS[pair_word(p.index, report.bands)]
        rows.append(row)
    return rows, fills


def _foundation_slide(deck: Deck, report: TeamReport, r: FoundationResult) -> None:
    slide = deck.slide(r.foundation.value.capitalize())
    word = verdict_of(r.verdict)
    head = f"{figure(r.index)} {word} {interval_text(r.index_interval)}".strip()
    deck.pill(slide, (MARGIN, 1.2, 3.9, 0.5), head, word)
    fi = report.findings.get(r.foundation)
    notes = []
    if fi and fi.outliers:
        notes.append("stands apart: " + ", ".join(s.manager for s in fi.outliers))
    if r.missing:
        notes.append("no answer: " + ", ".join(r.missing))
    if notes:
        deck.text(slide, (MARGIN + 4.1, 1.2, 8.2, 0.5), ["; ".join(notes)], colour=MUTED)
    left_width, top = 6.9, 1.95
    n = len(r.answered)
    if n < 2:
        deck.text(slide, (MARGIN, top, left_width, 0.5), ["Fewer than two answers."])
    elif n <= MAX_MATRIX:
        rows, fills = _matrix(r, report)
        name_width = 1.6 if n <= 8 else 1.3
        cell = min(1.1, (left_width - name_width) / n)
        size = 12 if n <= 6 else 10 if n <= 9 else 8
        row_height = min(0.45, 4.3 / (n + 1))
        deck.table(
            slide,
            (MARGIN, top),
            rows,
            widths=[name_width, *[cell] * n],
            fills=fills,
            size=size,
            row_height=row_height,
            header_column=True,
            centred=True,
        )
        deck.legend(slide, MARGIN, top + row_height * (n + 1) + 0.3)
    else:
        worst = sorted(r.pairs, key=lambda p: (p.index, p.score))[:MAX_PAIRS]
        rows = [["most divergent pairs", "index", "verdict"]]
        fills = {}
        for i, p in enumerate(worst, start=1):
            w = pair_word(p.index, report.bands)
            rows.append([f"{p.a} × {p.b}", f"{p.index:.2f}", w])
            fills[(i, 2)] = VERDICT_COLOURS[w]
        deck.table(slide, (MARGIN, top), rows, widths=[4.2, 1.0, 1.7], fills=fills, size=11)
        deck.text(
            slide,
            (MARGIN, top + 0.4 * len(rows) + 0.2, left_width, 0.6),
            [f"{n} managers: the whole matrix is in the PDF or HTML report."],
            size=12,
            colour=MUTED,
        )
    pair = most_divergent(r)
    right = MARGIN + left_width + 0.4
    width = WIDTH - MARGIN - right
    if pair is None:
        return
    w = pair_word(pair.index, report.bands)
    heading = (f"Key quotes: {pair.a} × {pair.b}, index {pair.index:.2f} {w}", {"bold": True})
    quotes = [heading, *_quotes(pair)]
    texts = [q if isinstance(q, str) else q[0] for q in quotes]
    height = HEIGHT - top - 0.4
    size = _size_for(texts, width, height, (16, 14, 13, 12, 11, 10, 9)) or 9
    deck.text(slide, (right, top, width, height), quotes, size=size)
    deck.text(
        slide,
        (right, HEIGHT - 0.45, width, 0.35),
        [
            "statements with no counterpart on the other side; in brackets the closest one's "
            "statement similarity 0-5"
        ],
        size=9,
        colour=MUTED,
    )


AGENDA_ROWS = 6  # agenda items one slide holds legibly


def add_workshop_agenda_slide(
    deck: Deck, items: Sequence[tuple[str, str]], title: str = "Workshop agenda"
) -> None:
    """Where a workshop plan joins the deck: one slide listing its agenda, each item a (when
    or what, detail) pair such as ("09:00 Positioning", "Price leader or not: decide"). The
    plan itself is made elsewhere; this only lays it out."""
    slide = deck.slide(title)
    shown = list(items[:AGENDA_ROWS])
    if len(items) > AGENDA_ROWS:  # a slide holds so many: the rest is in the printed plan
        more = len(items) - AGENDA_ROWS
        shown.append((f"and {more} more", "the whole plan: alignaudit audit TEAM -f workshop"))
    rows = [["when / what", "detail"], *([when, detail] for when, detail in shown)]
    height = min(0.5, 5.4 / max(1, len(rows)))
    deck.table(slide, (MARGIN, 1.4), rows, widths=[4.6, 7.73], size=12, row_height=height)


def workshop_agenda(report: TeamReport) -> list[tuple[str, str]]:
    """The workshop plan (features/workshop.py) as agenda rows: the item's number, time box and
    topic, and the question to ask; most divisive first, as the plan orders them."""
    from ..features.workshop import workshop_plan

    return [
        (f"{k}. {item.topic} ({item.minutes} min)", item.question)
        for k, item in enumerate(workshop_plan(report).items, 1)
    ]


def render(report: TeamReport, *, agenda: Sequence[tuple[str, str]] | None = None) -> bytes:
    """The report as a .pptx deck: title, summary, one slide a foundation, and the workshop
    agenda (the report's own workshop plan unless another is given; () for none)."""
    if agenda is None:
        agenda = workshop_agenda(report)
    deck = Deck()
    _properties(deck, report)
    _title_slide(deck, report)
    _summary_slide(deck, report)
    for r in report.foundations.values():
        _foundation_slide(deck, report, r)
    if agenda:
        add_workshop_agenda_slide(deck, agenda)
    return deck.save()
