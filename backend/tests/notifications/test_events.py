"""Each event tells its user once, in the app and by mail; repeating the event (a second
verify, a second click on enroll, the same grade again) tells nobody anything new."""

from __future__ import annotations

import pytest

from pathshala.classwork.models import Classwork, Submission
from pathshala.enrollments import service as enrollments
from pathshala.extensions import db
from pathshala.notifications import service as notifications
from pathshala.notifications.models import Notification
from tests import factories
from tests.notifications.helpers import notification_count, notifications_of, outbox_of
from tests.payments import helpers as payment_helpers


def _delivered(setup, address: str, count: int = 1):
    """Run the queued jobs, then the mails that reached the SMTP server."""
    setup.queue.run()
    return setup.smtp.wait_for(address, count)


def test_a_free_enrollment_tells_the_student_once(mail_setup):
    student = factories.make_user("student")
    course = factories.make_course(title="Hindustani vocals")
    client, headers = mail_setup.client(), factories.auth_headers(student)

    first = client.post(f"/api/courses/{course.id}/enroll", headers=headers)
    again = client.post(f"/api/courses/{course.id}/enroll", headers=headers)

    assert (first.status_code, again.status_code) == (201, 200)
    [notification] = notifications_of(student.id)
    assert notification.kind == "enrolled"
    assert notification.title == "You are enrolled in Hindustani vocals"
    assert notification.link == f"/learn/{course.slug}"
    assert notification.read_at is None
    [mail] = _delivered(mail_setup, student.email)
    assert mail.subject == "You are enrolled in Hindustani vocals"
    assert f"http://pathshala.test/learn/{course.slug}" in mail.text
    assert f'href="http://pathshala.test/learn/{course.slug}"' in mail.html
    assert len(outbox_of(student.email)) == 1


def test_a_paid_enrollment_is_one_payment_received_and_verifying_twice_adds_nothing(mail_setup):
    student = factories.make_user("student")
    client, headers = mail_setup.client(), factories.auth_headers(student)
    checkout = payment_helpers.sandbox_checkout(student)

    first = payment_helpers.verify(client, headers, checkout)
    again = payment_helpers.verify(client, headers, checkout)

    assert first.status_code == again.status_code == 200
    [notification] = notifications_of(student.id)
    assert notification.kind == "payment_received"  # the course is unlocked: no "enrolled" too
    assert "₹499.00" in notification.body
    assert "PS-" in notification.body  # the receipt number
    assert notification.link.startswith("/learn/course-")
    [mail] = _delivered(mail_setup, student.email)
    assert mail.subject.startswith("Payment received: ")
    assert len(outbox_of(student.email)) == 1


def test_a_manual_payment_and_its_refund_each_tell_the_student_once(mail_setup):
    admin = factories.make_user("admin")
    student = factories.make_user("student")
    course = payment_helpers.paid_course(title="Tabla basics")
    client, headers = mail_setup.client(), factories.auth_headers(admin)

    recorded = client.post(
        "/api/payments/manual-record",
        json={"course_id": str(course.id), "user_id": str(student.id), "notes": "NEFT"},
        headers=headers,
    )
    assert recorded.status_code == 201, recorded.json
    refunded = client.post(
        f"/api/payments/{recorded.json['id']}/refund",
        json={"reason": "Asked within 7 days"},
        headers=headers,
    )
    assert refunded.status_code == 201, refunded.json

    kinds = [n.kind for n in notifications_of(student.id)]
    assert kinds == ["payment_received", "payment_refunded"]
    refund = notifications_of(student.id, "payment_refunded")[0]
    assert refund.title == "Refund recorded: Tabla basics"
    assert "₹499.00" in refund.body and refund.link == "/orders"
    mails = _delivered(mail_setup, student.email, 2)
    assert sorted(m.subject for m in mails) == [
        "Payment received: Tabla basics",
        "Refund recorded: Tabla basics",
    ]
    assert notifications_of(admin.id) == []


def test_grading_tells_the_student_and_the_same_grade_again_does_not(mail_setup, in_mail_app):
    teacher = factories.make_user("teacher")
    student = factories.make_user("student")
    course = factories.make_course(teacher, title="Raga theory")
    in_mail_app(factories.enroll, student, course)

    classwork = Classwork(course_id=course.id, title="Essay on Yaman", max_points=10)
    db.session.add(classwork)
    db.session.flush()
    submission = Submission(classwork_id=classwork.id, student_id=student.id, text="Yaman...")
    db.session.add(submission)
    db.session.commit()
    client, headers = mail_setup.client(), factories.auth_headers(teacher)
    url = f"/api/submissions/{submission.id}/grade"

    graded = client.post(url, json={"grade": 8, "feedback": "Good"}, headers=headers)
    same = client.post(url, json={"grade": 8, "feedback": "Good"}, headers=headers)
    changed = client.post(url, json={"grade": 9, "feedback": "Better"}, headers=headers)

    assert graded.status_code == same.status_code == changed.status_code == 200
    graded_notes = notifications_of(student.id, "classwork_graded")
    assert [n.title for n in graded_notes] == ["Graded: Essay on Yaman"] * 2
    assert "8 out of 10" in graded_notes[0].body and "9 out of 10" in graded_notes[1].body
    assert graded_notes[0].link == f"/learn/{course.slug}/classwork"
    assert notifications_of(teacher.id) == []
    _delivered(mail_setup, student.email, 3)  # enrolled, then two grades


def test_an_admin_grant_and_a_revoked_enrollment_given_back_are_announced(in_mail_app):
    student = factories.make_user("student")
    course = factories.make_course()

    def grant_twice_then_regrant():
        enrollment, _ = enrollments.grant(student.id, course.id, source="admin_grant")
        enrollments.grant(student.id, course.id, source="admin_grant")  # no change
        enrollments.revoke(enrollment)
        enrollments.grant(student.id, course.id, source="admin_grant")  # active again
        db.session.commit()

    in_mail_app(grant_twice_then_regrant)

    assert [n.kind for n in notifications_of(student.id)] == ["enrolled", "enrolled"]


def test_certificate_issued_is_a_function_for_the_certificates_feature(mail_setup, in_mail_app):
    student = factories.make_user("student")
    course = factories.make_course(title="Sitar for beginners")

    def issue():
        notifications.certificate_issued(student.id, course, link="/certificates/abc")
        db.session.commit()

    in_mail_app(issue)

    [notification] = notifications_of(student.id, "certificate_issued")
    assert notification.title == "Your certificate for Sitar for beginners"
    [mail] = _delivered(mail_setup, student.email)
    assert "http://pathshala.test/certificates/abc" in mail.text


def test_an_event_that_rolls_back_tells_nobody(mail_setup, in_mail_app):
    student = factories.make_user("student")
    course = factories.make_course()

    def enroll_then_fail():
        enrollments.grant(student.id, course.id, source="free")
        db.session.rollback()
        factories.make_user("student")  # a later commit in the same session queues nothing

    in_mail_app(enroll_then_fail)

    assert notification_count() == 0
    assert outbox_of(student.email) == []
    assert mail_setup.queue.jobs == []


def test_banned_users_get_the_notification_but_no_mail(in_mail_app):
    student = factories.make_user("student", is_banned=True)
    course = factories.make_course()

    in_mail_app(factories.enroll, student, course)

    assert len(notifications_of(student.id)) == 1
    assert outbox_of(student.email) == []


def test_an_unknown_kind_is_a_programming_error():
    user = factories.make_user()

    with pytest.raises(ValueError):
        notifications.notify(user.id, "birthday", title="x", body="y")
    assert not any(isinstance(row, Notification) for row in db.session.new)
