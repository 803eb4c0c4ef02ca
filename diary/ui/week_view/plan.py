"""How the static layer paints the appointments, worked out once per layout: what each box
and band looks like (`Painted`, `Band`), grouped so that one call draws many (`Batch`).

Only grouping that cannot change a pixel: see `Batch`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QRect, QRectF

from diary.ui import style
from diary.ui.week_view.geometry import Box

_T = TypeVar("_T")


@dataclass(slots=True)
class Painted:
    """One box as the static layer paints it, worked out once per layout."""

    box: Box
    ref: str
    look: style.KindStyle
    body_stamps: list[style.Stamp] | None  # the body from cached pixmaps, when it can be
    stripe: QRectF  # on whole device pixels, as fillRect rounds it
    text: QRectF | None  # where the text goes, when there is room for it
    marker: style.Stamp | None
    marked: bool  # it has a marker (drawn where it has no stamp yet)


# A box as painted, by `BoxPainter.shape`: the stamps that paint its body (None: too
# short, none: not yet), the stripe, where the text goes (or None), the marker's stamp (or
# None), whether it has a marker, and per band: travel?, rectangle, outline.
Shape = tuple[
    list[style.Stamp] | None,
    QRectF,
    QRectF | None,
    style.Stamp | None,
    bool,
    list[tuple[bool, QRectF, QRectF]],
]


@dataclass(slots=True)
class Band:
    """A travel or wrap-up band as the static layer paints it."""

    box: Box
    look: style.KindStyle
    travel: bool
    rect: QRectF  # on whole device pixels, as fillRect rounds it
    outline: QRectF
    # Bands of one level touch no other band of it, so each level is drawn in one go: a
    # band is one level above the highest earlier band it touches (painted over that).
    level: int = 0


class ByRef(Generic[_T]):
    """Items in painting order, each box's together, so all but a box or two are quick to
    list (the selected and the dragged box are painted on their own). An appointment over
    several days has a box on each: its items are in as many places."""

    __slots__ = ("items", "_spans")

    def __init__(self) -> None:
        self.items: list[_T] = []
        self._spans: dict[str, list[tuple[int, int]]] = {}

    def add(self, ref: str, items: list[_T]) -> None:
        start = len(self.items)
        self.items.extend(items)
        self._spans.setdefault(ref, []).append((start, len(self.items)))

    def of(self, ref: str | None) -> list[_T]:
        found: list[_T] = []
        for first, end in self._spans.get(ref, []) if ref is not None else []:
            found.extend(self.items[first:end])
        return found

    def without(self, *refs: str | None) -> list[_T]:
        spans = sorted(
            span for ref in set(refs) if ref is not None for span in self._spans.get(ref, [])
        )
        if not spans:
            return self.items
        kept: list[_T] = []
        start = 0
        for first, end in spans:
            kept.extend(self.items[start:first])
            start = end
        kept.extend(self.items[start:])
        return kept


@dataclass(slots=True)
class Batch:
    """What the static layer draws, grouped so that one call draws many of a kind.

    Only grouping that cannot change a pixel: bands are drawn level by level (see
    `Band.level`); all bodies come before all stripes, texts and markers anyway.
    """

    boxes: list[Painted]
    bands: list[Band]
    # Per level and look: solid travel bands, wrap-up bands, the outlines of both.
    band_groups: list[tuple[style.KindStyle, list[QRectF], list[QRectF], list[QRectF]]]
    body_stamps: ByRef[style.Stamp]
    bodies_drawn: list[Painted]  # too short for stamps, or none yet
    stripes: list[tuple[style.KindStyle, ByRef[QRectF]]]
    texts: list[Painted]
    markers: ByRef[style.Stamp]
    markers_drawn: list[Painted]  # no stamps yet
    spans: list[QRectF]  # per day, on whole device pixels: all that is drawn lies inside

    @classmethod
    def of(
        cls, boxes: list[Painted], bands: list[Band], columns: list[QRectF], ratio: float
    ) -> Batch:
        groups: dict[
            tuple[int, int], tuple[style.KindStyle, list[QRectF], list[QRectF], list[QRectF]]
        ] = {}
        for band in bands:
            key = (band.level, id(band.look))
            group = groups.get(key)
            if group is None:
                group = groups[key] = (band.look, [], [], [])
            (group[1] if band.travel else group[2]).append(band.rect)
            group[3].append(band.outline)
        stripes: dict[int, tuple[style.KindStyle, ByRef[QRectF]]] = {}
        stamps: ByRef[style.Stamp] = ByRef()
        drawn: list[Painted] = []
        markers: ByRef[style.Stamp] = ByRef()
        markers_drawn: list[Painted] = []
        for p in boxes:
            if p.body_stamps:
                stamps.add(p.ref, p.body_stamps)
            else:
                drawn.append(p)
            stripes.setdefault(id(p.look), (p.look, ByRef()))[1].add(p.ref, [p.stripe])
            if p.marker is not None:
                markers.add(p.ref, [p.marker])
            elif p.marked:
                markers_drawn.append(p)
        # What each day's boxes and bands cover, and a few pixels for pens and stamps.
        heights: dict[int, tuple[float, float]] = {}
        for rect, day in [(p.box.rect, p.box.segment.day_index) for p in boxes] + [
            (band.rect, band.box.segment.day_index) for band in bands
        ]:
            low, high = heights.get(day, (rect.top(), rect.bottom()))
            heights[day] = (min(low, rect.top()), max(high, rect.bottom()))
        spans = []
        for day, (low, high) in sorted(heights.items()):
            column = columns[day]
            top = math.floor((low - 4) * ratio) / ratio
            bottom = math.ceil((high + 4) * ratio) / ratio
            left = math.floor((column.left() - 2) * ratio) / ratio
            right = math.ceil((column.right() + 2) * ratio) / ratio
            spans.append(QRectF(left, top, right - left, bottom - top))
        return cls(
            boxes,
            bands,
            [groups[key] for key in sorted(groups, key=lambda key: key[0])],
            stamps,
            drawn,
            list(stripes.values()),
            [p for p in boxes if p.text is not None],
            markers,
            markers_drawn,
            spans,
        )


_STAMPS: dict[float, tuple[style.MarkerStamps, style.BoxStamps]] = {}


def stamps_for(ratio: float) -> tuple[style.MarkerStamps, style.BoxStamps]:
    """The stamps of markers and box bodies at a pixel ratio, shared by all views."""
    stamps = _STAMPS.get(ratio)
    if stamps is None:
        stamps = _STAMPS[ratio] = (style.MarkerStamps(ratio), style.BoxStamps(ratio))
    return stamps


def fill_rect(rect: QRectF, ratio: float) -> QRectF:
    """`rect` on the whole device pixels that QPainter.fillRect (no antialiasing) covers."""
    if ratio == 1.0:
        left = math.floor(rect.left() + 0.5)
        top = math.floor(rect.top() + 0.5)
        return QRectF(
            left,
            top,
            math.floor(rect.right() + 0.5) - left,
            math.floor(rect.bottom() + 0.5) - top,
        )
    left = math.floor(rect.left() * ratio + 0.5)
    top = math.floor(rect.top() * ratio + 0.5)
    right = math.floor(rect.right() * ratio + 0.5)
    bottom = math.floor(rect.bottom() * ratio + 0.5)
    return QRectF(left / ratio, top / ratio, (right - left) / ratio, (bottom - top) / ratio)


def level_bands(bands: list[Band]) -> None:
    """Set each band's `level`: one above the highest earlier band it touches (or nearly:
    a pixel around it), so that drawing level by level paints what drawing one by one does."""
    touching: dict[int, list[int]] = {}  # band index: earlier touching band indices
    by_day: dict[int, list[tuple[float, float, float, float, int]]] = {}
    for index, band in enumerate(bands):
        near = band.rect.adjusted(-1, -1, 1, 1)
        by_day.setdefault(band.box.segment.day_index, []).append(
            (near.top(), near.bottom(), near.left(), near.right(), index)
        )
    for spans in by_day.values():
        spans.sort()
        active: list[tuple[float, float, float, float, int]] = []
        for span in spans:
            top, _bottom, left, right, index = span
            active = [other for other in active if other[1] > top]
            for other in active:
                if other[2] < right and left < other[3]:
                    first, last = sorted((index, other[4]))
                    touching.setdefault(last, []).append(first)
            active.append(span)
    for index, band in enumerate(bands):
        earlier = touching.get(index)
        if earlier:
            band.level = 1 + max(bands[i].level for i in earlier)


def scaled(rect: QRect, ratio: float) -> QRect:
    """`rect` (logical pixels) in device pixels."""
    return QRect(
        int(rect.x() * ratio),
        int(rect.y() * ratio),
        int(rect.width() * ratio),
        int(rect.height() * ratio),
    )
