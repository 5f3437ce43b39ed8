"""With Redis: jobs go to an RQ queue and a real RQ worker runs them in an app context;
racing schedulers queue a periodic run once; `flask worker` needs Redis."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
import redis
from rq import SimpleWorker
from rq.job import JobStatus
from rq.serializers import JSONSerializer

from pathshala.jobs import JOBS_EXTENSION, RQJobQueue, runner
from pathshala.jobs.schedule import PeriodicScheduler, RedisClaim, periodic_jobs
from tests.conftest import REDIS_URL, USE_REDIS
from tests.jobs.helpers import HERE, user_exists

needs_redis = pytest.mark.skipif(not USE_REDIS, reason=f"Redis not reachable at {REDIS_URL}")


def an_email() -> str:
    return f"rq-{uuid.uuid4().hex[:10]}@example.com"


@pytest.fixture
def connection() -> redis.Redis:
    return redis.Redis.from_url(REDIS_URL)


@pytest.fixture
def jobs(app, connection) -> Iterator[RQJobQueue]:
    """A queue of this test's own: xdist workers share one Redis database."""
    queue = RQJobQueue(connection, name=f"test-{uuid.uuid4().hex}")
    runner.serve(app)
    yield queue
    queue.queue.delete(delete_jobs=True)


def work(jobs: RQJobQueue, connection: redis.Redis) -> None:
    SimpleWorker([jobs.queue], connection=connection, serializer=JSONSerializer).work(burst=True)


@needs_redis
def test_a_real_worker_runs_the_job_in_an_app_context(jobs, connection):
    email = an_email()

    job_id = jobs.enqueue(f"{HERE}.record_user", email=email)
    assert not user_exists(email)
    work(jobs, connection)

    assert user_exists(email)
    assert jobs.queue.fetch_job(job_id).get_status() == JobStatus.FINISHED


@needs_redis
def test_a_failing_job_is_marked_failed_and_the_worker_goes_on(jobs, connection):
    email = an_email()

    failing = jobs.enqueue(f"{HERE}.explode")
    jobs.enqueue(f"{HERE}.record_user", email=email)
    work(jobs, connection)

    assert jobs.queue.fetch_job(failing).get_status() == JobStatus.FAILED
    assert user_exists(email)


@needs_redis
def test_racing_schedulers_queue_the_reconcile_job_once(app, jobs, connection):
    reconcile = periodic_jobs(app.extensions["pathshala.settings"])
    assert [job.function for job in reconcile] == ["pathshala.payments.jobs.reconcile"]
    claim = RedisClaim(connection, prefix=f"test-periodic-{uuid.uuid4().hex}:")
    schedulers = [
        PeriodicScheduler(reconcile, lambda job: jobs.enqueue(job.function), claim)
        for _ in range(2)
    ]
    start = threading.Barrier(len(schedulers))

    def race(scheduler: PeriodicScheduler) -> None:
        start.wait()
        scheduler.tick()

    threads = [threading.Thread(target=race, args=(s,)) for s in schedulers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert jobs.queue.count == 1
    (job,) = jobs.queue.get_jobs()
    assert job.description == "pathshala.payments.jobs.reconcile"
    work(jobs, connection)
    assert job.get_status(refresh=True) == JobStatus.FINISHED


@needs_redis
def test_the_app_queues_to_redis_when_it_is_configured(app):
    assert isinstance(app.extensions[JOBS_EXTENSION], RQJobQueue)


@needs_redis
def test_the_worker_command_runs_queued_jobs(make_app, connection):
    application = make_app()
    jobs = RQJobQueue(connection, name=f"test-{uuid.uuid4().hex}")
    application.extensions[JOBS_EXTENSION] = jobs
    email = an_email()
    jobs.enqueue(f"{HERE}.record_user", email=email)

    try:
        with application.app_context():
            result = application.test_cli_runner().invoke(args=["worker", "--burst"])
    finally:
        jobs.queue.delete(delete_jobs=True)

    assert result.exit_code == 0, result.output
    assert user_exists(email)


def test_the_worker_command_refuses_without_redis(make_app):
    embedded = make_app(BACKEND_REDIS_URL="")

    with embedded.app_context():
        result = embedded.test_cli_runner().invoke(args=["worker"])

    assert result.exit_code == 1
    assert "BACKEND_REDIS_URL is not set" in result.output


@needs_redis
def test_a_transcode_may_run_for_hours():
    """A long lecture must not be killed by the default job timeout."""
    connection = redis.Redis.from_url(REDIS_URL)
    jobs = RQJobQueue(connection, name="test-timeouts-" + uuid.uuid4().hex[:8])
    try:
        job_id = jobs.enqueue(
            "pathshala.media.transcoding.transcode_lesson_video",
            lesson_id=str(uuid.uuid4()),
            upload_id=str(uuid.uuid4()),
        )
        assert jobs.queue.fetch_job(job_id).timeout == 6 * 3600
    finally:
        jobs.queue.empty()
        jobs.queue.delete()
