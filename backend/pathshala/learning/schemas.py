"""Request and response shapes of progress."""

from __future__ import annotations

import marshmallow as ma

from pathshala.courses.schemas import CourseCardSchema

# A day: no lesson is longer, and anything bigger is a broken or hostile client.
MAX_POSITION_SECONDS = 86_400


class HeartbeatSchema(ma.Schema):
    position_seconds = ma.fields.Integer(
        required=True,
        strict=True,
        validate=ma.validate.Range(min=0, max=MAX_POSITION_SECONDS),
        metadata={"description": "Where the student is in the lesson's video, in seconds"},
    )
    completed = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "The student finished the lesson (a lesson without video: the "
            "'Mark complete' button; a video lesson completes by itself at 90% watched)"
        },
    )


class HeartbeatResultSchema(ma.Schema):
    lesson_id = ma.fields.UUID()
    position_seconds = ma.fields.Integer()
    watched_seconds = ma.fields.Integer()
    completed = ma.fields.Boolean()
    completed_at = ma.fields.DateTime(allow_none=True)
    certificate_code = ma.fields.String(
        allow_none=True, metadata={"description": "Set when this request earned the certificate"}
    )


class LessonStateSchema(ma.Schema):
    lesson_id = ma.fields.UUID()
    position_seconds = ma.fields.Integer()
    watched_seconds = ma.fields.Integer()
    completed = ma.fields.Boolean()
    completed_at = ma.fields.DateTime(allow_none=True)
    updated_at = ma.fields.DateTime()


class ProgressSummarySchema(ma.Schema):
    completed_lessons = ma.fields.Integer()
    total_lessons = ma.fields.Integer()
    percent = ma.fields.Integer()
    resume_lesson_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "Where 'Continue' goes; null when all done"}
    )
    last_activity_at = ma.fields.DateTime(allow_none=True)


class CourseProgressSchema(ProgressSummarySchema):
    course_id = ma.fields.UUID()
    lessons = ma.fields.List(ma.fields.Nested(LessonStateSchema))
    certificate_code = ma.fields.String(
        allow_none=True, metadata={"description": "The caller's certificate of this course"}
    )


class MyCourseSchema(ma.Schema):
    """An enrollment of the caller, with its course and the caller's progress in it."""

    enrollment_id = ma.fields.UUID(attribute="id")
    source = ma.fields.String()
    enrolled_at = ma.fields.DateTime(attribute="created_at")
    course = ma.fields.Nested(CourseCardSchema)
    progress = ma.fields.Nested(ProgressSummarySchema)
    certificate_code = ma.fields.String(
        allow_none=True, metadata={"description": "The caller's certificate of this course"}
    )


class MyCoursesSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MyCourseSchema))
