"""The rules of courses and lessons: who sees a course, who edits it, the catalog, the outline.

Visibility: a published, unarchived course is public. A draft is seen only by its owner and
admins (others get 404, so drafts do not leak). An archived course is seen by its owner,
admins and its enrolled students. Editing: the owner or an admin; any other author gets 403.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass, field

from sqlalchemy import and_, func, literal_column, or_, select, update
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from pathshala.audit import service as audit
from pathshala.columns import utcnow
from pathshala.courses.models import Course, Lesson
from pathshala.enrollments import service as enrollments
from pathshala.enrollments.models import Enrollment
from pathshala.errors import AppError, Conflict, Forbidden, NotFound
from pathshala.extensions import db
from pathshala.pagination import Page, paginate
from pathshala.sql import contains_pattern
from pathshala.users.models import AUTHOR_ROLES, User

# On Postgres, a generated tsvector column with a GIN index (migration 20261123_02): title
# weighs most, then subtitle and category, then the description. Not in the model: SQLite has
# no such column and searches with LIKE instead.
SEARCH_VECTOR = literal_column("courses.search_vector")
CATALOG_SORTS = {
    "newest": (Course.published_at.desc().nulls_last(), Course.created_at.desc(), Course.id),
    "title": (Course.title.asc(), Course.id),
    "price": (Course.price.asc(), Course.id),
    "price_desc": (Course.price.desc(), Course.id),
}


class PaymentRequired(AppError):
    status = 402
    code = "payment_required"
    message = "This course is paid: buy it to enroll."


# ---- access -------------------------------------------------------------------------------


def is_author(user: User | None) -> bool:
    return user is not None and user.role in AUTHOR_ROLES


def can_edit(course: Course, user: User | None) -> bool:
    return user is not None and (user.is_admin or course.instructor_id == user.id)


def ensure_can_edit(course: Course, user: User) -> None:
    if not can_edit(course, user):
        raise Forbidden(
            "Only the course's owner or an admin can change it.", code="not_course_owner"
        )


def has_full_access(course: Course, user: User | None) -> bool:
    """May open every lesson: owner, admin, or an actively enrolled student."""
    if user is None:
        return False
    return can_edit(course, user) or enrollments.active_enrollment(user.id, course.id) is not None


def _is_visible(course: Course, user: User | None, enrolled: bool) -> bool:
    if course.is_published and course.archived_at is None:
        return True
    if can_edit(course, user):
        return True
    # A student keeps what they enrolled in, even after the course is archived or unpublished.
    return enrolled


def _parse_id(course_ref: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(course_ref)
    except ValueError:
        return None


def _find(course_ref: str | uuid.UUID) -> Course | None:
    course_id = course_ref if isinstance(course_ref, uuid.UUID) else _parse_id(course_ref)
    if course_id is not None:
        return db.session.get(Course, course_id)
    return db.session.scalar(select(Course).where(Course.slug == course_ref))


def get_course_for_edit(course_ref: str | uuid.UUID, user: User) -> Course:
    """A course by id or slug, if the user may edit it (404 unknown, 403 not the owner)."""
    course = _find(course_ref)
    if course is None:
        raise NotFound("No such course.", code="course_not_found")
    ensure_can_edit(course, user)
    return course


@dataclass
class CourseView:
    """A course as one caller sees it."""

    course: Course
    enrolled: bool
    can_edit: bool
    lessons: list[Lesson] = field(default_factory=list)

    @property
    def lesson_count(self) -> int:
        return len(self.lessons)

    @property
    def total_duration_seconds(self) -> int:
        return sum(lesson.duration_seconds for lesson in self.lessons)

    def locked(self, lesson: Lesson) -> bool:
        return not (self.enrolled or self.can_edit or lesson.is_free_preview)

    @property
    def outline(self) -> list[OutlineEntry]:
        return [OutlineEntry(lesson, self.locked(lesson)) for lesson in self.lessons]

    def __getattr__(self, name: str):
        # Serialisers read course fields straight off the view.
        return getattr(self.course, name)


@dataclass
class OutlineEntry:
    """A lesson in a course outline, with whether the caller may open it."""

    lesson: Lesson
    locked: bool

    def __getattr__(self, name: str):
        return getattr(self.lesson, name)


def view_course(course_ref: str, user: User | None) -> CourseView:
    """A course by id or slug with its instructor, the caller's enrollment and the outline,
    in two queries whatever the lesson count."""
    course_id = _parse_id(course_ref)
    query = select(Course, Enrollment.id if user is not None else literal_column("NULL")).options(
        joinedload(Course.instructor), selectinload(Course.lessons)
    )
    if user is not None:
        query = query.outerjoin(
            Enrollment,
            and_(
                Enrollment.course_id == Course.id,
                Enrollment.user_id == user.id,
                Enrollment.status == "active",
            ),
        )
    query = (
        query.where(Course.id == course_id) if course_id else query.where(Course.slug == course_ref)
    )
    row = db.session.execute(query).first()
    if row is None:
        raise NotFound("No such course.", code="course_not_found")
    course, enrollment_id = row
    enrolled = enrollment_id is not None
    if not _is_visible(course, user, enrolled):
        raise NotFound("No such course.", code="course_not_found")
    return CourseView(course, enrolled, can_edit(course, user), list(course.lessons))


# ---- catalog ------------------------------------------------------------------------------


def openable_lesson(lesson_id: uuid.UUID, user: User) -> Lesson:
    """The lesson, if ``user`` may open it (its video, its files): 404 unknown, or in a course
    they cannot see; 403 ``not_enrolled`` when the outline shows it locked to them (not
    actively enrolled, not the owner or an admin, not a free preview)."""
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None:
        raise NotFound("No such lesson.", code="lesson_not_found")
    try:
        view = view_course(str(lesson.course_id), user)
    except NotFound as error:
        raise NotFound("No such lesson.", code="lesson_not_found") from error
    if view.locked(lesson):
        raise Forbidden("Enroll in this course to open this lesson.", code="not_enrolled")
    return lesson


def catalog(
    *,
    q: str | None,
    category: str | None,
    level: str | None,
    price: str | None,
    sort: str | None,
    page: int,
    per_page: int,
) -> Page:
    """Published, unarchived courses. Postgres ranks full-text matches (GIN index);
    SQLite, the embedded default, matches substrings instead."""
    query = (
        select(Course)
        .options(joinedload(Course.instructor))
        # Plain `is_published` (not `IS true`): Postgres proves the partial catalog index's
        # predicate from it, so the default sort reads that index in order.
        .where(Course.is_published, Course.archived_at.is_(None))
    )
    if category:
        query = query.where(func.lower(Course.category) == category.strip().lower())
    if level:
        query = query.where(Course.level == level)
    if price == "free":
        query = query.where(Course.price == 0)
    elif price == "paid":
        query = query.where(Course.price > 0)
    sorts = dict(CATALOG_SORTS)
    terms = (q or "").strip()
    if terms:
        if db.engine.dialect.name == "postgresql":
            tsquery = func.websearch_to_tsquery(literal_column("'english'"), terms)
            query = query.where(SEARCH_VECTOR.op("@@")(tsquery))
            sorts["relevance"] = (func.ts_rank(SEARCH_VECTOR, tsquery).desc(), Course.id)
        else:
            pattern = contains_pattern(terms)
            query = query.where(
                or_(
                    *(
                        func.lower(column).like(pattern, escape="\\")
                        for column in (
                            Course.title,
                            Course.subtitle,
                            Course.description,
                            Course.category,
                        )
                    )
                )
            )
            sorts["relevance"] = CATALOG_SORTS["newest"]
    sort = sort or ("relevance" if terms else "newest")
    if sort == "relevance" and not terms:
        sort = "newest"
    result = paginate(query, page=page, per_page=per_page, sort=sort, sorts=sorts)
    _load_aggregates(result.items, Course.lesson_count, Course.total_duration_seconds)
    return result


def _load_aggregates(courses: list[Course], *aggregates) -> None:
    """Fill deferred aggregate columns (lesson count, ...) of a page of courses in one query.
    In the page query itself they would also run for every row OFFSET skips: page 50 of the
    catalog would count the lessons of a thousand courses."""
    if not courses:
        return
    rows = db.session.execute(
        select(Course.id, *aggregates).where(Course.id.in_([course.id for course in courses]))
    )
    values = {row[0]: row[1:] for row in rows}
    for course in courses:
        for aggregate, value in zip(aggregates, values[course.id], strict=True):
            set_committed_value(course, aggregate.key, value)


def categories() -> list[dict]:
    rows = db.session.execute(
        select(Course.category, func.count(Course.id))
        .where(Course.is_published, Course.archived_at.is_(None), Course.category != "")
        .group_by(Course.category)
        .order_by(Course.category)
    ).all()
    return [{"name": name, "course_count": count} for name, count in rows]


# ---- authoring ----------------------------------------------------------------------------


def _slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:80]
    return slug or "course"


def _unique_slug(title: str) -> str:
    base = _slugify(title)
    taken = set(
        db.session.scalars(
            select(Course.slug).where(or_(Course.slug == base, Course.slug.like(f"{base}-%")))
        )
    )
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


EDITABLE_COURSE_FIELDS = (
    "title",
    "subtitle",
    "description",
    "price",
    "currency",
    "level",
    "category",
    "language",
    "thumbnail_ref",
    "certificate_pass_percent",
)


def create_course(owner: User, fields: dict) -> Course:
    course = Course(instructor_id=owner.id, slug=_unique_slug(fields["title"]))
    for name in EDITABLE_COURSE_FIELDS:
        if name in fields:
            setattr(course, name, fields[name])
    _set_published(course, bool(fields.get("is_published", False)))
    db.session.add(course)
    db.session.commit()
    return course


def update_course(course_ref: str, user: User, fields: dict) -> Course:
    course = get_course_for_edit(course_ref, user)
    for name in EDITABLE_COURSE_FIELDS:
        if name in fields:
            setattr(course, name, fields[name])
    was_published, was_archived = course.is_published, course.archived_at is not None
    if "is_published" in fields:
        _set_published(course, fields["is_published"])
    if "archived" in fields:
        course.archived_at = (course.archived_at or utcnow()) if fields["archived"] else None
    # Taking a course off the catalog is kept in the audit log, whoever does it.
    if was_published and not course.is_published:
        audit.record(user, "course.unpublished", "course", str(course.id), {"title": course.title})
    if not was_archived and course.archived_at is not None:
        audit.record(user, "course.archived", "course", str(course.id), {"title": course.title})
    db.session.commit()
    return course


def _set_published(course: Course, published: bool) -> None:
    course.is_published = published
    if published and course.published_at is None:
        course.published_at = utcnow()


def delete_course(course_ref: str, user: User) -> None:
    """A course anyone ever enrolled in is kept (archive it instead): students keep access
    and payment records keep their course."""
    course = get_course_for_edit(course_ref, user)
    has_enrollments = db.session.scalar(
        select(func.count(Enrollment.id)).where(Enrollment.course_id == course.id)
    )
    if has_enrollments:
        raise Conflict(
            "Students are enrolled in this course: archive it instead of deleting it.",
            code="course_has_enrollments",
        )
    db.session.delete(course)
    db.session.commit()


def my_authored_courses(user: User, *, page: int, per_page: int, sort: str) -> Page:
    query = select(Course).options(joinedload(Course.instructor))
    if not user.is_admin:
        query = query.where(Course.instructor_id == user.id)
    result = paginate(query, page=page, per_page=per_page, sort=sort, sorts=STUDIO_SORTS)
    _load_aggregates(
        result.items, Course.lesson_count, Course.total_duration_seconds, Course.enrollment_count
    )
    return result


STUDIO_SORTS = {
    "updated": (Course.updated_at.desc(), Course.id),
    "title": (Course.title.asc(), Course.id),
}


# ---- lessons ------------------------------------------------------------------------------


def _course_of_lesson_for_edit(lesson_id: uuid.UUID, user: User) -> Lesson:
    lesson = db.session.scalar(
        select(Lesson).options(joinedload(Lesson.course)).where(Lesson.id == lesson_id)
    )
    if lesson is None:
        raise NotFound("No such lesson.", code="lesson_not_found")
    ensure_can_edit(lesson.course, user)
    return lesson


def add_lesson(course_ref: str, user: User, fields: dict) -> Lesson:
    """Without a position, a lesson goes to the end of its section when that section exists
    (later lessons move down one), else to the end of the course."""
    course = get_course_for_edit(course_ref, user)
    lesson = Lesson(course_id=course.id, **fields)
    if "position" not in fields:
        in_course = Lesson.course_id == course.id
        section_end = db.session.scalar(
            select(func.max(Lesson.position)).where(
                in_course, Lesson.section_title == fields.get("section_title", "")
            )
        )
        if section_end is not None:
            db.session.execute(
                update(Lesson)
                .where(in_course, Lesson.position > section_end)
                .values(position=Lesson.position + 1)
            )
            lesson.position = section_end + 1
        else:
            last = db.session.scalar(select(func.max(Lesson.position)).where(in_course))
            lesson.position = (last or 0) + 1
    db.session.add(lesson)
    course.updated_at = utcnow()
    db.session.commit()
    return lesson


def update_lesson(lesson_id: uuid.UUID, user: User, fields: dict) -> Lesson:
    lesson = _course_of_lesson_for_edit(lesson_id, user)
    for name, value in fields.items():
        setattr(lesson, name, value)
    db.session.commit()
    return lesson


def delete_lesson(lesson_id: uuid.UUID, user: User) -> None:
    lesson = _course_of_lesson_for_edit(lesson_id, user)
    db.session.delete(lesson)
    db.session.commit()


def reorder_lessons(course_ref: str, user: User, order: list[dict]) -> list[Lesson]:
    """Set every lesson's position (and section) at once. The list must name each lesson of
    the course exactly once, so a stale editor cannot silently drop a lesson."""
    course = get_course_for_edit(course_ref, user)
    lessons = {
        lesson.id: lesson
        for lesson in db.session.scalars(select(Lesson).where(Lesson.course_id == course.id))
    }
    named = [item["id"] for item in order]
    if len(set(named)) != len(named) or set(named) != set(lessons):
        raise Conflict(
            "The new order must list every lesson of the course exactly once.",
            code="lesson_order_mismatch",
        )
    for position, item in enumerate(order, start=1):
        lesson = lessons[item["id"]]
        lesson.position = position
        if item.get("section_title") is not None:
            lesson.section_title = item["section_title"]
    db.session.commit()
    return sorted(lessons.values(), key=lambda lesson: lesson.position)


# ---- enrollment ---------------------------------------------------------------------------


def enroll_free(course_ref: str, user: User) -> tuple[Enrollment, bool]:
    """Free courses only (a paid course answers 402). Enrolling twice is harmless, also in a
    paid course the caller already bought. Returns the enrollment and whether it is new."""
    view = view_course(course_ref, user)
    course = view.course
    if course.archived_at is not None or not course.is_published:
        raise Conflict("This course is not open for enrollment.", code="course_not_open")
    if not course.is_free and not view.enrolled:
        raise PaymentRequired()
    enrollment, created = enrollments.grant(user.id, course.id, source="free")
    db.session.commit()
    return enrollment, created


STUDENT_SORTS = {
    "newest": (Enrollment.created_at.desc(), Enrollment.id),
    "name": (func.lower(User.name), Enrollment.id),
}


def course_students(
    course_ref: str,
    user: User,
    *,
    page: int,
    per_page: int,
    sort: str,
    q: str | None = None,
    status: str | None = None,
) -> Page:
    """Who is enrolled in a course (owner and admins): each enrollment with its student.
    Searchable by name or email; a constant number of queries whatever the page size."""
    course = get_course_for_edit(course_ref, user)
    query = (
        select(Enrollment)
        .join(User, User.id == Enrollment.user_id)
        .options(contains_eager(Enrollment.user))
        .where(Enrollment.course_id == course.id)
    )
    if status:
        query = query.where(Enrollment.status == status)
    if q and q.strip():
        pattern = contains_pattern(q)
        query = query.where(
            or_(
                func.lower(User.name).like(pattern, escape="\\"),
                func.lower(User.email).like(pattern, escape="\\"),
            )
        )
    return paginate(query, page=page, per_page=per_page, sort=sort, sorts=STUDENT_SORTS)


def my_enrolled_courses(user: User) -> list[Enrollment]:
    return list(
        db.session.scalars(
            select(Enrollment)
            .options(
                joinedload(Enrollment.course).joinedload(Course.instructor),
                joinedload(Enrollment.course).undefer(Course.lesson_count),
                joinedload(Enrollment.course).undefer(Course.total_duration_seconds),
            )
            .where(Enrollment.user_id == user.id, Enrollment.status == "active")
            .order_by(Enrollment.created_at.desc())
        )
    )
