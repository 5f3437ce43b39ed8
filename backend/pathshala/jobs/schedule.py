"""Periodic jobs: what runs every N seconds, and the loop that queues them on time.

With Redis, every `worker` process runs the loop and a Redis lock lets only one of them queue
each run. Embedded, the web process's job thread runs it without a lock.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import redis

from pathshala.settings import Settings

log = logging.getLogger("pathshala.jobs")
LOCK_PREFIX = "pathshala:periodic:"


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    interval_seconds: int
    function: str  # dotted path of a job function taking no arguments


def periodic_jobs(settings: Settings) -> list[PeriodicJob]:
    """Every periodic job of this deployment; an interval of 0 turns one off."""
    registry = [
        PeriodicJob(
            "reconcile-payments",
            settings.reconcile_interval_seconds,
            "pathshala.payments.jobs.reconcile",
        ),
    ]
    return [job for job in registry if job.interval_seconds > 0]


class RedisClaim:
    """One run per interval across all workers: SET NX EX. The lock lives a little shorter
    than the interval, so the worker that took it can take it again on its next tick even if
    that tick comes slightly early."""

    def __init__(self, connection: redis.Redis, prefix: str = LOCK_PREFIX) -> None:
        self.connection = connection
        self.prefix = prefix

    def __call__(self, job: PeriodicJob) -> bool:
        ttl = max(1, job.interval_seconds - max(1, job.interval_seconds // 10))
        token = uuid.uuid4().hex
        return bool(self.connection.set(self.prefix + job.name, token, nx=True, ex=ttl))


class PeriodicScheduler:
    """Queues each periodic job when it is due. ``claim`` (optional) decides whether this
    process is the one to queue a run; ``tick`` returns the seconds until the next one."""

    def __init__(
        self,
        jobs: Sequence[PeriodicJob],
        enqueue: Callable[[PeriodicJob], object],
        claim: Callable[[PeriodicJob], bool] | None = None,
        *,
        first_run_after_interval: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.jobs = tuple(jobs)
        self.enqueue = enqueue
        self.claim = claim
        self.clock = clock
        now = clock()
        self._due = {
            job.name: now + (job.interval_seconds if first_run_after_interval else 0)
            for job in self.jobs
        }

    def tick(self) -> float | None:
        now = self.clock()
        for job in self.jobs:
            if self._due[job.name] > now:
                continue
            self._due[job.name] = now + job.interval_seconds
            try:
                if self.claim is None or self.claim(job):
                    self.enqueue(job)
                    log.info("periodic job %s queued (every %ss)", job.name, job.interval_seconds)
            except redis.RedisError:
                # Redis away for a moment: skip this run, the next interval tries again.
                log.exception("periodic job %s not queued", job.name)
        if not self._due:
            return None
        return max(0.0, min(self._due.values()) - self.clock())

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            wait = self.tick()
            stop.wait(wait)

    def start(self) -> threading.Event:
        """Run in a daemon thread; set the returned event to stop it."""
        stop = threading.Event()
        threading.Thread(
            target=self.run, args=(stop,), name="pathshala-periodic", daemon=True
        ).start()
        return stop
