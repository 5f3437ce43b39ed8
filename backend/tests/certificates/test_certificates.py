"""Certificates: earned by completing a course, one per student, verifiable, revocable."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError

from pathshala.audit.models import AuditEvent
from pathshala.certificates import service
from pathshala.certificates.models import Certificate
from pathshala.classwork.models import Classwork, Submission
from pathshala.extensions import db
from tests.factories import enroll, make_course, make_lesson
from tests.payments.helpers import race

CODE = re.compile(r"^PSH-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def complete(client, headers, lesson):
    return client.post(
        f"/api/lessons/{lesson.id}/progress",
        json={"position_seconds": 0, "completed": True},
        headers=headers,
    )


def finish(client, headers, lessons) -> str:
    """Complete every lesson; the code of the certificate that earns."""
    codes = [complete(client, headers, lesson).json["certificate_code"] for lesson in lessons]
    assert codes[:-1] == [None] * (len(codes) - 1) and codes[-1]
    return codes[-1]


def certificate_count() -> int:
    return db.session.scalar(select(func.count(Certificate.id)))


@pytest.fixture
def course_with_student(make_user, auth_headers):
    owner = make_user("teacher", name="Guru Devi")
    course = make_course(owner, title="Spoken Sanskrit")
    lessons = [make_lesson(course, position=i) for i in range(3)]
    student = make_user(name="Asha Rao")
    enroll(student, course)
    return course, lessons, student, auth_headers(student)


def test_finishing_every_lesson_issues_the_certificate(client, course_with_student):
    course, lessons, student, headers = course_with_student

    for lesson in lessons[:-1]:
        assert complete(client, headers, lesson).json["certificate_code"] is None
    last = complete(client, headers, lessons[-1])

    code = last.json["certificate_code"]
    assert CODE.match(code)
    verified = client.get(f"/api/certificates/{code}")
    assert verified.status_code == 200
    assert verified.json == {
        "code": code,
        "valid": True,
        "status": "valid",
        "student_name": "Asha Rao",
        "course_title": "Spoken Sanskrit",
        "instructor_name": "Guru Devi",
        "issued_at": verified.json["issued_at"],
        "revoked_at": None,
    }
    mine = client.get("/api/me/certificates", headers=headers).json["items"]
    assert [item["code"] for item in mine] == [code]
    assert mine[0]["pdf_url"] == f"/api/certificates/{code}/pdf"
    my_course = client.get("/api/me/courses", headers=headers).json["items"][0]
    assert my_course["certificate_code"] == code and my_course["progress"]["percent"] == 100


def test_completing_again_issues_nothing_more(client, course_with_student):
    _, lessons, _, headers = course_with_student
    for lesson in lessons:
        complete(client, headers, lesson)

    again = complete(client, headers, lessons[-1])

    assert again.status_code == 200 and again.json["certificate_code"] is None
    assert certificate_count() == 1


def test_parallel_completions_issue_exactly_one_certificate(app, course_with_student):
    _, lessons, _, headers = course_with_student

    body = {"position_seconds": 0, "completed": True}

    def finish(url):
        return lambda: app.test_client().post(url, json=body, headers=headers)

    urls = [f"/api/lessons/{lesson.id}/progress" for lesson in lessons]
    # Every lesson finished at the same moment, some twice: one certificate, not none.
    results = race([finish(url) for url in urls + urls])

    assert all(result.status_code == 200 for result in results)
    codes = {result.json["certificate_code"] for result in results} - {None}
    assert len(codes) == 1
    assert certificate_count() == 1


def test_a_course_with_a_pass_mark_also_needs_passed_classwork(
    client, course_with_student, make_user, auth_headers
):
    course, lessons, student, headers = course_with_student
    course.certificate_pass_percent = 60
    work = Classwork(course_id=course.id, title="Essay", max_points=50)
    db.session.add(work)
    db.session.commit()

    for lesson in lessons:
        complete(client, headers, lesson)
    assert certificate_count() == 0  # not submitted yet

    db.session.add(Submission(classwork_id=work.id, student_id=student.id, text="...", grade=29))
    db.session.commit()
    assert service.issue_if_earned(student.id, course.id) is None  # 58% < 60%
    db.session.execute(update(Submission).values(grade=30))
    assert service.issue_if_earned(student.id, course.id) is not None


@pytest.mark.parametrize(
    "typed",
    ["psh-{a}-{b}", "PSH{a}{b}", " PSH-{a}-{b} ", "{a}{b}", "psh {a} {b}"],
)
def test_codes_are_forgiving_to_type(client, course_with_student, typed):
    _, lessons, _, headers = course_with_student
    code = finish(client, headers, lessons)
    a, b = code[4:8], code[9:]
    spelled = typed.format(a=a, b=b)
    spelled = spelled.replace("0", "O") if "0" in spelled else spelled.lower()

    response = client.get(f"/api/certificates/{spelled}")

    assert response.status_code == 200 and response.json["code"] == code


@pytest.mark.parametrize(
    "typed", ["PSH-7K2Q", "PSH-7K2Q-M9XD-AAAA", "PSH-7K2U-M9XD", "<script>", "PSH-7K2Q-M9X%", "%00"]
)
def test_odd_codes_are_refused(client, typed):
    response = client.get(f"/api/certificates/{typed}")

    assert response.status_code == 400
    # A NUL never reaches the service: the app refuses it for every route.
    assert response.json["code"] in ("invalid_certificate_code", "invalid_characters")


def test_an_unknown_code_is_404(client):
    response = client.get("/api/certificates/PSH-7K2Q-M9XD")

    assert response.status_code == 404 and response.json["code"] == "certificate_not_found"


def test_a_row_edited_behind_the_platforms_back_shows_invalid(client, course_with_student):
    _, lessons, _, headers = course_with_student
    code = finish(client, headers, lessons)

    db.session.execute(
        text("UPDATE certificates SET student_name = 'Someone Else' WHERE code = :code"),
        {"code": code},
    )
    db.session.commit()

    verified = client.get(f"/api/certificates/{code}").json
    assert verified["status"] == "invalid" and verified["valid"] is False
    pdf = client.get(f"/api/certificates/{code}/pdf")
    assert pdf.status_code == 410 and pdf.json["code"] == "certificate_invalid"


def test_the_pdf_carries_the_names_the_code_and_a_qr_code(client, course_with_student):
    _, lessons, _, headers = course_with_student
    code = finish(client, headers, lessons)

    response = client.get(f"/api/certificates/{code}/pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert f"pathshala-certificate-{code}.pdf" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    page_text = reader.pages[0].extract_text()
    for expected in ("Certificate of Completion", "Asha Rao", "Spoken Sanskrit", "Guru Devi", code):
        assert expected in page_text
    assert f"/verify/{code}" in page_text
    # The QR code is drawn as vector squares: many filled rectangles on the page.
    content = reader.pages[0].get_contents().get_data()
    assert content.count(b" re") > 100


def test_a_very_long_name_and_title_still_fit_one_page(client, make_user, auth_headers):
    owner = make_user("teacher", name=("Dr. " + "Venkataraghavan " * 8)[:120])
    course = make_course(owner, title=("An Extremely Thorough Course " * 8)[:200])
    lesson = make_lesson(course)
    student = make_user(name=("Meenakshi Sundaram Venkataraghavan Iyer-Krishnamurthy " * 3)[:120])
    enroll(student, course)
    code = complete(client, auth_headers(student), lesson).json["certificate_code"]

    reader = PdfReader(io.BytesIO(client.get(f"/api/certificates/{code}/pdf").data))

    assert len(reader.pages) == 1
    assert "Meenakshi" in reader.pages[0].extract_text()


def test_admins_revoke_with_a_reason_and_the_audit_log_keeps_it(
    client, course_with_student, make_user, auth_headers
):
    _, lessons, _, headers = course_with_student
    code = finish(client, headers, lessons)
    admin = make_user("admin")

    response = client.post(
        f"/api/admin/certificates/{code}/revoke",
        json={"reason": "  Plagiarised final project  "},
        headers=auth_headers(admin),
    )

    assert response.status_code == 200
    assert response.json["status"] == "revoked" and response.json["revoked_reason"] == (
        "Plagiarised final project"
    )
    public = client.get(f"/api/certificates/{code}").json
    assert public["valid"] is False and public["status"] == "revoked" and public["revoked_at"]
    assert "revoked_reason" not in public
    assert client.get(f"/api/certificates/{code}/pdf").status_code == 410
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.actor_id, event.action, event.target_id) == (
        admin.id,
        "certificate.revoked",
        code,
    )
    assert event.data == {"reason": "Plagiarised final project"}
    assert event.ip_address
    again = client.post(
        f"/api/admin/certificates/{code}/revoke",
        json={"reason": "twice"},
        headers=auth_headers(admin),
    )
    assert again.status_code == 409


@pytest.mark.parametrize("body", [{}, {"reason": "  "}, {"reason": "x" * 501}, {"reason": 5}])
def test_a_revocation_needs_a_reason(client, course_with_student, make_user, auth_headers, body):
    _, lessons, _, headers = course_with_student
    code = finish(client, headers, lessons)

    response = client.post(
        f"/api/admin/certificates/{code}/revoke",
        json=body,
        headers=auth_headers(make_user("admin")),
    )

    assert response.status_code == 422
    assert db.session.scalar(select(Certificate.revoked_at)) is None
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_only_admins_revoke(client, course_with_student, auth_headers):
    course, lessons, student, headers = course_with_student
    code = finish(client, headers, lessons)
    owner_headers = auth_headers(db.session.get(type(student), course.instructor_id))

    for who in (headers, owner_headers):
        response = client.post(
            f"/api/admin/certificates/{code}/revoke", json={"reason": "no"}, headers=who
        )
        assert response.status_code == 403
    assert db.session.scalar(select(Certificate.revoked_at)) is None


def test_the_owner_issues_one_by_hand(client, course_with_student, make_user, auth_headers):
    course, _, student, _ = course_with_student
    owner = db.session.get(type(student), course.instructor_id)
    url = f"/api/courses/{course.id}/certificates"

    first = client.post(url, json={"user_id": str(student.id)}, headers=auth_headers(owner))
    second = client.post(url, json={"user_id": str(student.id)}, headers=auth_headers(owner))

    assert first.status_code == 201 and second.status_code == 200
    assert first.json["code"] == second.json["code"] and first.json["issue_reason"] == "manual"
    assert certificate_count() == 1
    assert db.session.scalars(select(AuditEvent.action)).all() == ["certificate.issued"]
    stranger = make_user()
    refused = client.post(url, json={"user_id": str(stranger.id)}, headers=auth_headers(owner))
    assert refused.status_code == 409 and refused.json["code"] == "not_enrolled"
    other_teacher = auth_headers(make_user("teacher"))
    assert (
        client.post(url, json={"user_id": str(student.id)}, headers=other_teacher).status_code
        == 403
    )


def test_the_audit_log_refuses_updates_on_postgres(app, make_user):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the append-only trigger is Postgres's")
    from pathshala.audit import service as audit

    audit.record(make_user("admin"), "certificate.revoked", "certificate", "PSH-0000-0000", {})
    db.session.commit()

    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("UPDATE audit_events SET action = 'nothing'"))
    db.session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("DELETE FROM audit_events"))
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent.action)) == "certificate.revoked"


def test_verification_is_rate_limited(client):
    statuses = [client.get("/api/certificates/PSH-7K2Q-M9XD").status_code for _ in range(31)]

    assert statuses[:30] == [404] * 30 and statuses[30] == 429


def test_grading_the_last_classwork_issues_the_certificate_and_tells_the_student(
    client, course_with_student, auth_headers
):
    from pathshala.notifications.models import Notification

    course, lessons, student, headers = course_with_student
    course.certificate_pass_percent = 50
    work = Classwork(course_id=course.id, title="Essay", max_points=10)
    db.session.add(work)
    db.session.commit()
    for lesson in lessons:
        complete(client, headers, lesson)
    submission = Submission(classwork_id=work.id, student_id=student.id, text="My essay")
    db.session.add(submission)
    db.session.commit()
    owner = auth_headers(db.session.get(type(student), course.instructor_id))

    failing = client.post(
        f"/api/submissions/{submission.id}/grade", json={"grade": 4}, headers=owner
    )
    assert failing.status_code == 200 and certificate_count() == 0
    passing = client.post(
        f"/api/submissions/{submission.id}/grade", json={"grade": 5}, headers=owner
    )

    assert passing.status_code == 200
    assert certificate_count() == 1
    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == student.id)
    ).all()
    assert "certificate_issued" in kinds
    mine = client.get("/api/me/certificates", headers=headers).json["items"]
    assert mine[0]["course_title"] == "Spoken Sanskrit"
