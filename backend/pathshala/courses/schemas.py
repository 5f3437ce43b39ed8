from __future__ import annotations

import marshmallow as ma

from pathshala.courses.markdown import render
from pathshala.courses.models import CURRENCIES, LEVELS
from pathshala.courses.service import CATALOG_SORTS, STUDENT_SORTS, STUDIO_SORTS
from pathshala.media.public_images import public_image_url
from pathshala.pagination import PageArgs

MAX_PRICE = 100_000_000  # paise: ₹10,00,000
MIN_PAID_PRICE = 100  # Razorpay's minimum charge, ₹1


def _validate_price(value: int) -> None:
    if value < 0:
        raise ma.ValidationError("The price cannot be negative.")
    if 0 < value < MIN_PAID_PRICE:
        raise ma.ValidationError("A paid course costs at least ₹1 (100 paise); use 0 for free.")
    if value > MAX_PRICE:
        raise ma.ValidationError("The price is above the platform's limit of ₹10,00,000.")


def _text(max_length: int, **kwargs) -> ma.fields.String:
    return ma.fields.String(validate=ma.validate.Length(max=max_length), **kwargs)


class CourseFieldsSchema(ma.Schema):
    title = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    subtitle = _text(300)
    description = _text(50_000)
    price = ma.fields.Integer(
        strict=True, validate=_validate_price, metadata={"description": "Paise; 0 = free"}
    )
    currency = ma.fields.String(validate=ma.validate.OneOf(CURRENCIES))
    level = ma.fields.String(validate=ma.validate.OneOf(LEVELS))
    category = _text(80)
    language = ma.fields.String(validate=ma.validate.Length(min=1, max=40))
    is_published = ma.fields.Boolean()
    certificate_pass_percent = ma.fields.Integer(
        strict=True,
        allow_none=True,
        validate=ma.validate.Range(min=1, max=100),
        metadata={
            "description": "null: finishing every lesson earns the certificate; 1 to 100: "
            "every piece of classwork must also be graded at least this share of its points"
        },
    )

    @ma.pre_load
    def strip(self, data, **kwargs):
        if isinstance(data, dict):
            return {
                k: v.strip() if isinstance(v, str) and k != "description" else v
                for k, v in data.items()
            }
        return data


class CourseCreateSchema(CourseFieldsSchema):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))


class CourseUpdateSchema(CourseFieldsSchema):
    archived = ma.fields.Boolean(metadata={"description": "true archives, false restores"})


class InstructorSchema(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()


class CourseSchema(ma.Schema):
    id = ma.fields.UUID()
    slug = ma.fields.String()
    title = ma.fields.String()
    subtitle = ma.fields.String()
    description = ma.fields.String()
    description_html = ma.fields.Function(lambda course: render(course.description))
    price = ma.fields.Integer(metadata={"description": "Paise"})
    currency = ma.fields.String()
    level = ma.fields.String()
    category = ma.fields.String()
    language = ma.fields.String()
    thumbnail_ref = ma.fields.String(allow_none=True)
    thumbnail_url = ma.fields.Function(
        lambda course: public_image_url(ma.utils.get_value(course, "thumbnail_ref")),
        allow_none=True,
        metadata={"type": "string", "description": "/media/public/<key>, or null: no upload"},
    )
    is_published = ma.fields.Boolean()
    is_free = ma.fields.Boolean()
    published_at = ma.fields.DateTime(allow_none=True)
    archived_at = ma.fields.DateTime(allow_none=True)
    certificate_pass_percent = ma.fields.Integer(allow_none=True)
    instructor_id = ma.fields.UUID()
    instructor = ma.fields.Nested(InstructorSchema)
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class CourseCardSchema(CourseSchema):
    """A course in a list: no description body, plus its size."""

    class Meta:
        exclude = ("description", "description_html")

    lesson_count = ma.fields.Integer()
    total_duration_seconds = ma.fields.Integer()


class StudioCourseSchema(CourseCardSchema):
    enrollment_count = ma.fields.Integer()


class LessonSchema(ma.Schema):
    id = ma.fields.UUID()
    course_id = ma.fields.UUID()
    section_title = ma.fields.String()
    position = ma.fields.Integer()
    title = ma.fields.String()
    description = ma.fields.String(metadata={"description": "Markdown"})
    description_html = ma.fields.Function(
        lambda lesson: render(lesson.description), metadata={"description": "Safe HTML"}
    )
    is_free_preview = ma.fields.Boolean()
    duration_seconds = ma.fields.Integer()
    video_status = ma.fields.String(
        allow_none=True,
        metadata={
            "enum": ["pending", "processing", "ready", "failed", None],
            "description": "null: no video; ready: GET /api/lessons/<id>/video-url plays it",
        },
    )


class OutlineLessonSchema(LessonSchema):
    locked = ma.fields.Boolean(metadata={"description": "The caller may not open this lesson"})


class CourseDetailSchema(CourseSchema):
    lesson_count = ma.fields.Integer()
    total_duration_seconds = ma.fields.Integer()
    enrolled = ma.fields.Boolean()
    can_edit = ma.fields.Boolean()
    lessons = ma.fields.List(ma.fields.Nested(OutlineLessonSchema), attribute="outline")


class CatalogArgs(PageArgs):
    q = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))
    category = ma.fields.String(load_default=None, validate=ma.validate.Length(max=80))
    level = ma.fields.String(load_default=None, validate=ma.validate.OneOf(LEVELS))
    price = ma.fields.String(load_default=None, validate=ma.validate.OneOf(("free", "paid")))
    sort = ma.fields.String(
        load_default=None, validate=ma.validate.OneOf([*CATALOG_SORTS, "relevance"])
    )


