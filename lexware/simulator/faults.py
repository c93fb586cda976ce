"""Fault injection per API key, configured through `/_simulator/faults` (lexware-api.md §2.1,
§2.3, §10.12).

Kinds:
* ``429``  — "Rate limit exceeded", request not executed.
* ``500``  — gateway 500 "Internal server error or rate limit exceeded", not executed.
* ``503``  — gateway 503, not executed.
* ``504``  — the request IS executed, then 504 "Endpoint request timed out" is returned
             instead of its response (the dangerous case for non-idempotent POSTs).
* ``slow`` — the request is delayed by ``delay`` seconds, then executed normally.
* ``drop`` — the connection is closed without any response (in-process: a transport error).
* ``406``, ``409`` — a regular-shape 406 / 409 as Lexware answers a draft's `/document` /
             `/file` (§5.3), not executed: for clients that must cope with Lexware rendering
             less than the simulator does (a dunning draft's PDF, §5.10).

A fault applies to the next ``count`` matching calls, or to each matching call with
probability ``ratio`` (until removed), optionally only for one method and/or path prefix.
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from lexware.simulator.state import new_id

KINDS = ("429", "500", "503", "504", "slow", "drop", "406", "409")


@dataclass
class Fault:
    kind: str
    count: int | None = None
    ratio: float | None = None
    method: str | None = None
    path_prefix: str | None = None
    delay: float = 0.0
    id: str = field(default_factory=new_id)

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method:
            return False
        return not (self.path_prefix and not path.startswith(self.path_prefix))

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        return {
            "id": data["id"],
            "kind": data["kind"],
            "count": data["count"],
            "ratio": data["ratio"],
            "method": data["method"],
            "pathPrefix": data["path_prefix"],
            "delay": data["delay"],
        }


class FaultRegistry:
    def __init__(self, rng: random.Random | None = None) -> None:
        self._faults: dict[str, list[Fault]] = {}
        self._lock = threading.Lock()
        self._rng = rng or random.Random()

    def add(self, key: str, fault: Fault) -> Fault:
        if fault.kind not in KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}; one of {', '.join(KINDS)}")
        if fault.count is None and fault.ratio is None:
            fault.count = 1
        with self._lock:
            self._faults.setdefault(key, []).append(fault)
        return fault

    def clear(self, key: str | None = None) -> None:
        with self._lock:
            if key is None:
                self._faults.clear()
            else:
                self._faults.pop(key, None)

    def listing(self, key: str | None = None) -> dict[str, list[dict[str, Any]]]:
        with self._lock:
            return {
                k: [f.as_json() for f in faults]
                for k, faults in self._faults.items()
                if key is None or k == key
            }

    def take(self, key: str, method: str, path: str) -> list[Fault]:
        """The faults that fire for this call (at most one of each kind), consuming counts."""
        fired: dict[str, Fault] = {}
        with self._lock:
            faults = self._faults.get(key)
            if not faults:
                return []
            for fault in list(faults):
                if fault.kind in fired or not fault.matches(method, path):
                    continue
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        faults.remove(fault)
                    fired[fault.kind] = fault
                elif fault.ratio is not None and self._rng.random() < fault.ratio:
                    fired[fault.kind] = fault
        return list(fired.values())
