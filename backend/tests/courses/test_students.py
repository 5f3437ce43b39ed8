"""GET /api/courses/<id>/students: the owner's view of who is enrolled."""

from tests.factories import enroll, make_course


def test_owner_sees_enrolled_students_newest_first(client, make_user, auth_headers):
    owner = make_user("teacher")
    course = make_course(owner)
    first = make_user(name="Asha Rao", email="asha@example.com")
    second = make_user(name="Ravi Kumar", email="ravi@example.com")
    enroll(first, course)
    enroll(second, course, source="manual")
    make_course(owner)  # another course's students are not listed
    page = client.get(f"/api/courses/{course.id}/students", headers=auth_headers(owner))

    assert page.status_code == 200
    assert page.json["total"] == 2
    assert [item["student"]["name"] for item in page.json["items"]] == ["Ravi Kumar", "Asha Rao"]
    item = page.json["items"][0]
    assert item["student"]["email"] == "ravi@example.com"
    assert item["source"] == "manual" and item["status"] == "active" and item["enrolled_at"]


def test_search_by_name_or_email_takes_wildcards_literally(client, make_user, auth_headers):
    owner = make_user("teacher")
    course = make_course(owner)
    for name, email in (("Asha Rao", "asha@example.com"), ("Ravi Kumar", "ravi_k@example.com")):
        enroll(make_user(name=name, email=email), course)
    headers = auth_headers(owner)
    url = f"/api/courses/{course.slug}/students"

    def names(query: str) -> list[str]:
        items = client.get(f"{url}?{query}", headers=headers).json["items"]
        return [item["student"]["name"] for item in items]

    assert names("q=ASHA") == ["Asha Rao"]
    assert names("q=i_k") == ["Ravi Kumar"]
    assert client.get(f"{url}?q=%25", headers=headers).json["total"] == 0
    assert names("sort=name") == ["Asha Rao", "Ravi Kumar"]


def test_only_the_owner_and_admins_see_the_students(client, make_user, auth_headers):
    owner = make_user("teacher")
    course = make_course(owner)
    student = make_user()
    enroll(student, course)
    url = f"/api/courses/{course.id}/students"

    assert client.get(url).status_code == 401
    assert client.get(url, headers=auth_headers(student)).status_code == 403
    other = client.get(url, headers=auth_headers(make_user("teacher")))
    assert other.status_code == 403 and other.json["code"] == "not_course_owner"
    assert client.get(url, headers=auth_headers(make_user("admin"))).status_code == 200
    assert client.get(f"{url}?sort=email", headers=auth_headers(owner)).status_code == 422


def test_the_students_list_runs_a_constant_number_of_queries(
    client, make_user, auth_headers, count_queries
):
    owner = make_user("teacher")
    course = make_course(owner)
    headers = auth_headers(owner)
    url = f"/api/courses/{course.id}/students?per_page=100"
    enroll(make_user(), course)
    with count_queries() as few:
        assert client.get(url, headers=headers).status_code == 200
    for _ in range(30):
        enroll(make_user(), course)
    with count_queries() as many:
        assert client.get(url, headers=headers).json["total"] == 31
    assert len(few) == len(many) <= 4
