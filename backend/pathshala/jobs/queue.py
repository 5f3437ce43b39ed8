"""The job queue interface and its two implementations, chosen once in ``create_app``:
Redis + RQ workers when BACKEND_REDIS_URL is set, else a thread inside the web process."""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
import uuid
from collections.abc import Sequence
from typing import Any, Protocol

import redis
import rq
from flask import Flask
from rq.serializers import JSONSerializer

from pathshala.jobs import runner
from pathshala.jobs.schedule import PeriodicJob, PeriodicScheduler

JOBS_EXTENSION = "pathshala.jobs"
QUEUE_NAME = "default"
# RQ's default (180 s) is too short for a reconcile of many orders.
JOB_TIMEOUT_SECONDS = 15 * 60
#: jobs that may run longer: a 2 GB lecture transcodes at about real time on 2 cores
LONG_JOB_TIMEOUTS = {"pathshala.media.transcoding.transcode_lesson_video": 6 * 3600}

log = logging.getLogger("pathshala.jobs")


class JobQueue(Protocol):
    def enqueue(self, name: str, **kwargs: Any) -> str:
        """Queue the job ``name(**kwargs)``; returns its id."""
        ...


def _checked(name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Fail in the caller, not later in a worker: the function must exist and the arguments
    must survive JSON (what RQ stores), so both queues hand a job the same plain values."""
    runner.resolve(name)
    try:
        return json.loads(json.dumps(kwargs))
    except TypeError as exc:
        raise TypeError(f"Job {name} arguments must be JSON values: {exc}") from exc


class RQJobQueue:
    """Jobs go to an RQ queue in Redis; `flask --app wsgi worker` processes run them."""

    def __init__(self, connection: redis.Redis, name: str = QUEUE_NAME) -> None:
        self.name = name
        self.queue = self.bound_to(connection)

    def bound_to(self, connection: redis.Redis) -> rq.Queue:
        """This queue on another connection (a worker needs one without a short timeout)."""
        # JSON, not RQ's default pickle: jobs carry plain values, and Redis content never
        # becomes code a worker runs.
        return rq.Queue(
            self.name,
            connection=connection,
            serializer=JSONSerializer,
            default_timeout=JOB_TIMEOUT_SECONDS,
        )

    def enqueue(self, name: str, **kwargs: Any) -> str:
        job = self.queue.enqueue(
            runner.run,
            name,
            _checked(name, kwargs),
            description=name,
            job_timeout=LONG_JOB_TIMEOUTS.get(name, JOB_TIMEOUT_SECONDS),
        )
        return job.id


class ThreadJobQueue:
    """The embedded setup (no Redis): one daemon thread per process runs jobs one at a time,
    each in a fresh app context. It starts on the first enqueue (or the first request, when
    there are periodic jobs); a failing job is logged and the thread goes on."""

    def __init__(self, app: Flask, periodic: Sequence[PeriodicJob] = ()) -> None:
        self.app = app
        self.periodic = tuple(periodic)
        self._lock = threading.Lock()
        self._items: queue.Queue[tuple[str, str, dict[str, Any]] | None] = queue.Queue()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    def enqueue(self, name: str, **kwargs: Any) -> str:
        job_id, checked = uuid.uuid4().hex, _checked(name, kwargs)
        self.start()
        self._items.put((job_id, name, checked))
        return job_id

    def start(self) -> None:
        """Start the thread unless this process already has it (a fork does not copy threads,
        so a gunicorn worker forked from a preloaded app starts its own)."""
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            if self._pid is not None:
                self._items = queue.Queue()  # the parent's jobs are the parent's
            scheduler = PeriodicScheduler(
                self.periodic, self._enqueue_periodic, first_run_after_interval=True
            )
            self._thread = threading.Thread(
                target=self._work, args=(scheduler,), name="pathshala-jobs", daemon=True
            )
            self._thread.start()
            self._pid = os.getpid()

    def stop(self) -> None:
        """Let the thread finish the job in hand, then end (jobs still queued are dropped)."""
        self._stopping.set()
        self._items.put(None)

    def _enqueue_periodic(self, job: PeriodicJob) -> None:
        self._items.put((uuid.uuid4().hex, job.function, {}))

    def _work(self, scheduler: PeriodicScheduler) -> None:
        while not self._stopping.is_set():
            wait = scheduler.tick() if self.periodic else None
            try:
                item = self._items.get(timeout=wait)
            except queue.Empty:
                continue
            if item is None or self._stopping.is_set():
                break
            job_id, name, kwargs = item
            try:
                runner.perform(self.app, name, kwargs, job_id)
            except Exception:  # noqa: BLE001, S112 - perform logged it; one bad job must not stop the rest
                continue


def queue_from_settings(
    app: Flask, redis_client: redis.Redis | None, periodic: Sequence[PeriodicJob]
) -> JobQueue:
    """RQ when Redis is configured (the `worker` command schedules periodic jobs there),
    else the in-process thread, which schedules them itself."""
    if redis_client is not None:
        return RQJobQueue(redis_client)
    return ThreadJobQueue(app, periodic)
