"""/api/courses, /api/lessons, /api/studio: thin routes over courses.service."""

from __future__ import annotations

import uuid

from flask_jwt_extended import current_user, verify_jwt_in_request
from flask_smorest import Blueprint

from pathshala.auth.permissions import BEARER, require_author, require_login
from pathshala.courses import service
from pathshala.courses.schemas import (
    CatalogArgs,
    CategorySchema,
    CourseCreateSchema,
    CourseDetailSchema,
    CoursePageSchema,
    CourseSchema,
    CourseStudentArgs,
    CourseStudentPageSchema,
    CourseUpdateSchema,
    EnrollmentSchema,
    LessonCreateSchema,
    LessonFieldsSchema,
    LessonOrderSchema,
    LessonSchema,
    OutlineLessonSchema,
    StudioArgs,
    StudioCoursePageSchema,
)
from pathshala.errors import ErrorSchema

blp = Blueprint("courses", __name__, url_prefix="/api", description="Courses and lessons")


def _optional_user():
    """The signed-in caller when a valid token is sent; None for anonymous visitors."""
    verify_jwt_in_request(optional=True)
    return current_user if current_user else None


@blp.route("/courses", methods=["GET"])
@blp.arguments(CatalogArgs, location="query")
@blp.response(200, CoursePageSchema)
def catalog(args):
    """The public catalog: published courses, searchable and filterable."""
    return service.catalog(**args)


@blp.route("/courses/categories", methods=["GET"])
@blp.response(200, CategorySchema(many=True))
def categories():
    """Categories that have published courses, with counts."""
    return service.categories()


@blp.route("/courses", methods=["POST"])
@require_author
@blp.arguments(CourseCreateSchema)
@blp.response(201, CourseSchema)
@blp.doc(security=BEARER)
def create_course(body):
    """Create a course owned by the caller (a draft unless is_published)."""
    return service.create_course(current_user, body)


@blp.route("/courses/<string:course_ref>", methods=["GET"])
@blp.response(200, CourseDetailSchema)
@blp.alt_response(404, schema=ErrorSchema)
def course_detail(course_ref: str):
    """A course by id or slug, with its outline; `locked` says what the caller may open."""
    return service.view_course(course_ref, _optional_user())


@blp.route("/courses/<string:course_ref>", methods=["PATCH"])
@require_author
@blp.arguments(CourseUpdateSchema)
@blp.response(200, CourseSchema)
@blp.doc(security=BEARER)
def update_course(body, course_ref: str):
    """Edit, publish/unpublish or archive/restore (owner or admin)."""
    return service.update_course(course_ref, current_user, body)


@blp.route("/courses/<string:course_ref>", methods=["DELETE"])
@require_author
@blp.response(204)
@blp.alt_response(409, schema=ErrorSchema, description="Has enrollments: archive instead")
@blp.doc(security=BEARER)
def delete_course(course_ref: str):
    """Delete a course nobody ever enrolled in (owner or admin)."""
    service.delete_course(course_ref, current_user)


@blp.route("/courses/<string:course_ref>/lessons", methods=["GET"])
@blp.response(200, OutlineLessonSchema(many=True))
def outline(course_ref: str):
    """The course outline; each lesson says whether it is locked for the caller."""
    return service.view_course(course_ref, _optional_user()).outline


@blp.route("/courses/<string:course_ref>/lessons", methods=["POST"])
@require_author
@blp.arguments(LessonCreateSchema)
@blp.response(201, LessonSchema)
@blp.doc(security=BEARER)
def add_lesson(body, course_ref: str):
    """Add a lesson (at the end unless a position is given)."""
    return service.add_lesson(course_ref, current_user, body)


@blp.route("/courses/<string:course_ref>/lessons/order", methods=["PUT"])
@require_author
@blp.arguments(LessonOrderSchema)
@blp.response(200, LessonSchema(many=True))
@blp.doc(security=BEARER)
def reorder_lessons(body, course_ref: str):
    """Reorder every lesson (and move lessons between sections) in one call."""
    return service.reorder_lessons(course_ref, current_user, body["lessons"])


@blp.route("/lessons/<uuid:lesson_id>", methods=["PATCH"])
@require_author
@blp.arguments(LessonFieldsSchema)
@blp.response(200, LessonSchema)
@blp.doc(security=BEARER)
def update_lesson(body, lesson_id: uuid.UUID):
    """Edit a lesson (owner or admin)."""
    return service.update_lesson(lesson_id, current_user, body)


@blp.route("/lessons/<uuid:lesson_id>", methods=["DELETE"])
@require_author
@blp.response(204)
@blp.doc(security=BEARER)
def delete_lesson(lesson_id: uuid.UUID):
    """Delete a lesson (owner or admin)."""
    service.delete_lesson(lesson_id, current_user)


@blp.route("/courses/<string:course_ref>/enroll", methods=["POST"])
@require_login
@blp.response(201, EnrollmentSchema, description="Enrolled now (200: already enrolled)")
@blp.alt_response(402, schema=ErrorSchema, description="Paid course: buy it instead")
@blp.doc(security=BEARER)
def enroll(course_ref: str):
    """Enroll the caller in a free course. Enrolling again is harmless."""
    enrollment, created = service.enroll_free(course_ref, current_user)
    return enrollment, (201 if created else 200)


@blp.route("/courses/<string:course_ref>/students", methods=["GET"])
@require_author
@blp.arguments(CourseStudentArgs, location="query")
@blp.response(200, CourseStudentPageSchema)
@blp.doc(security=BEARER)
def course_students(args, course_ref):
    """Who is enrolled (owner and admins): student, source, status and date."""
    return service.course_students(course_ref, current_user, **args)


@blp.route("/studio/courses", methods=["GET"])
@require_author
@blp.arguments(StudioArgs, location="query")
@blp.response(200, StudioCoursePageSchema)
@blp.doc(security=BEARER)
def studio_courses(args):
    """Courses the caller owns (admins: every course), drafts included."""
    return service.my_authored_courses(current_user, **args)
