"""/api/courses/<id>/classwork, /api/classwork, /api/submissions: thin routes."""

from __future__ import annotations

import uuid

from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from pathshala.auth.permissions import BEARER, require_author, require_login
from pathshala.classwork import service
from pathshala.classwork.schemas import (
    ClassworkCreateSchema,
    ClassworkEntrySchema,
    ClassworkFieldsSchema,
    ClassworkSchema,
    GradeSchema,
    SubmissionSchema,
    SubmissionWithStudentSchema,
    SubmitSchema,
)
from pathshala.errors import ErrorSchema

blp = Blueprint("classwork", __name__, url_prefix="/api", description="Classwork and grading")


@blp.route("/courses/<uuid:course_id>/classwork", methods=["GET"])
@require_login
@blp.response(200, ClassworkEntrySchema(many=True))
@blp.doc(security=BEARER)
def list_classwork(course_id: uuid.UUID):
    """The course's classwork (owner, admin, enrolled students); students see their grade."""
    return service.list_for_course(course_id, current_user)


@blp.route("/courses/<uuid:course_id>/classwork", methods=["POST"])
@require_author
@blp.arguments(ClassworkCreateSchema)
@blp.response(201, ClassworkSchema)
@blp.doc(security=BEARER)
def create_classwork(body, course_id: uuid.UUID):
    """Set classwork for a course (owner or admin)."""
    return service.create(course_id, current_user, body)


@blp.route("/classwork/<uuid:classwork_id>", methods=["GET"])
@require_login
@blp.response(200, ClassworkSchema)
@blp.doc(security=BEARER)
def get_classwork(classwork_id: uuid.UUID):
    """One classwork item (owner, admin, enrolled students)."""
    return service.get(classwork_id, current_user)


@blp.route("/classwork/<uuid:classwork_id>", methods=["PATCH"])
@require_author
@blp.arguments(ClassworkFieldsSchema)
@blp.response(200, ClassworkSchema)
@blp.doc(security=BEARER)
def update_classwork(body, classwork_id: uuid.UUID):
    """Edit classwork (owner or admin)."""
    return service.update(classwork_id, current_user, body)


@blp.route("/classwork/<uuid:classwork_id>", methods=["DELETE"])
@require_author
@blp.response(204)
@blp.doc(security=BEARER)
def delete_classwork(classwork_id: uuid.UUID):
    """Delete classwork and its submissions (owner or admin)."""
    service.delete(classwork_id, current_user)


@blp.route("/classwork/<uuid:classwork_id>/submissions", methods=["POST"])
@require_login
@blp.arguments(SubmitSchema)
@blp.response(201, SubmissionSchema, description="Submitted (200: resubmitted)")
@blp.alt_response(409, schema=ErrorSchema, description="Already graded")
@blp.doc(security=BEARER)
def submit(body, classwork_id: uuid.UUID):
    """Submit work (enrolled students); resubmitting replaces it until it is graded."""
    submission, created = service.submit(classwork_id, current_user, **body)
    return submission, (201 if created else 200)


@blp.route("/classwork/<uuid:classwork_id>/submissions", methods=["GET"])
@require_login
@blp.response(200, SubmissionWithStudentSchema(many=True))
@blp.doc(security=BEARER)
def list_submissions(classwork_id: uuid.UUID):
    """Every submission (owner, admin) or the caller's own (students)."""
    return service.list_submissions(classwork_id, current_user)


@blp.route("/submissions/<uuid:submission_id>/grade", methods=["POST"])
@require_author
@blp.arguments(GradeSchema)
@blp.response(200, SubmissionSchema)
@blp.doc(security=BEARER)
def grade(body, submission_id: uuid.UUID):
    """Grade a submission with feedback (the course's owner or an admin)."""
    return service.grade(
        submission_id, current_user, points=body["grade"], feedback=body["feedback"]
    )
