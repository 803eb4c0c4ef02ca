"""The day sheet as a document: selectable text laid out by QTextDocument, printed to a
printer or a PDF (A4 or Letter), as many pages as the day needs.

`sheet_html` turns the plain `DaySheet` (diary.services.day_sheet) into HTML; `write_pdf`,
`print_on` and `write_png` put it on paper, in a file or in a picture of its first page.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF
from PySide6.QtGui import (
    QColor,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from diary.domain.local_time import is_ambiguous
from diary.i18n import Formatter, _, ngettext, paper_size
from diary.wording import describe

if TYPE_CHECKING:
    from diary.services.day_sheet import DaySheet, SheetJob
    from diary.services.promises import PromiseView

MARGIN_MM = 20.0  # what QTextDocument.print_ keeps around an unpaginated document
# The style sheet Qt's rich text understands (a subset of CSS 2.1).
CSS = """
body { font-family: sans-serif; font-size: 10pt; color: #1f2430; }
h1 { font-size: 17pt; margin: 0; }
h2 { font-size: 12pt; margin-top: 14px; margin-bottom: 4px; color: #2f6fb3; }
.owner { font-size: 11pt; color: #5b6270; margin: 0; }
.summary { color: #5b6270; margin-top: 4px; }
td { padding: 3px 6px 3px 0; vertical-align: top; }
td.when { white-space: nowrap; }
td.first { padding-top: 9px; }
.leave { color: #8a5a00; }
.title { font-size: 11pt; font-weight: bold; }
.muted { color: #5b6270; }
.flag { color: #b71c1c; }
.notes { font-style: italic; }
"""


def _page_size(name: str) -> QPageSize:
    return QPageSize(QPageSize.PageSizeId.Letter if name == "Letter" else QPageSize.PageSizeId.A4)


class SheetText:
    """The words of one sheet, in the formatter's locale and zone."""

    def __init__(self, sheet: DaySheet, formatter: Formatter) -> None:
        self.sheet = sheet
        self.formatter = formatter

    def time(self, moment: datetime) -> str:
        """A time of day; in the repeated hour of a clock change it says which one
        ("01:30 BST", "01:30 GMT"), so the two are told apart on paper too."""
        text = self.formatter.time(moment)
        if is_ambiguous(moment, ZoneInfo(self.sheet.zone)):
            text += " " + (self.formatter.local(moment).tzname() or "")
        return text

    def when(self, job: SheetJob) -> str:
        a = job.appointment
        start = self.time(a.start)
        end = self.time(a.end)
        if job.continued:
            start = "… " + self.formatter.date_medium(self.formatter.local(a.start).date())
        if job.goes_on:
            end = self.formatter.date_medium(self.formatter.local(a.end).date()) + " " + end
        return f"{start} – {end}"

    def html(self) -> str:
        sheet = self.sheet
        f = self.formatter
        parts = [f"<html><head><style>{CSS}</style></head><body>"]
        parts.append(f"<h1>{escape(f.date_long(sheet.day))}</h1>")
        if sheet.owner:
            parts.append(f"<p class='owner'>{escape(sheet.owner)}</p>")
        parts.append(f"<p class='summary'>{escape(self.summary())}</p>")
        if sheet.all_day:
            titles = ", ".join(a.title for a in sheet.all_day)
            words = _("All day: {titles}").format(titles=titles)
            parts.append(f"<p>{escape(words)}</p>")
        if sheet.jobs:
            parts.append("<table width='100%' cellspacing='0'>")
            for job in sheet.jobs:
                parts.append(self.job_rows(job))
            parts.append("</table>")
        else:
            nothing = _("Nothing booked.")
            parts.append(f"<p>{escape(nothing)}</p>")
        parts.append(self.promises_html())
        heading = _("Free reserve")
        parts.append(f"<h2>{escape(heading)}</h2><p>{escape(self.reserve())}</p>")
        parts.append("</body></html>")
        return "".join(parts)

    def summary(self) -> str:
        sheet = self.sheet
        count = len(sheet.jobs)
        jobs = ngettext("{count} appointment", "{count} appointments", count).format(count=count)
        if sheet.working is None:
            return _("{jobs}; a day off").format(jobs=jobs)
        start, end = sheet.working
        return _("{jobs}; working hours {start} – {end}").format(
            jobs=jobs, start=self.formatter.time(start), end=self.formatter.time(end)
        )

    def job_rows(self, job: SheetJob) -> str:
        a = job.appointment
        rows = []
        if job.departure is not None:
            leave = job.departure
            when = _("leave {time}").format(time=self.time(leave.leave_at))
            where = _("from {place}, {minutes} travel").format(
                place=leave.origin or _("where you are"),
                minutes=self.formatter.minutes(leave.travel_minutes),
            )
            rows.append(
                f"<tr><td class='when leave first'><b>{escape(when)}</b></td>"
                f"<td class='leave first'>{escape(where)}</td></tr>"
            )
        lines = [f"<span class='title'>{escape(a.title)}</span>"]
        if a.customer is not None:
            reach = [a.customer.name]
            if a.customer.phone:
                reach.append(_("phone {number}").format(number=a.customer.phone))
            if a.customer.email:
                reach.append(a.customer.email)
            lines.append(escape(" · ".join(reach)))
        if a.location is not None:
            place = a.location.address or a.location.name
            if a.location.remote:
                place = _("{place} (remote)").format(place=place)
            text = escape(place)
            if a.location.address and not a.location.address.startswith(a.location.name):
                text = f"{escape(a.location.name)}, {text}"
            if job.map_url:
                link = _("map")
                text += f" · <a href='{escape(job.map_url, quote=True)}'>{escape(link)}</a>"
            lines.append(text)
        if a.notes.strip():
            notes = "<br>".join(escape(line) for line in a.notes.strip().splitlines())
            lines.append(f"<span class='notes'>{notes}</span>")
        if job.wrapup_minutes:
            lines.append(
                "<span class='muted'>"
                + escape(
                    _("wrap-up {minutes}, until {time}").format(
                        minutes=self.formatter.minutes(job.wrapup_minutes),
                        time=self.time(_after(a.end, job.wrapup_minutes)),
                    )
                )
                + "</span>"
            )
        for flag in job.flags:
            lines.append(f"<span class='flag'>⚠ {escape(describe(flag))}</span>")
        first = "" if rows else " first"  # a job begins with its departure, if it has one
        rows.append(
            f"<tr><td class='when{first}'><b>{escape(self.when(job))}</b></td>"
            f"<td class='{first.strip()}'>{'<br>'.join(lines)}</td></tr>"
        )
        return "".join(rows)

    def promises_html(self) -> str:
        sheet = self.sheet
        parts = []
        if sheet.due:
            heading = _("Promises due today")
            parts.append(f"<h2>{escape(heading)}</h2><ul>")
            parts.extend(f"<li>{self.promise_line(view)}</li>" for view in sheet.due)
            parts.append("</ul>")
        if sheet.at_risk:
            heading = _("Promises at risk")
            parts.append(f"<h2>{escape(heading)}</h2><ul>")
            parts.extend(
                f"<li>{self.promise_line(view, dated=True)}</li>" for view in sheet.at_risk
            )
            parts.append("</ul>")
        return "".join(parts)

    def promise_line(self, view: PromiseView, *, dated: bool = False) -> str:
        from diary.services.drafts import describe_reasons

        p = view.promise
        due = self.time(p.due)
        if dated:
            due = f"{self.formatter.date_medium(self.formatter.local(p.due).date())} {due}"
        reach = p.customer.phone or p.customer.email
        text = _("{what} for {customer}, due {due}").format(
            what=p.what, customer=p.customer.name, due=due
        )
        if reach:
            text += f" ({reach})"
        html = escape(text)
        reasons = describe_reasons(view.assessment.reasons) if view.at_risk else []
        if reasons:
            html += "<br><span class='flag'>⚠ " + escape("; ".join(reasons)) + "</span>"
        return html

    def reserve(self) -> str:
        reserve = self.sheet.reserve
        if reserve is None:
            return _("No working hours on this day.")
        free = self.formatter.minutes(max(0, reserve.free_minutes))
        kept = self.formatter.minutes(reserve.reserve_minutes)
        if reserve.breached:
            return _("Only {free} free for urgent calls; {kept} should stay free.").format(
                free=free, kept=kept
            )
        return _("{free} free for urgent calls ({kept} kept).").format(free=free, kept=kept)


def _after(moment: datetime, minutes: int) -> datetime:
    from datetime import timedelta

    from diary.domain.model import later

    return later(moment, timedelta(minutes=minutes))


def sheet_html(sheet: DaySheet, formatter: Formatter) -> str:
    """The sheet as the HTML the document is built from."""
    return SheetText(sheet, formatter).html()


def sheet_document(sheet: DaySheet, formatter: Formatter) -> QTextDocument:
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setHtml(sheet_html(sheet, formatter))
    document.setMetaInformation(
        QTextDocument.MetaInformation.DocumentTitle,
        _("Day sheet {date}").format(date=formatter.date_medium(sheet.day)),
    )
    return document


def _layout(paper: str, margin_mm: float = MARGIN_MM) -> QPageLayout:
    return QPageLayout(
        _page_size(paper),
        QPageLayout.Orientation.Portrait,
        QMarginsF(margin_mm, margin_mm, margin_mm, margin_mm),
        QPageLayout.Unit.Millimeter,
    )


def print_on(document: QTextDocument, device: QPagedPaintDevice) -> None:
    """Lay the document out on `device`'s pages (page numbers at the foot) and print it."""
    document.print_(device)


def write_pdf(document: QTextDocument, out: str | Path, paper: str) -> None:
    """A PDF of the document on `paper` ("A4" or "Letter"), text selectable."""
    writer = QPdfWriter(str(out))
    writer.setTitle(document.metaInformation(QTextDocument.MetaInformation.DocumentTitle))
    writer.setCreator("diary")
    writer.setResolution(300)
    # No page margin of our own: printing an unpaginated document keeps 2 cm around it.
    writer.setPageLayout(_layout(paper, 0.0))
    print_on(document, writer)
    if not Path(out).exists():
        raise OSError(f"could not write {out}")


def write_png(document: QTextDocument, out: str | Path, paper: str, dpi: int = 110) -> None:
    """A picture of the first page as it prints (for a quick look, or a chat message)."""
    layout = _layout(paper)
    page = layout.fullRectPoints()
    scale = dpi / 72.0
    size = (int(page.width() * scale), int(page.height() * scale))
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.scale(scale, scale)
    margins = layout.marginsPoints()
    painter.translate(margins.left(), margins.top())
    body = QSizeF(
        page.width() - margins.left() - margins.right(),
        page.height() - margins.top() - margins.bottom(),
    )
    copy = document.clone()
    copy.setPageSize(body)
    copy.drawContents(painter, QRectF(QPointF(0, 0), body))
    painter.end()
    if not image.save(str(out)):
        raise OSError(f"could not write {out}")


def render_day_sheet(sheet: DaySheet, formatter: Formatter, out: str | Path) -> None:
    """Write the sheet to `out`: a PDF (.pdf) or a picture of its first page (.png), on the
    paper of the formatter's locale."""
    document = sheet_document(sheet, formatter)
    paper = paper_size(formatter.locale)
    if str(out).lower().endswith(".pdf"):
        write_pdf(document, out, paper)
    else:
        write_png(document, out, paper)
