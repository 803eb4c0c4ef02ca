"""The one way the window reaches the services: calls run on a worker thread, results come back
on the GUI thread as signals, and every change says which days it touched."""

from __future__ import annotations

import itertools
import logging
import queue
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

from diary.services import DiaryService, Outcome

log = logging.getLogger(__name__)

Call = Callable[[DiaryService], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]

MAIN = "main"
BACKGROUND = "background"


@dataclass(slots=True)
class _Job:
    number: int
    call: Call
    key: str | None  # jobs with the same key coalesce: only the latest runs


class _Worker(QThread):
    """Runs jobs one after the other; a lane of its own for each kind of work."""

    finished_job = Signal(int, object)
    failed_job = Signal(int, object)

    def __init__(self, service: DiaryService, parent: QObject) -> None:
        super().__init__(parent)
        self._service = service
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._latest: dict[str, int] = {}

    def submit(self, job: _Job) -> None:
        if job.key is not None:
            self._latest[job.key] = job.number
        self._jobs.put(job)

    def stop(self) -> None:
        self._jobs.put(None)

    def run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            if job.key is not None and self._latest.get(job.key) != job.number:
                self.finished_job.emit(job.number, _SKIPPED)
                continue
            try:
                result = job.call(self._service)
            except Exception as error:  # noqa: BLE001 - delivered to the caller's handler
                self.failed_job.emit(job.number, error)
            else:
                self.finished_job.emit(job.number, result)


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
    busy_changed = Signal(bool)
    error = Signal(object)  # an exception no caller handled
    touched = Signal(str)  # a topic ("promises", "customers", "all") whose data changed

    def __init__(
        self, service: DiaryService, parent: QObject | None = None, *, synchronous: bool = False
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.synchronous = synchronous
        self._numbers = itertools.count(1)
        self._pending: dict[int, tuple[Done | None, Failed | None]] = {}
        self._workers: dict[str, _Worker] = {}
        if not synchronous:
            for lane in (MAIN, BACKGROUND):
                worker = _Worker(service, self)
                worker.finished_job.connect(self._on_finished)
                worker.failed_job.connect(self._on_failed)
                worker.start()
                self._workers[lane] = worker

    @property
    def pending(self) -> int:
        return len(self._pending)

    def call(
        self,
        call: Call,
        done: Done | None = None,
        failed: Failed | None = None,
        *,
        lane: str = MAIN,
        key: str | None = None,
        owner: QObject | None = None,
    ) -> None:
        """Run `call(service)` on the worker; `done(result)` or `failed(error)` on this thread.

        With an `owner` (a dialog, say) the answer is dropped if the owner is gone by then.
        """
        if owner is not None:
            done = _guarded(owner, done)
            failed = _guarded(owner, failed)
        if self.synchronous:
            try:
                result = call(self.service)
            except Exception as error:  # noqa: BLE001 - delivered to the handler
                self._deliver_failure(failed, error)
            else:
                self._deliver(done, result)
            return
        worker = self._workers.get(lane)
        if worker is None:
            return  # shut down: the window is closing
        number = next(self._numbers)
        was_idle = not self._pending
        self._pending[number] = (done, failed)
        if was_idle:
            self.busy_changed.emit(True)
        worker.submit(_Job(number, call, key))

    def change(self, call: Call, done: Done | None = None, failed: Failed | None = None) -> None:
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
        if done is not None:
            done(result)
        if isinstance(result, Outcome) and result.changed_days:
            days: frozenset[date] = frozenset(result.changed_days)
            self.changed.emit(days)

    def _deliver_failure(self, failed: Failed | None, error: BaseException) -> None:
        if failed is not None:
            failed(error)
        else:
            log.error("service call failed", exc_info=error)
            self.error.emit(error)

    def shutdown(self) -> None:
        """Finish the queued work and stop the workers (the window calls it when closing)."""
        for worker in self._workers.values():
            worker.stop()
        for worker in self._workers.values():
            worker.wait(10_000)
        self._workers.clear()
        self._pending.clear()
