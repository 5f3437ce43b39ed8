"""The public catalog and course page: search, filters, sort, pages, drafts, locks, queries."""

import pytest

from tests.conftest import USE_POSTGRES
from tests.factories import enroll, make_course, make_lesson


def titles(response) -> list[str]:
    return [item["title"] for item in response.json["items"]]


def test_catalog_lists_only_published_unarchived(client, make_user):
    from pathshala.columns import utcnow

    teacher = make_user("teacher", name="Tara")
    make_course(teacher, title="Live")
    make_course(teacher, title="Draft", is_published=False)
    make_course(teacher, title="Old", archived_at=utcnow())
    response = client.get("/api/courses")
    assert response.status_code == 200
    assert titles(response) == ["Live"]
    item = response.json["items"][0]
    assert item["instructor"]["name"] == "Tara"
    assert {"lesson_count", "total_duration_seconds", "price", "level", "slug"} <= item.keys()


def test_search_filters_and_sorts(client, make_user):
    teacher = make_user("teacher")
    make_course(
        teacher, title="Python for Data", category="Programming", price=99900, level="intermediate"
    )
    make_course(
        teacher,
        title="Carnatic Vocals",
        category="Music",
        description="Learn ragas and python-free singing",
    )
    make_course(
        teacher, title="Hindustani Flute", category="Music", price=49900, subtitle="Bansuri basics"
    )
    assert titles(client.get("/api/courses?q=flute")) == ["Hindustani Flute"]
    assert titles(client.get("/api/courses?q=bansuri")) == ["Hindustani Flute"]
    assert set(titles(client.get("/api/courses?category=music"))) == {
        "Carnatic Vocals",
        "Hindustani Flute",
    }
    assert titles(client.get("/api/courses?price=free")) == ["Carnatic Vocals"]
    assert titles(client.get("/api/courses?level=intermediate")) == ["Python for Data"]
    assert titles(client.get("/api/courses?sort=price")) == [
        "Carnatic Vocals",
        "Hindustani Flute",
        "Python for Data",
    ]
    assert titles(client.get("/api/courses?sort=title")) == [
        "Carnatic Vocals",
        "Hindustani Flute",
        "Python for Data",
    ]
    # A title match outranks a description match.
    if USE_POSTGRES:
        assert titles(client.get("/api/courses?q=python"))[0] == "Python for Data"


@pytest.mark.parametrize(
    "query", ["per_page=101", "page=0", "level=expert", "sort=random", "price=cheap"]
)
def test_bad_catalog_queries(client, query):
    response = client.get(f"/api/courses?{query}")
    assert response.status_code == 422
    assert response.json["code"] == "invalid_input"


def test_hostile_search_text_is_just_text(client, make_user):
    make_course(make_user("teacher"), title="100% Tabla_Basics")
    for q in ["100%", "'; DROP TABLE courses; --", "a & | ! (", "_", "\\"]:
        assert client.get("/api/courses", query_string={"q": q}).status_code == 200
    assert client.get("/api/courses").json["total"] == 1


def test_pagination(client, make_user):
    teacher = make_user("teacher")
    for index in range(5):
        make_course(teacher, title=f"Course {index}")
    first = client.get("/api/courses?per_page=2&sort=title").json
    second = client.get("/api/courses?per_page=2&page=3&sort=title").json
    assert first["total"] == 5 and first["per_page"] == 2 and len(first["items"]) == 2
    assert [item["title"] for item in second["items"]] == ["Course 4"]


def test_catalog_query_count_does_not_grow(client, make_user, count_queries):
    teacher = make_user("teacher")
    make_course(teacher)
    with count_queries() as few:
        client.get("/api/courses")
    for _ in range(30):
        course = make_course(teacher)
        make_lesson(course)
        make_lesson(course, position=2)
    with count_queries() as many:
        response = client.get("/api/courses?per_page=100")
    assert len(response.json["items"]) == 31
    assert len(many) == len(few) <= 4


def test_course_detail_query_count_does_not_grow(client, make_user, auth_headers, count_queries):
    owner = make_user("teacher")
    course = make_course(owner)
    make_lesson(course)
    student = make_user("student")
    enroll(student, course)
    headers = auth_headers(student)
    with count_queries() as few:
        client.get(f"/api/courses/{course.id}", headers=headers)
    for position in range(2, 40):
        make_lesson(course, position=position)
    with count_queries() as many:
        response = client.get(f"/api/courses/{course.id}", headers=headers)
    assert response.json["lesson_count"] == 39
    assert len(many) == len(few)
    with count_queries() as anonymous:
        client.get(f"/api/courses/{course.slug}")
    assert len(anonymous) <= 4


def test_outline_locks_for_the_caller(client, make_user, auth_headers):
    owner = make_user("teacher")
    course = make_course(owner, price=49900)
    make_lesson(course, title="Intro", position=1, is_free_preview=True, section_title="Start")
    make_lesson(course, title="Deep", position=2, section_title="Start")
    anonymous = client.get(f"/api/courses/{course.id}").json
    assert [(lesson["title"], lesson["locked"]) for lesson in anonymous["lessons"]] == [
        ("Intro", False),
        ("Deep", True),
    ]
    assert anonymous["enrolled"] is False and anonymous["can_edit"] is False
    student = make_user("student")
    enroll(student, course, source="manual")
    mine = client.get(f"/api/courses/{course.id}/lessons", headers=auth_headers(student)).json
    assert [lesson["locked"] for lesson in mine] == [False, False]
    as_owner = client.get(f"/api/courses/{course.id}", headers=auth_headers(owner)).json
    assert as_owner["can_edit"] is True and not any(
        lesson["locked"] for lesson in as_owner["lessons"]
    )
    assert as_owner["total_duration_seconds"] == 120


def test_drafts_visible_only_to_owner_and_admins(client, make_user, auth_headers):
    owner = make_user("teacher")
    draft = make_course(owner, is_published=False)
    url = f"/api/courses/{draft.id}"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=auth_headers(make_user("teacher"))).status_code == 404
    assert client.get(url, headers=auth_headers(owner)).status_code == 200
    assert client.get(url, headers=auth_headers(make_user("admin"))).status_code == 200


def test_markdown_is_rendered_inert(client, make_user):
    course = make_course(
        make_user("teacher"),
        description=(
            "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
        ),
    )
    html = client.get(f"/api/courses/{course.id}").json["description_html"]
    assert "<script>" not in html and "<img" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;" in html


def test_categories(client, make_user):
    teacher = make_user("teacher")
    make_course(teacher, category="Music")
    make_course(teacher, category="Music")
    make_course(teacher, category="Art", is_published=False)
    assert client.get("/api/courses/categories").json == [{"name": "Music", "course_count": 2}]
