"""The server time a reader may spend on new work: a budget of CPU seconds per client address.

Views already computed (maps in the store, files in the caches) cost a reader nothing; a view no
one asked for before is computed for them — a map of 12 départements takes ≈ 3 s of CPU, a press
map of a région ≈ 10 s. Without a bound, one client sending links with new choices in a loop keeps
the server's cores busy for everyone. Each client address (behind the atlas's proxy: the address it
forwards) has a bucket of ``capacity_s`` CPU seconds, refilled at ``refill_per_s``; new work is
refused *before* it starts while the bucket is empty (the reader is told when to come back), and
what it costs is charged after it ran (the thread's CPU time). A reader opening views one after
the other never waits (a département's map costs ≈ 0.2 s, an EPCI's 0.1 s); a client asking for
new 12-département maps in a loop gets two, then about one every two minutes.
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass


class OverBudget(Exception):
    """New work refused: the client's budget is spent; ``wait_s`` until it can start again."""

    def __init__(self, wait_s: float):
        super().__init__(wait_s)
        self.wait_s = wait_s

    def french(self, what: str = "cette vue") -> str:
        return (
            f"Trop de calculs nouveaux demandés depuis votre adresse : {what} pourra être calculée dans "
            f"{max(1, round(self.wait_s))} s. Les vues déjà calculées restent disponibles."
        )


@dataclass
class _Bucket:
    level: float
    at: float


class Budget:
    def __init__(
        self,
        capacity_s: float = 6.0,
        refill_per_s: float = 0.02,
        max_clients: int = 10_000,
        clock=time.monotonic,
    ):
        self.capacity_s = capacity_s
        self.refill_per_s = refill_per_s
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def _bucket(self, client: str, now: float) -> _Bucket:
        bucket = self._buckets.get(client)
        if bucket is None:
            if len(self._buckets) >= self.max_clients:  # forget the full ones first
                full = [c for c, b in self._buckets.items() if self._level(b, now) >= self.capacity_s]
                for c in full or list(self._buckets)[: self.max_clients // 10]:
                    del self._buckets[c]
            bucket = self._buckets[client] = _Bucket(self.capacity_s, now)
        return bucket

    def _level(self, bucket: _Bucket, now: float) -> float:
        return min(self.capacity_s, bucket.level + (now - bucket.at) * self.refill_per_s)

    def wait_s(self, client: str, need: float = 0.0) -> float:
        """0 when ``client`` may start new work (its level above 0, or at least ``need`` when a
        unit is counted whole: a page run, a message), else the seconds until it may."""
        with self._lock:
            now = self._clock()
            level = self._level(self._bucket(client, now), now)
            if (level >= need) if need > 0 else (level > 0):
                return 0.0
            return (need - level) / self.refill_per_s + 1e-3

    def charge(self, client: str, seconds: float) -> None:
        with self._lock:
            now = self._clock()
            bucket = self._bucket(client, now)
            bucket.level, bucket.at = self._level(bucket, now) - seconds, now

    @contextmanager
    def spend(self, client: str):
        """Around new work: refused (:class:`OverBudget`) before it starts when the budget is
        spent; its CPU time charged after it ran, even if it failed."""
        wait = self.wait_s(client)
        if wait > 0:
            raise OverBudget(wait)
        start = time.thread_time()
        try:
            yield
        finally:
            self.charge(client, time.thread_time() - start)


def _number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def from_env() -> Budget:
    """The budget the operators set: ``PVD_BUDGET_CPU_S`` CPU seconds at once (6 by default) and
    ``PVD_BUDGET_CPU_PAR_S`` regained per second (0.02: 1.2 s a minute). Raise them when many
    readers share one address (an office behind one gateway)."""
    return Budget(_number("PVD_BUDGET_CPU_S", 6.0), _number("PVD_BUDGET_CPU_PAR_S", 0.02))


BUDGET = from_env()


def pace_from_env(scale: float = 1.0) -> Budget:
    """Pages per client address: a burst of ``PVD_RAFALE_VUES`` (30), then ``PVD_VUES_PAR_S``
    (0.25: one every 4 s), times ``scale``; one unit per page run or websocket message."""
    return Budget(scale * _number("PVD_RAFALE_VUES", 30.0), scale * _number("PVD_VUES_PAR_S", 0.25))


def runs_from_env() -> Budget:
    """Page runs per client address, counted one each: a burst of 45 then 0.375 per second (1.5 ×
    ``PVD_RAFALE_VUES`` and ``PVD_VUES_PAR_S``) — a reader clicking through the atlas never meets
    it; a client rerunning pages in a loop on a server started without :mod:`pvd_geo.throttle`
    gets a short refusal for most of its runs."""
    # 1.5 x the websocket's pace (pvd_geo.throttle): behind it, a run is never refused here
    return pace_from_env(1.5)


RUNS = runs_from_env()
