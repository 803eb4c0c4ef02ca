"""Crash reports people can act on: a rotating log, faulthandler, one dialog per crash.

Beside the layers (like `i18n`), with no Qt: the window passes in how to show a report
(`diary.ui.crash_dialog.show_crash_report`). After qutebrowser's misc/crashsignal.py: a
hard crash (segfault, abort) is written by `faulthandler` to a file of its own, and an
exception raised while a report is being shown is logged, never shown in a second dialog.
"""

from __future__ import annotations

import faulthandler
import io
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from diary.about import APP_NAME, VERSION

log = logging.getLogger("diary")

LOG_NAME = "diary.log"
FAULTS_NAME = "faults.log"  # what faulthandler wrote when the process died hard
PREVIOUS_FAULTS_NAME = "faults.previous.log"
LOG_BYTES = 1_000_000  # per file; with the backups at most ~6 MB of log
LOG_BACKUPS = 5
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


@dataclass(frozen=True)
class CrashReport:
    """An uncaught exception, for the person in front of the window."""

    problem: str  # one line: "ValueError: no such appointment"
    text: str  # the whole report: versions, platform, traceback
    log_file: Path  # where the log (with this report) is


ShowReport = Callable[[CrashReport], None]


def environment_lines() -> list[str]:
    """The versions a report needs: diary, Python, the platform, Qt when it is loaded."""
    import platform  # (here: it reads the interpreter's file, not a start's business)

    lines = [
        f"{APP_NAME} {VERSION}",
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        f"Platform {platform.platform()}",
    ]
    qt_core = sys.modules.get("PySide6.QtCore")
    if qt_core is not None:
        lines.append(f"Qt {qt_core.qVersion()}, PySide6 {getattr(qt_core, '__version__', '?')}")
    if getattr(sys, "frozen", False):
        lines.append("Bundle (PyInstaller)")
    return lines


class RotatingLog(logging.FileHandler):
    """A log file that moves to .1 (.1 to .2, ...) before it would pass `max_bytes`,
    keeping `backups` old files: logging.handlers.RotatingFileHandler's behaviour, without
    importing logging.handlers (socket, pickle and queue come with it: milliseconds of
    every start, before the window's first paint)."""

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, encoding="utf-8")
        self.max_bytes = max_bytes
        self.backups = backups

    def _open(self) -> io.TextIOWrapper:
        # 0600 from the first byte, the file a rotation starts included (the log holds
        # customers' names and tracebacks), never through a link: the rules of
        # diary.services.output_files. A link the owner put there is followed as before.
        try:
            descriptor = os.open(
                self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600
            )
        except OSError:
            return super()._open()
        return open(descriptor, "a", encoding=self.encoding, errors=self.errors)  # noqa: SIM115

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream is not None and self.stream.tell() > 0:
                size = len(self.format(record).encode("utf-8", "replace")) + 1
                if self.stream.tell() + size > self.max_bytes:
                    self._rotate()
        except Exception:
            self.handleError(record)
            return
        super().emit(record)

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # reopened by _open below
        base = self.baseFilename
        for number in range(self.backups - 1, 0, -1):
            older = f"{base}.{number}"
            if os.path.exists(older):
                os.replace(older, f"{base}.{number + 1}")
        if os.path.exists(base):
            os.replace(base, f"{base}.1")
        self.stream = self._open()


