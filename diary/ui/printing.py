"""`diary print`: a view rendered to a PNG or a PDF page, e.g. a day sheet to take along."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from diary.i18n import Formatter, install
from diary.services.clock import Clock

SIZES = {"day": (900, 1200), "week": (1600, 1100), "agenda": (1000, 1300)}


def _application() -> object:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def render_widget(widget: object, out: str | Path) -> None:
    """Save a widget as it looks now: PNG (or any image format) by grab, PDF by QPdfWriter.

    Written as every file diary writes: 0600, beside `out` and renamed over it when done,
    never through a link (`diary.services.output_files`).
    """
    from diary.services.output_files import private_output

    with private_output(out) as temporary:
        _render_widget(widget, temporary)


def _render_widget(widget: object, out: str | Path) -> None:
    from PySide6.QtCore import QMarginsF, QPoint
    from PySide6.QtGui import (
        QColor,
        QImage,
        QPageLayout,
        QPageSize,
        QPainter,
        QPdfWriter,
        QRegion,
    )
    from PySide6.QtWidgets import QWidget

    assert isinstance(widget, QWidget)
    path = Path(out)
    if path.suffix.lower() != ".pdf":
        if not widget.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        return
    writer = QPdfWriter(str(path))
    landscape = widget.width() > widget.height()
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
            QMarginsF(10, 10, 10, 10),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(widget.windowTitle() or "diary")
    # Rendered through an image at twice the pixels: the PDF engine cannot draw every
    # gradient the widget style uses, and the page looks the same as on screen.
    image = QImage(widget.size() * 2, QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(2)
    image.fill(QColor("white"))
    image_painter = QPainter(image)
    widget.render(image_painter, QPoint(), QRegion(), QWidget.RenderFlag.DrawChildren)
    image_painter.end()
    painter = QPainter(writer)
    area = painter.viewport()
    scale = min(area.width() / max(1, widget.width()), area.height() / max(1, widget.height()))
    painter.scale(scale, scale)
    painter.drawImage(QPoint(), image)
    painter.end()


def render_view(
    db_url: str,
    view: str,
    day: date,
    out: Path,
    tz: str | None = None,
    clock: Clock | None = None,
) -> None:
    """Render the day sheet, the week or the agenda of `day` from the diary at `db_url` to
    `out`: the day as a document (PDF pages, or a PNG of its first page), the week and the
    agenda as pictures of their views.

    `clock` is the program's clock (the now-line, promises at risk); default: the wall clock.
    """
    if view not in SIZES:
        raise ValueError(f"view must be one of {', '.join(SIZES)}, not {view!r}")
    if Path(out).suffix.lower() not in (".pdf", ".png"):
        raise ValueError(f"{out}: the file must end in .pdf or .png")
    _application()
    from PySide6.QtCore import Qt

    from diary.services import DiaryService
    from diary.services.clock import SystemClock, system_zone
    from diary.ui.agenda_view import AgendaView
    from diary.ui.bridge import Bridge
    from diary.ui.week_view import TimeGridView

    clock = clock or SystemClock()
    service = DiaryService.open(db_url or None, zone=tz, clock=clock)
    try:
        policy = service.policy()
        zone = tz or policy.zone or system_zone()
        formatter = Formatter(policy.locale or None, zone)
        install(formatter.locale)
        if view == "day":
            # The day sheet is a document (text, pages), never a picture of the widget.
            from diary.ui.day_sheet import render_day_sheet

            render_day_sheet(service.day_sheet(day, zone), formatter, out)
            return
        bridge = Bridge(service, synchronous=True)  # no window to keep responsive: load at once
        widget: TimeGridView | AgendaView
        if view == "agenda":
            widget = AgendaView(bridge, formatter, clock=clock)
        else:
            widget = TimeGridView(bridge, formatter, policy, 7, clock=clock)
            widget.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        widget.setObjectName(f"{view}View")
        width, height = SIZES[view]
        widget.resize(width, height)
        widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        widget.show()
        widget.show_date(day)
        render_widget(widget, out)
        widget.close()
        widget.deleteLater()
    finally:
        service.close()
