"""Render packaging/icons/diary.svg into the PNG sizes desktops use, an ICO and an ICNS.

Run by `make icons` after the SVG changes; the results are kept in git, so neither a build
nor a clean clone needs to render anything. Qt's SVG renderer does the drawing (no
Inkscape or rsvg needed); Qt's image plugins write the ICO (Windows) and ICNS (macOS).

    python packaging/render_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent / "icons"
APP_ID = "org.diaryapp.Diary"
# The hicolor theme's usual sizes (freedesktop icon theme spec); 512 for software centres.
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "diary.svg"))
    if not renderer.isValid():
        print(f"render_icons: {ICONS / 'diary.svg'} is not a valid SVG", file=sys.stderr)
        return 1

    def render(size: int) -> QImage:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        return image

    for size in SIZES:
        target = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(size).save(str(target), "PNG"):
            print(f"render_icons: could not write {target}", file=sys.stderr)
            return 1
    # Qt writes one image per file; the ICO holds the largest, Windows scales it down.
    # (PyInstaller's `icon=` takes the ICO; the ICNS is for a macOS bundle.)
    for name, fmt in (("diary.ico", "ICO"), ("diary.icns", "ICNS")):
        if not render(256).save(str(ICONS / name), fmt):
            print(f"render_icons: Qt could not write {name} ({fmt})", file=sys.stderr)
            return 1
    del app
    print(f"render_icons: {len(SIZES)} PNG sizes, diary.ico and diary.icns in {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
