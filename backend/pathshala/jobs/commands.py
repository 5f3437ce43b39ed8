"""flask --app wsgi worker"""

from __future__ import annotations

import logging

import click
import redis
import rq
from flask import Blueprint, current_app
from rq.serializers import JSONSerializer

from pathshala.jobs import runner
from pathshala.jobs.queue import JOBS_EXTENSION, RQJobQueue
from pathshala.jobs.schedule import PeriodicScheduler, RedisClaim, periodic_jobs

commands = Blueprint("jobs_commands", __name__, cli_group=None)
log = logging.getLogger("pathshala.jobs")


@commands.cli.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs already queued, then stop.")
def worker(burst: bool) -> None:
    """Run background jobs from Redis, and queue the periodic ones (several workers may run:
    each periodic run is queued by one of them)."""
    jobs = current_app.extensions[JOBS_EXTENSION]
    if not isinstance(jobs, RQJobQueue):
        raise click.ClickException(
            "BACKEND_REDIS_URL is not set. Without Redis, jobs run in a thread of the web "
            "process (make run / gunicorn): there is no worker to start."
        )
    settings = current_app.extensions["pathshala.settings"]
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    runner.serve(app)
    # Its own connection: the app's has a 2 s timeout, too short for a blocking dequeue.
    connection = redis.Redis.from_url(settings.redis_url)
    queue = jobs.bound_to(connection)
    if not burst:
        periodic = periodic_jobs(settings)
        for job in periodic:
            log.info("worker: %s every %ss", job.name, job.interval_seconds)
        if periodic:
            # A thread beside a forking worker is safe here: it only sleeps and talks to Redis
            # (redis-py resets its pools in a forked child), never to the database.
            PeriodicScheduler(
                periodic,
                lambda job: jobs.enqueue(job.function),
                RedisClaim(current_app.extensions["pathshala.redis"]),
            ).start()
    log.info("worker: waiting for jobs on queue %r", queue.name)
    rq.Worker([queue], connection=connection, serializer=JSONSerializer).work(
        burst=burst, logging_level=settings.log_level
    )
