"""The one way the window reaches the services: calls run on a worker thread, results come back
on the GUI thread as signals, and every change says which days it touched.

A bridge can also open the diary itself (`Bridge.opening`): the window paints first, the
database layer is imported and the diary opened on a thread, and `ready` says when. Calls made
before then wait in order and run once the diary is open.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

if TYPE_CHECKING:
    import queue

    from diary.services import DiaryService


log = logging.getLogger(__name__)

T = TypeVar("T")
Call = Callable[["DiaryService"], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
Opener = Callable[[], "DiaryService"]
# Runs on the opening thread right after opening (the window reads the policy there).
Prepare = Callable[["DiaryService"], Any]

MAIN = "main"
BACKGROUND = "background"
SYNC = "sync"  # talking to a calendar server: network waits never hold the other lanes
WATCH_SECONDS = 0.25  # the live watcher looks for the stop request this often
# A background job waits this long at most for the main lane to go idle: what the user looks
# at (the shown week, a drag) comes first, background checks never starve.
YIELD_SECONDS = 0.5


@dataclass(slots=True)
class _Job:
    """One call queued for a worker."""

    number: int
    call: Call
    key: str | None  # jobs with the same key coalesce: only the latest runs


class _Worker(QThread):
    """Runs jobs one after the other; a lane of its own for each kind of work."""

    finished_job = Signal(int, object)
    failed_job = Signal(int, object)

    def __init__(
        self, service: DiaryService, parent: QObject, yield_to: _Worker | None = None
    ) -> None:
        import queue  # the workers start once the diary is open, after the first paint

        super().__init__(parent)
        self._service = service
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._latest: dict[str, int] = {}
        self._yield_to = yield_to
        self.idle = threading.Event()  # nothing queued or running
        self.idle.set()

    def submit(self, job: _Job) -> None:
        if job.key is not None and job.number > self._latest.get(job.key, 0):
            self._latest[job.key] = job.number
        self.idle.clear()
        self._jobs.put(job)

    def stop(self) -> None:
        self._jobs.put(None)

    def run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                self.idle.set()  # a background lane waiting for this one must not wait on
                return
            if job.key is not None and self._latest.get(job.key) != job.number:
                self.finished_job.emit(job.number, _SKIPPED)
            else:
                if self._yield_to is not None:
                    self._yield_to.idle.wait(YIELD_SECONDS)
                try:
                    result = job.call(self._service)
                except Exception as error:  # noqa: BLE001 - delivered to the caller's handler
                    self.failed_job.emit(job.number, error)
                else:
                    self.finished_job.emit(job.number, result)
            if self._jobs.empty():
                self.idle.set()


class _Watching(QThread):
    """Waits for other writers' commits and reports what they changed (issue 13: every
    window always current). Polls or listens on a connection of its own; never the GUI's."""

    external = Signal(object)  # diary.services.live.ExternalChange

    def __init__(self, service: DiaryService, parent: QObject) -> None:
        super().__init__(parent)
        self._service = service
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        try:
            live = self._service.live_changes()
        except Exception:  # noqa: BLE001 - a window without live updates still works
            log.warning("live updates are off: no watcher for this database", exc_info=True)
            return
        try:
            while not self._stop.is_set():
                try:
                    change = live.next(WATCH_SECONDS)
                except Exception:  # noqa: BLE001 - a failed look is retried, logged once
                    log.warning("looking for other writers' changes failed", exc_info=True)
                    self._stop.wait(1.0)
                    continue
                if change is not None and not self._stop.is_set():
                    self.external.emit(change)
        finally:
            live.close()


class _Opening(QThread):
    """Opens the diary (importing the database layer on the way) off the GUI thread."""

    opened = Signal()

    def __init__(self, opener: Opener, prepare: Prepare | None, parent: QObject) -> None:
        super().__init__(parent)
        self._opener = opener
        self._prepare = prepare
        # Read on the GUI thread after `opened` (or after wait() when shutting down).
        self.service: DiaryService | None = None
        self.prepared: object = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            service = self._opener()
        except Exception as error:  # noqa: BLE001 - reported by the bridge's open_failed
            self.error = error
        else:
            self.service = service
            if self._prepare is not None:
                try:
                    self.prepared = self._prepare(service)
                except Exception as error:  # noqa: BLE001 - as above
                    self.error = error
        self.opened.emit()


def _guarded(owner: QObject, handler: Callable[[Any], None] | None) -> Callable[[Any], None] | None:
    if handler is None:
        return None

    def guarded(value: Any) -> None:
        if shiboken6.isValid(owner):
            handler(value)

    return guarded


