"""/api/lessons/<id>/progress, /api/courses/<id>/progress and /api/me/courses (my learning):
thin routes over learning.service."""

from __future__ import annotations

import uuid

from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from pathshala.auth.permissions import BEARER, require_login
from pathshala.errors import ErrorSchema
from pathshala.extensions import limiter
from pathshala.learning import service
from pathshala.learning.schemas import (
    CourseProgressSchema,
    HeartbeatResultSchema,
    HeartbeatSchema,
    MyCoursesSchema,
)
from pathshala.requests import signed_in_user_key

blp = Blueprint("learning", __name__, url_prefix="/api", description="Learning progress")


@blp.route("/lessons/<uuid:lesson_id>/progress", methods=["POST"])
@require_login
# A player sends one every 15 s and on pause or seek; this leaves room for several tabs.
@limiter.limit("120/minute", key_func=signed_in_user_key)
@blp.arguments(HeartbeatSchema)
@blp.response(200, HeartbeatResultSchema)
@blp.alt_response(403, schema=ErrorSchema, description="Not enrolled in the lesson's course")
@blp.alt_response(404, schema=ErrorSchema, description="No such lesson")
@blp.alt_response(409, schema=ErrorSchema, description="Completing a video not yet watched")
@blp.doc(security=BEARER)
def record_progress(body, lesson_id: uuid.UUID):
    """Save where the student is in a lesson; completes it at 90% watched (video) or when
    asked (no video). Completing the last lesson issues the certificate."""
    return service.record_progress(lesson_id, current_user, **body)


@blp.route("/courses/<string:course_ref>/progress", methods=["GET"])
@require_login
@blp.response(200, CourseProgressSchema)
@blp.alt_response(403, schema=ErrorSchema, description="Not enrolled in the course")
@blp.alt_response(404, schema=ErrorSchema, description="No such course")
@blp.doc(security=BEARER)
def course_progress(course_ref: str):
    """The caller's progress in a course: counts, percent, each lesson's state and where to
    continue."""
    return service.course_progress(course_ref, current_user)


@blp.route("/me/courses", methods=["GET"])
@require_login
@blp.response(200, MyCoursesSchema)
@blp.doc(security=BEARER)
def my_courses():
    """The caller's active enrollments with their courses and progress, the course worked
    on most recently first."""
    return {"items": service.my_learning(current_user)}
