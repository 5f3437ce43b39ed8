"""Running one job: find its function by dotted path and call it in a fresh app context.

RQ workers and the embedded thread both come through ``perform``, so a job behaves the same
in either setup, and every job leaves a started / finished-or-failed log line with its time.
"""

from __future__ import annotations

import importlib
import logging
import os
import time
from collections.abc import Callable
from typing import Any

import rq
from flask import Flask

from pathshala.extensions import db

log = logging.getLogger("pathshala.jobs")

# The app an RQ worker process runs its jobs in: built once by the `worker` command, before
# RQ forks a work horse per job (the horse inherits it instead of building its own).
_worker_app: Flask | None = None
_worker_pid: int | None = None


def resolve(name: str) -> Callable[..., Any]:
    """The function a job name points at, e.g. ``pathshala.payments.jobs.reconcile``."""
    module_name, _, attribute = name.rpartition(".")
    if not module_name:
        raise ValueError(f"A job is a dotted function path, got {name!r}.")
    function = getattr(importlib.import_module(module_name), attribute, None)
    if not callable(function):
        raise ValueError(f"No job function {name!r}.")
    return function


def perform(app: Flask, name: str, kwargs: dict[str, Any], job_id: str) -> None:
    """Run one job in a fresh app context of ``app``; failures are logged, then raised."""
    started = time.perf_counter()
    log.info("job %s [%s] started", name, job_id)
    try:
        with app.app_context():
            resolve(name)(**kwargs)
    except Exception:
        log.exception("job %s [%s] failed after %.2fs", name, job_id, time.perf_counter() - started)
        raise
    log.info("job %s [%s] finished in %.2fs", name, job_id, time.perf_counter() - started)


def serve(app: Flask) -> None:
    """Make ``app`` the one this process's RQ jobs run in."""
    global _worker_app, _worker_pid
    _worker_app, _worker_pid = app, os.getpid()


def _app_from_environment() -> Flask:
    """A plain `rq worker` rather than `flask worker`: build the app once, as wsgi.py does."""
    from pathshala import create_app

    app = create_app()
    serve(app)
    return app


def run(name: str, kwargs: dict[str, Any]) -> None:
    """What RQ executes for every job (the queue stores this function, the name and kwargs)."""
    app = _worker_app or _app_from_environment()
    if _worker_pid != os.getpid():
        # A forked work horse must not reuse connections pooled by its parent (SQLAlchemy's
        # rule for fork); close=False leaves the parent's own sockets alone.
        with app.app_context():
            db.engine.dispose(close=False)
    job = rq.get_current_job()
    perform(app, name, kwargs, job.id if job else "-")
