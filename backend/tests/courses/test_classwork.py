"""Classwork: owners set and grade; enrolled students submit until graded."""

from sqlalchemy import func, select

from pathshala.classwork.models import Classwork, Submission
from pathshala.extensions import db
from tests.factories import enroll, make_course


def setup_course(make_user, auth_headers, client):
    owner = make_user("teacher")
    course = make_course(owner)
    student = make_user("student")
    enroll(student, course)
    created = client.post(
        f"/api/courses/{course.id}/classwork",
        json={
            "title": "Compose a bandish",
            "instructions": "Eight lines.",
            "max_points": 10,
            "due_at": "2030-01-01T10:00:00+05:30",
        },
        headers=auth_headers(owner),
    )
    assert created.status_code == 201
    return owner, course, student, created.json


def test_full_classwork_round(client, make_user, auth_headers):
    owner, course, student, classwork = setup_course(make_user, auth_headers, client)
    student_headers = auth_headers(student)
    url = f"/api/classwork/{classwork['id']}/submissions"
    first = client.post(url, json={"text": "Draft"}, headers=student_headers)
    assert first.status_code == 201
    resubmitted = client.post(url, json={"text": "Final"}, headers=student_headers)
    assert resubmitted.status_code == 200 and resubmitted.json["id"] == first.json["id"]
    listing = client.get(url, headers=auth_headers(owner)).json
    assert [(s["text"], s["student"]["id"]) for s in listing] == [("Final", str(student.id))]
    graded = client.post(
        f"/api/submissions/{first.json['id']}/grade",
        json={"grade": 9, "feedback": "Lovely"},
        headers=auth_headers(owner),
    )
    assert graded.status_code == 200 and graded.json["is_graded"]
    mine = client.get(f"/api/courses/{course.id}/classwork", headers=student_headers).json
    assert mine[0]["my_submission"]["grade"] == 9
    assert mine[0]["my_submission"]["feedback"] == "Lovely"
    locked = client.post(url, json={"text": "Sneaky edit"}, headers=student_headers)
    assert locked.status_code == 409 and locked.json["code"] == "already_graded"
    assert db.session.scalar(select(Submission.text)) == "Final"


def test_outsiders_are_refused(client, make_user, auth_headers):
    owner, course, _student, classwork = setup_course(make_user, auth_headers, client)
    stranger = auth_headers(make_user("student"))
    assert client.get(f"/api/courses/{course.id}/classwork", headers=stranger).status_code == 403
    assert (
        client.post(
            f"/api/classwork/{classwork['id']}/submissions", json={"text": "x"}, headers=stranger
        ).status_code
        == 403
    )
    other_teacher = auth_headers(make_user("teacher"))
    assert (
        client.patch(
            f"/api/classwork/{classwork['id']}", json={"title": "x"}, headers=other_teacher
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/courses/{course.id}/classwork", json={"title": "x"}, headers=other_teacher
        ).status_code
        == 403
    )
    assert db.session.scalar(select(func.count(Submission.id))) == 0
    assert db.session.scalar(select(func.count(Classwork.id))) == 1


def test_grading_rules(client, make_user, auth_headers):
    owner, _course, student, classwork = setup_course(make_user, auth_headers, client)
    submission = client.post(
        f"/api/classwork/{classwork['id']}/submissions",
        json={"text": "x"},
        headers=auth_headers(student),
    ).json
    too_high = client.post(
        f"/api/submissions/{submission['id']}/grade",
        json={"grade": 11},
        headers=auth_headers(owner),
    )
    assert too_high.status_code == 422
    by_student = client.post(
        f"/api/submissions/{submission['id']}/grade",
        json={"grade": 5},
        headers=auth_headers(student),
    )
    assert by_student.status_code == 403
    assert db.session.scalar(select(Submission.grade)) is None


def test_bad_classwork_input(client, make_user, auth_headers):
    owner = make_user("teacher")
    course = make_course(owner)
    headers = auth_headers(owner)
    for body in (
        {"title": ""},
        {"title": "x", "max_points": 0},
        {"title": "x", "due_at": "tomorrow"},
        {"title": "x", "due_at": "2030-01-01T10:00:00"},
    ):
        response = client.post(f"/api/courses/{course.id}/classwork", json=body, headers=headers)
        assert response.status_code == 422, body
    assert db.session.scalar(select(func.count(Classwork.id))) == 0


def test_empty_submission_refused(client, make_user, auth_headers):
    _owner, _course, student, classwork = setup_course(make_user, auth_headers, client)
    response = client.post(
        f"/api/classwork/{classwork['id']}/submissions",
        json={"text": "  "},
        headers=auth_headers(student),
    )
    assert response.status_code == 422


def test_owners_see_how_many_submissions_wait_for_a_grade(client, make_user, auth_headers):
    from tests.factories import enroll, make_course

    owner = make_user("teacher")
    course = make_course(owner)
    owner_headers = auth_headers(owner)
    created = client.post(
        f"/api/courses/{course.id}/classwork",
        json={"title": "Essay", "instructions": "Write"},
        headers=owner_headers,
    ).json
    submission_ids = []
    for _ in range(3):
        student = make_user()
        enroll(student, course)
        answer = client.post(
            f"/api/classwork/{created['id']}/submissions",
            json={"text": "my answer"},
            headers=auth_headers(student),
        )
        submission_ids.append(answer.json["id"])
    graded = client.post(
        f"/api/submissions/{submission_ids[0]}/grade",
        json={"grade": 5, "feedback": "Good"},
        headers=owner_headers,
    )
    assert graded.status_code == 200

    listing = client.get(f"/api/courses/{course.id}/classwork", headers=owner_headers).json
    assert [(cw["submission_count"], cw["ungraded_count"]) for cw in listing] == [(3, 2)]
    as_student = client.get(f"/api/courses/{course.id}/classwork", headers=auth_headers(student))
    assert as_student.json[0]["submission_count"] is None