class StudioArgs(PageArgs):
    sort = ma.fields.String(load_default="updated", validate=ma.validate.OneOf(list(STUDIO_SORTS)))


def _page_schema(name: str, item: type[ma.Schema]) -> type[ma.Schema]:
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item)),
            "total": ma.fields.Integer(),
            "page": ma.fields.Integer(),
            "per_page": ma.fields.Integer(),
        },
        name=name,
    )


CoursePageSchema = _page_schema("CoursePage", CourseCardSchema)
StudioCoursePageSchema = _page_schema("StudioCoursePage", StudioCourseSchema)


class CategorySchema(ma.Schema):
    name = ma.fields.String()
    course_count = ma.fields.Integer()


class LessonFieldsSchema(ma.Schema):
    title = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    description = _text(20_000)
    section_title = _text(200)
    position = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=0, max=10_000))
    is_free_preview = ma.fields.Boolean()
    duration_seconds = ma.fields.Integer(
        strict=True, validate=ma.validate.Range(min=0, max=24 * 3600)
    )


class LessonCreateSchema(LessonFieldsSchema):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))


class LessonOrderItemSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    section_title = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))


class LessonOrderSchema(ma.Schema):
    lessons = ma.fields.List(
        ma.fields.Nested(LessonOrderItemSchema),
        required=True,
        validate=ma.validate.Length(max=1000),
    )


class EnrollmentSchema(ma.Schema):
    id = ma.fields.UUID()
    user_id = ma.fields.UUID()
    course_id = ma.fields.UUID()
    source = ma.fields.String()
    status = ma.fields.String()
    created_at = ma.fields.DateTime()


class CourseStudentArgs(PageArgs):
    q = ma.fields.String(
        validate=ma.validate.Length(max=200), metadata={"description": "Name or email"}
    )
    status = ma.fields.String(validate=ma.validate.OneOf(["active", "revoked"]))
    sort = ma.fields.String(load_default="newest", validate=ma.validate.OneOf(list(STUDENT_SORTS)))


class StudentSummarySchema(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    email = ma.fields.String()


class CourseStudentSchema(ma.Schema):
    """An enrollment in the owner's course, with the student."""

    id = ma.fields.UUID(metadata={"description": "The enrollment's id"})
    student = ma.fields.Nested(StudentSummarySchema, attribute="user")
    source = ma.fields.String()
    status = ma.fields.String()
    enrolled_at = ma.fields.DateTime(attribute="created_at")
    revoked_at = ma.fields.DateTime(allow_none=True)


CourseStudentPageSchema = _page_schema("CourseStudentPage", CourseStudentSchema)
