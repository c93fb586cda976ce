"""Background work off the request path: one daemon timer thread feeding a small pool of daemon
worker threads through a queue. Used for webhook deliveries and retries (§7.4) and for the
delayed `blank → unchecked` transition of uploaded files (§5.12).

`wait_idle()` lets tests wait until nothing is scheduled, queued or running.
"""

from __future__ import annotations

import heapq
import itertools
import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable

Task = Callable[[], None]


class Scheduler:
    def __init__(self, workers: int = 4, name: str = "lexware-sim") -> None:
        self._heap: list[tuple[float, int, Task]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._queue: queue.Queue[Task | None] = queue.Queue()
        self._outstanding = 0
        self._idle = threading.Condition()
        self._stopped = False
        self._timer = threading.Thread(target=self._timer_loop, name=f"{name}-timer", daemon=True)
        self._timer.start()
        self._workers = [
            threading.Thread(target=self._worker_loop, name=f"{name}-worker-{i}", daemon=True)
            for i in range(workers)
        ]
        for worker in self._workers:
            worker.start()

    def call_later(self, delay: float, task: Task) -> None:
        with self._idle:
            self._outstanding += 1
        if delay <= 0:
            self._queue.put(task)
            return
        with self._cond:
            heapq.heappush(self._heap, (time.monotonic() + delay, next(self._seq), task))
            self._cond.notify()

    def pending(self) -> int:
        with self._idle:
            return self._outstanding

    def next_due_in(self) -> float | None:
        with self._cond:
            return self._heap[0][0] - time.monotonic() if self._heap else None

    def wait_idle(self, timeout: float | None = None) -> bool:
        """True once nothing is scheduled, queued or running (False on timeout)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._idle:
            while self._outstanding:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._idle.wait(remaining if remaining is not None else 1.0)
            return True

    def clear(self) -> None:
        """Drop everything scheduled but not yet due (used by a full reset)."""
        with self._cond:
            dropped = len(self._heap)
            self._heap.clear()
        self._done(dropped)

    def stop(self) -> None:
        self._stopped = True
        with self._cond:
            self._cond.notify_all()
        for _ in self._workers:
            self._queue.put(None)

    def _done(self, count: int = 1) -> None:
        if not count:
            return
        with self._idle:
            self._outstanding -= count
            if self._outstanding <= 0:
                self._outstanding = 0
                self._idle.notify_all()

    def _timer_loop(self) -> None:
        while not self._stopped:
            with self._cond:
                if not self._heap:
                    self._cond.wait()
                    continue
                due, _, task = self._heap[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
            self._queue.put(task)

    def _worker_loop(self) -> None:
        while True:
            task = self._queue.get()
            if task is None:
                return
            try:
                task()
            except Exception:  # a broken task must not kill the worker
                traceback.print_exc(file=sys.stderr)
            finally:
                self._done()
