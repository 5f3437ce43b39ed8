"""Background jobs: work that should not hold up a request (transcoding, mail, reconciling).

A job is a dotted function path plus JSON-able keyword arguments, so Redis (RQ workers) and
the embedded in-process thread run exactly the same thing, always inside an app context::

    from pathshala import jobs
    jobs.enqueue("pathshala.payments.jobs.reconcile")
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from pathshala.jobs.queue import JOBS_EXTENSION, JobQueue, RQJobQueue, ThreadJobQueue

__all__ = ["JOBS_EXTENSION", "JobQueue", "RQJobQueue", "ThreadJobQueue", "enqueue"]


def enqueue(name: str, **kwargs: Any) -> str:
    """Queue ``name(**kwargs)`` on this app's job queue; returns the job id."""
    return current_app.extensions[JOBS_EXTENSION].enqueue(name, **kwargs)
