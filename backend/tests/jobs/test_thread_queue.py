"""The embedded job queue: a thread in the web process runs each job in a fresh app context,
survives failing jobs, and runs periodic jobs; nothing starts under test unless asked."""

from __future__ import annotations

import logging
import uuid

import pytest

from pathshala.jobs import JOBS_EXTENSION, ThreadJobQueue, enqueue
from pathshala.jobs.schedule import PeriodicJob
from tests.jobs.helpers import HERE, eventually, periodic_runs, user_exists


def an_email() -> str:
    return f"job-{uuid.uuid4().hex[:10]}@example.com"


def test_a_job_runs_in_an_app_context_on_the_thread(app):
    jobs = ThreadJobQueue(app)
    email = an_email()

    job_id = jobs.enqueue(f"{HERE}.record_user", email=email)

    assert job_id
    assert eventually(lambda: user_exists(email))


def test_the_thread_survives_a_failing_job(app, caplog):
    jobs = ThreadJobQueue(app)
    email = an_email()

    with caplog.at_level(logging.INFO, logger="pathshala.jobs"):
        jobs.enqueue(f"{HERE}.explode")
        jobs.enqueue(f"{HERE}.record_user", email=email)
        assert eventually(lambda: user_exists(email))
        # The row is committed before the job's "finished" line is logged: wait for the line.
        assert eventually(
            lambda: any(
                f"job {HERE}.record_user" in r.getMessage() and "finished in" in r.getMessage()
                for r in caplog.records
            )
        )

    failed = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failed) == 1
    assert f"job {HERE}.explode" in failed[0].getMessage() and "failed" in failed[0].getMessage()


def test_a_bad_job_is_refused_when_queued(app):
    jobs = ThreadJobQueue(app)

    with pytest.raises(ValueError, match="No job function"):
        jobs.enqueue(f"{HERE}.no_such_job")
    with pytest.raises(TypeError, match="JSON"):
        jobs.enqueue(f"{HERE}.record_user", email=object())


def test_periodic_jobs_run_on_the_thread(app):
    jobs = ThreadJobQueue(app, [PeriodicJob("test", 1, f"{HERE}.record_periodic_run")])

    jobs.start()
    try:
        assert eventually(lambda: periodic_runs() >= 1, seconds=5)
    finally:
        jobs.stop()


def test_the_embedded_app_queues_on_its_thread(make_app):
    embedded = make_app(BACKEND_REDIS_URL="")
    email = an_email()

    assert isinstance(embedded.extensions[JOBS_EXTENSION], ThreadJobQueue)
    with embedded.app_context():
        enqueue(f"{HERE}.record_user", email=email)

    assert eventually(lambda: user_exists(email))


def test_under_test_no_periodic_thread_starts(make_app):
    embedded = make_app(BACKEND_REDIS_URL="", BACKEND_RECONCILE_INTERVAL_SECONDS="1")
    jobs = embedded.extensions[JOBS_EXTENSION]

    embedded.test_client().get("/health")

    assert jobs.periodic == ()
    assert jobs._thread is None


def test_the_periodic_registry_follows_the_setting():
    from pathshala.jobs.runner import resolve
    from pathshala.jobs.schedule import periodic_jobs
    from pathshala.settings import load_settings

    on = periodic_jobs(load_settings({"BACKEND_RECONCILE_INTERVAL_SECONDS": "120"}))
    off = periodic_jobs(load_settings({"BACKEND_RECONCILE_INTERVAL_SECONDS": "0"}))

    assert [(job.name, job.interval_seconds) for job in on] == [("reconcile-payments", 120)]
    assert all(callable(resolve(job.function)) for job in on)
    assert off == []
