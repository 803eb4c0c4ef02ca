"""Files the window's Qt writers produce follow diary's rules for every file it writes
(`diary.services.output_files`): 0600 from the first byte, written beside the target and
renamed over it when complete, never through a symbolic link, never over the database.

- A PDF or image you render yourself (QPdfWriter, QImage.save, QWidget.grab().save):
  `with private_output(path, protected=service.database.files) as temporary:` and write to
  `temporary` (same folder, same suffix, so Qt picks the same format).
- A QPrinter the print dialog set to print to a file: `print_to(printer, paint)`.
- Bytes you have (a CSV): `write_private(path, data, protected=...)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from PySide6.QtPrintSupport import QPrinter

from diary.services.output_files import private_output, write_private

T = TypeVar("T")

__all__ = ["print_to", "private_output", "write_private"]


def print_to(
    printer: QPrinter, paint: Callable[[QPrinter], T], protected: Iterable[Path] = ()
) -> T:
    """Run `paint(printer)`; when the printer prints to a file (a PDF), the file is written
    under the rules above. Raises OutputRefused (an InputError) for a target it may not
    write, before anything is painted."""
    target = printer.outputFileName()
    if not target:
        return paint(printer)  # a real printer: nothing lands on disk here
    with private_output(target, protected) as temporary:
        printer.setOutputFileName(str(temporary))
        try:
            return paint(printer)
        finally:
            printer.setOutputFileName(target)
