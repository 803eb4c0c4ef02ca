"""The week and day views as a small package, one job per module (after KDE eventviews' agenda):

- `axis`: where an instant goes on a day column (minutes), and back; no Qt.
- `layout`: appointments split into per-day segments, overlaps side by side; no Qt.
- `geometry`: the layout cache: a rectangle per segment and band; `rect_for`, `point_for`,
  hit testing.
- `plan`, `boxes`, `layers`: painting: the batched plan of each box, the boxes and bands,
  the cached pixmap layers and the now-line.
- `drag` and `ghost`: the drag controller (press, move, resize, draw), the ghost it shows and
  the rule snapshot it judges on.
- `header`, `gutter`: the day names with reserves, badges and all-day chips; the hour labels.
- `loading`: the week (or day) a date shows and its agenda, newest answer only.
- `keyboard`, `gestures`: which appointment an arrow selects, where Alt+arrow moves one;
  what clicks and keys ask for (select, edit, create, move, cancel).
- `view`: `TimeGridView`, the widget that wires them.
"""

from __future__ import annotations

from diary.ui.week_view.view import TimeGridView

__all__ = ["TimeGridView"]