class CrashHandler:
    """Logs to `folder` (rotating), routes hard crashes there, reports uncaught exceptions.

    `show` is called once per uncaught exception on the thread that raised it (the GUI
    thread for slots and event handlers); None logs only. An exception raised while `show`
    runs (its dialog runs an event loop, in which other slots may fail) is logged only.
    """

    def __init__(self, folder: Path, show: ShowReport | None = None) -> None:
        self.folder = folder
        self.show = show
        self.log_file = folder / LOG_NAME
        self.faults_file = folder / FAULTS_NAME
        self.previous_faults: str | None = None  # what the last run's hard crash wrote
        self.reports: list[CrashReport] = []
        self._handling = False
        self._lock = threading.Lock()
        self._log_handler: logging.Handler | None = None
        self._faults: IO[str] | None = None
        self._saved_hooks: tuple[object, object] | None = None

    # -- setting up ---------------------------------------------------------------------

    def install(self) -> None:
        """Start logging to the log folder and take over sys.excepthook and faulthandler."""
        self.folder.mkdir(parents=True, exist_ok=True)
        _keep_private(self.folder, (LOG_NAME, FAULTS_NAME))
        handler = RotatingLog(self.log_file, LOG_BYTES, LOG_BACKUPS)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root = logging.getLogger()
        root.addHandler(handler)
        if root.level == logging.NOTSET or root.level > logging.INFO:
            root.setLevel(logging.INFO)
        self._log_handler = handler
        self._start_faulthandler()
        self._saved_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle
        threading.excepthook = self._thread_hook
        log.info("%s %s started, Python %s", APP_NAME, VERSION, sys.version.split()[0])

    def _start_faulthandler(self) -> None:
        # A non-empty file means the last run died hard: keep what it wrote, start afresh.
        try:
            earlier = self.faults_file.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            earlier = ""
        if earlier.strip():
            self.previous_faults = earlier
            self.faults_file.replace(self.folder / PREVIOUS_FAULTS_NAME)
            log.warning("diary stopped abruptly last time:\n%s", earlier.rstrip())
        self._faults = open(self.faults_file, "w", encoding="utf-8")  # noqa: SIM115 - kept open
        faulthandler.enable(file=self._faults, all_threads=True)

    def uninstall(self) -> None:
        """Give back the hooks and close the files (tests; the app keeps them to the end)."""
        if self._saved_hooks is not None:
            sys.excepthook, threading.excepthook = self._saved_hooks  # type: ignore[assignment]
            self._saved_hooks = None
        if self._faults is not None:
            faulthandler.disable()
            self._faults.close()
            self._faults = None
        if self._log_handler is not None:
            logging.getLogger().removeHandler(self._log_handler)
            self._log_handler.close()
            self._log_handler = None

    # -- reporting ----------------------------------------------------------------------

    def report_for(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> CrashReport:
        trace = "".join(traceback.format_exception(kind, error, tb))
        problem = "".join(traceback.format_exception_only(kind, error)).strip()
        text = "\n".join([*environment_lines(), "", trace.rstrip()])
        summary = problem.splitlines()[-1] if problem else kind.__name__
        return CrashReport(summary, text, self.log_file)

    def handle(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        """sys.excepthook: log the exception, then show it unless a report is showing."""
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)  # Ctrl+C in a terminal stops the app
            return
        report = self.report_for(kind, error, tb)
        log.error("uncaught exception\n%s", report.text)
        with self._lock:
            if self._handling:
                # Raised while a report is on screen: logged above, one dialog is enough.
                return
            self._handling = True
        try:
            self.reports.append(report)
            if self.show is not None:
                self.show(report)
        except Exception:  # the dialog itself failed: the log and stderr still have it
            log.exception("the crash report could not be shown")
            print(report.text, file=sys.stderr)
        finally:
            with self._lock:
                self._handling = False

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        # A worker thread cannot open a dialog; its failures reach the window through the
        # bridge. What escapes even that is logged here.
        log.error(
            "uncaught exception in thread %s",
            args.thread.name if args.thread else "?",
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),  # type: ignore[arg-type]
        )


def _keep_private(folder: Path, names: tuple[str, ...]) -> None:
    """The log folder 0700 and its files 0600 from their first byte (they hold customers'
    names and tracebacks): created so before the handlers open them, tightened if an older
    diary left them readable, never through a link. The rules of
    `diary.services.output_files`, without loading the services before the first paint."""
    try:
        folder.chmod(0o700)
        for name in names:
            descriptor = os.open(
                folder / name, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600
            )
            try:
                os.fchmod(descriptor, 0o600)
            finally:
                os.close(descriptor)
    except OSError as error:  # a link the owner put there, a read-only folder: start anyway
        print(f"diary: the log folder {folder} is not private: {error}", file=sys.stderr)
