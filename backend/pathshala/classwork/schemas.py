from __future__ import annotations

import marshmallow as ma

from pathshala.courses.markdown import render


class ClassworkFieldsSchema(ma.Schema):
    title = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    instructions = ma.fields.String(validate=ma.validate.Length(max=20_000))
    due_at = ma.fields.AwareDateTime(allow_none=True, default_timezone=None)
    max_points = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=1000))

    @ma.pre_load
    def strip_title(self, data, **kwargs):
        if isinstance(data, dict) and isinstance(data.get("title"), str):
            return {**data, "title": data["title"].strip()}
        return data


class ClassworkCreateSchema(ClassworkFieldsSchema):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    instructions = ma.fields.String(load_default="", validate=ma.validate.Length(max=20_000))


class StudentSchema(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    email = ma.fields.String()


class SubmissionSchema(ma.Schema):
    id = ma.fields.UUID()
    classwork_id = ma.fields.UUID()
    student_id = ma.fields.UUID()
    text = ma.fields.String()
    attachment_ref = ma.fields.String(allow_none=True)
    submitted_at = ma.fields.DateTime()
    grade = ma.fields.Integer(allow_none=True)
    feedback = ma.fields.String(allow_none=True)
    graded_at = ma.fields.DateTime(allow_none=True)
    is_graded = ma.fields.Boolean()


class SubmissionWithStudentSchema(SubmissionSchema):
    student = ma.fields.Nested(StudentSchema)


class ClassworkSchema(ma.Schema):
    id = ma.fields.UUID()
    course_id = ma.fields.UUID()
    title = ma.fields.String()
    instructions = ma.fields.String(metadata={"description": "Markdown"})
    instructions_html = ma.fields.Function(
        lambda classwork: render(classwork.instructions), metadata={"description": "Safe HTML"}
    )
    due_at = ma.fields.DateTime(allow_none=True)
    max_points = ma.fields.Integer()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class ClassworkEntrySchema(ClassworkSchema):
    my_submission = ma.fields.Nested(SubmissionSchema, allow_none=True)
    submission_count = ma.fields.Integer(
        allow_none=True, metadata={"description": "Owner and admins only; null for students"}
    )
    ungraded_count = ma.fields.Integer(
        allow_none=True, metadata={"description": "Owner and admins only; null for students"}
    )


class SubmitSchema(ma.Schema):
    text = ma.fields.String(load_default="", validate=ma.validate.Length(max=50_000))
    attachment_ref = ma.fields.String(load_default=None, validate=ma.validate.Length(max=500))


class GradeSchema(ma.Schema):
    grade = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(min=0))
    feedback = ma.fields.String(load_default="", validate=ma.validate.Length(max=20_000))