class _Skipped:
    pass


_SKIPPED = _Skipped()


class Bridge(QObject):
    """Runs service calls off the GUI thread and reports results and changed days.

    `synchronous=True` runs each call at once on the calling thread (the benchmark uses it).
    """

    changed = Signal(object)  # frozenset[date]: the days whose contents changed
    edited = Signal(object)  # frozenset[date]: changed by a call of this window (not others)
    busy_changed = Signal(bool)
    error = Signal(object)  # an exception no caller handled
    touched = Signal(str)  # a topic ("promises", "customers", "all") whose data changed
    ready = Signal(object)  # the diary is open: what `prepare(service)` returned (or None)
    open_failed = Signal(object)  # the diary could not be opened: the exception

    def __init__(
        self,
        service: DiaryService | None,
        parent: QObject | None = None,
        *,
        synchronous: bool = False,
        live: bool = True,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self.synchronous = synchronous
        self.live = live  # watch for other writers' commits (a thread of its own)
        self._watching: _Watching | None = None
        self._numbers = itertools.count(1)
        self._pending: dict[int, tuple[Done | None, Failed | None]] = {}
        self._workers: dict[str, _Worker] = {}
        self._waiting: list[tuple[str, _Job]] = []  # calls made before the diary was open
        self._opening: _Opening | None = None
        self._stopped = False
        self.failure: BaseException | None = None  # why opening failed, if it did
        if service is not None and not synchronous:
            self._start_workers(service)

    @classmethod
    def opening(
        cls, opener: Opener, prepare: Prepare | None = None, parent: QObject | None = None
    ) -> Bridge:
        """A bridge without a diary yet: `open()` runs `opener` (then `prepare`) on a thread."""
        bridge = cls(None, parent)
        bridge._opening = _Opening(opener, prepare, bridge)
        bridge._opening.opened.connect(bridge._on_opened)
        return bridge

    @property
    def service(self) -> DiaryService:
        """The open diary (only once `is_ready`: before then there is none to read)."""
        if self._service is None:
            raise RuntimeError("the diary is not open yet: wait for Bridge.ready")
        return self._service

    @property
    def is_ready(self) -> bool:
        return self._service is not None

    @property
    def is_opening(self) -> bool:
        """Opening was asked for (or is still to be) and has neither succeeded nor failed."""
        return self._service is None and self.failure is None and not self._stopped

    @property
    def pending(self) -> int:
        return len(self._pending)

    def open(self) -> None:
        """Start opening the diary on its thread (once; a no-op for a bridge given a service)."""
        opening = self._opening
        if opening is not None and not opening.isRunning() and not opening.isFinished():
            opening.start()

    def open_now(self) -> None:
        """Open on this thread and wait (for a caller with no window to keep responsive)."""
        opening = self._opening
        if opening is None or self._service is not None or self.failure is not None:
            return
        if not opening.isRunning() and not opening.isFinished():
            opening.run()
        else:
            opening.wait()
        self._on_opened()

    def _start_workers(self, service: DiaryService) -> None:
        main = _Worker(service, self)
        self._workers = {
            MAIN: main,
            BACKGROUND: _Worker(service, self, yield_to=main),
            SYNC: _Worker(service, self, yield_to=main),
        }
        for worker in self._workers.values():
            worker.finished_job.connect(self._on_finished)
            worker.failed_job.connect(self._on_failed)
            worker.start()
        if self.live:
            self._watching = _Watching(service, self)
            self._watching.external.connect(self._on_external)
            self._watching.start()

    @Slot(object)
    def _on_external(self, change: Any) -> None:
        """Another writer changed the diary: the days concerned (and all data, if it may
        have changed anything) are stale now."""
        if self._stopped:
            return
        self.changed.emit(frozenset(change.days))
        if change.everything:
            self.touched.emit("all")

    @Slot()
    def _on_opened(self) -> None:
        opening = self._opening
        if opening is None or self._service is not None or self.failure is not None:
            return
        if self._stopped:  # closed while opening: nobody will use it
            if opening.service is not None:
                opening.service.close()
            return
        if opening.error is not None or opening.service is None:
            if opening.service is not None:
                opening.service.close()
            self.failure = opening.error or RuntimeError("the diary was not opened")
            waiting, self._waiting = self._waiting, []
            for _lane, job in waiting:
                self._pending.pop(job.number, None)
            if waiting and not self._pending:
                self.busy_changed.emit(False)
            log.error("could not open the diary", exc_info=self.failure)
            self.open_failed.emit(self.failure)
            return
        self._service = opening.service
        if self.synchronous:
            waiting, self._waiting = self._waiting, []
            self.ready.emit(opening.prepared)
            for _lane, job in waiting:
                done, failed = self._pending.pop(job.number, (None, None))
                self._run_now(job.call, done, failed)
            return
        self._start_workers(opening.service)
        # The window reconfigures first (its fresh loads supersede the waiting ones of the
        # same key), then the waiting calls go out in the order they were made.
        self.ready.emit(opening.prepared)
        waiting, self._waiting = self._waiting, []
        for lane, job in waiting:
            worker = self._workers.get(lane)
            if worker is not None:
                worker.submit(job)

    def call(
        self,
        call: Callable[[DiaryService], T],
        done: Callable[[T], None] | None = None,
        failed: Failed | None = None,
        *,
        lane: str = MAIN,
        key: str | None = None,
        owner: QObject | None = None,
    ) -> None:
        """Run `call(service)` on the worker; `done(result)` or `failed(error)` on this thread.

        Without `failed`, a failure is never silent: it is logged with its traceback and
        `error` is emitted, which the window shows as a short message.
        With an `owner` (a dialog, say) the answer is dropped if the owner is gone by then.
        Before the diary is open the call waits; if it cannot be opened the call is dropped.
        """
        if owner is not None:
            done = _guarded(owner, done)
            failed = _guarded(owner, failed)
        if self._stopped or self.failure is not None:
            return  # shut down (the window is closing) or no diary to ask
        if self.synchronous and self._service is not None:
            self._run_now(call, done, failed)
            return
        number = next(self._numbers)
        was_idle = not self._pending
        self._pending[number] = (done, failed)
        if was_idle:
            self.busy_changed.emit(True)
        job = _Job(number, call, key)
        worker = self._workers.get(lane)
        if worker is None:
            self._waiting.append((lane, job))
        else:
            worker.submit(job)

    def _run_now(self, call: Call, done: Done | None, failed: Failed | None) -> None:
        try:
            result = call(self.service)
        except Exception as error:  # noqa: BLE001 - delivered to the handler
            self._deliver_failure(failed, error)
        else:
            self._deliver(done, result)

    def change(
        self,
        call: Callable[[DiaryService], T],
        done: Callable[[T], None] | None = None,
        failed: Failed | None = None,
    ) -> None:
        """Like `call`, for a use case returning an Outcome: announces the changed days."""
        self.call(call, done, failed)

    def touch(self, topic: str) -> None:
        """Say that data outside the appointments changed (promises, customers, everything)."""
        self.touched.emit(topic)

    @Slot(int, object)
    def _on_finished(self, number: int, result: object) -> None:
        done, _failed = self._pending.pop(number, (None, None))
        if not self._pending:
            self.busy_changed.emit(False)
        if isinstance(result, _Skipped):
            return
        self._deliver(done, result)

    @Slot(int, object)
    def _on_failed(self, number: int, error: BaseException) -> None:
        _done, failed = self._pending.pop(number, (None, None))
        if not self._pending:
            self.busy_changed.emit(False)
        self._deliver_failure(failed, error)

    def _deliver(self, done: Done | None, result: object) -> None:
        # Imported here, not at start: the window paints before the services' modules load.
        from diary.services import Outcome

        if done is not None:
            done(result)
        if isinstance(result, Outcome) and result.changed_days:
            days: frozenset[date] = frozenset(result.changed_days)
            self.changed.emit(days)
            self.edited.emit(days)

    def _deliver_failure(self, failed: Failed | None, error: BaseException) -> None:
        if failed is not None:
            failed(error)
        else:
            log.error("service call failed", exc_info=error)
            self.error.emit(error)

    def shutdown(self) -> None:
        """Finish the queued work and stop the workers (the window calls it when closing).

        A diary still being opened is waited for and closed again here: nobody will use it.
        """
        self._stopped = True
        watching, self._watching = self._watching, None
        if watching is not None:
            watching.stop()
        for worker in self._workers.values():
            worker.stop()
        for worker in self._workers.values():
            worker.wait(10_000)
        if watching is not None:
            watching.wait(10_000)
        self._workers.clear()
        self._pending.clear()
        self._waiting.clear()
        opening = self._opening
        if opening is not None and self._service is None:
            opening.wait(30_000)  # at once when it never started or has finished
            if opening.service is not None:
                opening.service.close()
                opening.service = None
