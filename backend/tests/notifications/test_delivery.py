"""Notification mail never leaves inside the request: the outbox row is committed with the
event, and its delivery is queued as a job after commit. No queue, no problem: the outbox
keeps the message for `flask mail deliver`."""

from __future__ import annotations

import time

import redis

from pathshala.jobs import JOBS_EXTENSION, RQJobQueue, ThreadJobQueue
from pathshala.notifications.service import DELIVER_JOB
from tests import factories
from tests.fakes.smtp import free_port
from tests.fakes.workers import client_for
from tests.notifications.helpers import notifications_of, outbox_of


def _enroll(application, student, course):
    return client_for(application).post(
        f"/api/courses/{course.id}/enroll", headers=factories.auth_headers(student)
    )


def test_the_request_only_queues_the_mail_and_the_job_sends_it(mail_setup):
    student = factories.make_user("student")
    course = factories.make_course(title="Carnatic vocals")

    assert _enroll(mail_setup.app, student, course).status_code == 201

    # the request is over: the mail waits in the outbox, its delivery is a queued job
    [message] = outbox_of(student.email)
    assert message.status == "pending" and message.kind == "notification:enrolled"
    assert mail_setup.queue.jobs == [(DELIVER_JOB, {"message_ids": [str(message.id)]})]
    time.sleep(0.2)
    assert mail_setup.smtp.to(student.email) == []

    assert mail_setup.queue.run() == 1

    [mail] = mail_setup.smtp.wait_for(student.email)
    assert mail.subject == "You are enrolled in Carnatic vocals"
    [unsubscribe] = [link for link in mail.links() if "/unsubscribe?token=" in link]
    assert unsubscribe.startswith("http://pathshala.test/api/notifications/unsubscribe?token=")
    assert mail.message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in mail.html.replace("&amp;", "&")
    [message] = outbox_of(student.email)
    assert message.status == "sent" and message.attempts == 1


def test_with_the_embedded_job_thread_a_slow_mail_server_does_not_slow_the_request(mail_setup):
    jobs = ThreadJobQueue(mail_setup.app)
    mail_setup.app.extensions[JOBS_EXTENSION] = jobs
    mail_setup.smtp.delay = 1.5
    student = factories.make_user("student")
    course = factories.make_course()
    try:
        started = time.perf_counter()
        assert _enroll(mail_setup.app, student, course).status_code == 201
        assert time.perf_counter() - started < 1.0

        [mail] = mail_setup.smtp.wait_for(student.email, timeout=10)
    finally:
        jobs.stop()
    assert mail.subject.startswith("You are enrolled in ")


def test_when_the_job_queue_is_down_the_request_succeeds_and_the_outbox_keeps_the_mail(
    mail_setup, caplog
):
    dead = redis.Redis(port=free_port(), socket_connect_timeout=0.5, socket_timeout=0.5)
    mail_setup.app.extensions[JOBS_EXTENSION] = RQJobQueue(dead)
    student = factories.make_user("student")
    course = factories.make_course()

    response = _enroll(mail_setup.app, student, course)

    assert response.status_code == 201
    assert len(notifications_of(student.id)) == 1
    [message] = outbox_of(student.email)
    assert message.status == "pending"
    assert "waits in the outbox" in caplog.text
    with mail_setup.app.app_context():
        result = mail_setup.app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert "Delivered 1 message(s)." in result.output
    [mail] = mail_setup.smtp.wait_for(student.email)
    assert mail.message["List-Unsubscribe"]


def test_a_mail_the_job_could_not_send_stays_for_flask_mail_deliver(spawn_app, mail_setup):
    student = factories.make_user("student")
    course = factories.make_course()
    down = spawn_app(BACKEND_SMTP_URL=f"smtp://127.0.0.1:{free_port()}")
    held = mail_setup.queue
    down.extensions[JOBS_EXTENSION] = held
    held.app = down

    assert _enroll(down, student, course).status_code == 201
    held.run()

    [message] = outbox_of(student.email)
    assert message.status == "failed" and message.last_error
    with mail_setup.app.app_context():
        result = mail_setup.app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert "Delivered 1 message(s)." in result.output
    assert len(mail_setup.smtp.wait_for(student.email)) == 1
