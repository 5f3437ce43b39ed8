"""Certificate rules.

- Earned when every lesson of the course is complete and, if the course sets a pass mark,
  every piece of its classwork is graded at or above that share of its points. Issued in the
  transaction of the heartbeat or grade that earned it; the course owner (or an admin) may
  also issue one by hand to an enrolled student.
- One per student and course: the unique constraint decides when two requests race.
- The code is ``PSH-XXXX-XXXX`` in Crockford's base 32 (40 random bits). Typing is forgiving:
  any case, spaces or no hyphens, O for 0 and I or L for 1.
- Verification recomputes the SHA-256 over the certificate's canonical data; a row edited
  outside the platform shows as invalid. Revocation (admins, with a reason) is kept in the
  audit log.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from pathshala.audit import service as audit
from pathshala.certificates.models import Certificate
from pathshala.classwork.models import Classwork, Submission
from pathshala.columns import utcnow
from pathshala.courses import service as courses
from pathshala.courses.models import Course, Lesson
from pathshala.enrollments.models import Enrollment
from pathshala.errors import BadRequest, Conflict, Gone, NotFound
from pathshala.extensions import db
from pathshala.learning.models import LessonProgress
from pathshala.notifications import service as notifications
from pathshala.sql import insert_ignoring_duplicates
from pathshala.users.models import User

CODE_PREFIX = "PSH"
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_PATTERN = re.compile(r"^PSH-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
CODE_ATTEMPTS = 5


@dataclass(frozen=True)
class Verification:
    certificate: Certificate
    #: the stored data still matches the hash taken when it was issued
    intact: bool

    @property
    def status(self) -> str:
        if not self.intact:
            return "invalid"
        return "revoked" if self.certificate.revoked_at else "valid"

    @property
    def valid(self) -> bool:
        return self.status == "valid"

    def __getattr__(self, name: str):
        return getattr(self.certificate, name)


def new_code() -> str:
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{CODE_PREFIX}-{chars[:4]}-{chars[4:]}"


def normalize_code(typed: str) -> str:
    """The canonical code for what someone typed; 400 ``invalid_certificate_code`` when it
    cannot be one (wrong length, characters outside the alphabet)."""
    compact = re.sub(r"[\s-]", "", typed.upper()).translate(str.maketrans("OIL", "011"))
    if compact.startswith(CODE_PREFIX):
        compact = compact[len(CODE_PREFIX) :]
    code = f"{CODE_PREFIX}-{compact[:4]}-{compact[4:]}"
    if len(compact) != 8 or not CODE_PATTERN.match(code):
        raise BadRequest(
            "A certificate code looks like PSH-7K2Q-M9XD.", code="invalid_certificate_code"
        )
    return code


def canonical_digest(certificate: Certificate) -> str:
    """SHA-256 over what the certificate states, in a fixed JSON form."""
    data = {
        "code": certificate.code,
        "course_id": str(certificate.course_id),
        "course_title": certificate.course_title,
        "instructor_name": certificate.instructor_name,
        "issued_at": certificate.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "student_name": certificate.student_name,
        "user_id": str(certificate.user_id),
    }
    encoded = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _completion(user_id: uuid.UUID, course_id: uuid.UUID) -> tuple[int, int]:
    """(lessons the student completed, lessons in the course), in one query."""
    done = (
        select(func.count(LessonProgress.id))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(
            LessonProgress.user_id == user_id,
            LessonProgress.course_id == course_id,
            LessonProgress.completed_at.is_not(None),
        )
        .scalar_subquery()
    )
    total = select(func.count(Lesson.id)).where(Lesson.course_id == course_id).scalar_subquery()
    completed, lessons = db.session.execute(select(done, total)).one()
    return completed, lessons


def _classwork_passed(user_id: uuid.UUID, course: Course) -> bool:
    """Every piece of the course's classwork graded at or above the course's pass mark."""
    if course.certificate_pass_percent is None:
        return True
    rows = db.session.execute(
        select(Classwork.max_points, Submission.grade)
        .outerjoin(
            Submission,
            (Submission.classwork_id == Classwork.id) & (Submission.student_id == user_id),
        )
        .where(Classwork.course_id == course.id)
    ).all()
    return all(
        grade is not None and grade * 100 >= course.certificate_pass_percent * max_points
        for max_points, grade in rows
    )


def issue_if_earned(user_id: uuid.UUID, course_id: uuid.UUID) -> Certificate | None:
    """Issue the certificate when the student has just earned it; None when they have not
    (yet). Runs in the caller's transaction. Returns only a certificate issued now."""
    # Locking the enrollment serialises the student's completions in this course: two
    # lessons finished at the same moment would otherwise each miss the other's row and
    # neither would issue the certificate.
    enrollment = db.session.scalar(
        select(Enrollment.id)
        .where(
            Enrollment.user_id == user_id,
            Enrollment.course_id == course_id,
            Enrollment.status == "active",
        )
        .with_for_update()
    )
    if enrollment is None:
        return None
    completed, total = _completion(user_id, course_id)
    if total == 0 or completed < total:
        return None
    course = db.session.get(Course, course_id)
    if course is None or not _classwork_passed(user_id, course):
        return None
    certificate, created = _issue(user_id, course, reason="completed", issued_by=None)
    return certificate if created else None


def _issue(
    user_id: uuid.UUID, course: Course, *, reason: str, issued_by: uuid.UUID | None
) -> tuple[Certificate, bool]:
    student = db.session.get(User, user_id)
    instructor = db.session.get(User, course.instructor_id)
    if student is None or instructor is None:
        raise NotFound("No such student.", code="user_not_found")
    for _ in range(CODE_ATTEMPTS):
        certificate = Certificate(
            id=uuid.uuid4(),
            code=new_code(),
            user_id=user_id,
            course_id=course.id,
            student_name=student.name,
            course_title=course.title,
            instructor_name=instructor.name,
            issued_at=utcnow().replace(microsecond=0),
            issue_reason=reason,
            issued_by=issued_by,
        )
        certificate.sha256 = canonical_digest(certificate)
        columns = {
            column.key: getattr(certificate, column.key) for column in Certificate.__table__.columns
        }
        inserted = insert_ignoring_duplicates(Certificate, [columns])
        existing = db.session.scalar(
            select(Certificate).where(
                Certificate.user_id == user_id, Certificate.course_id == course.id
            )
        )
        if existing is not None:
            if inserted:
                notifications.certificate_issued(user_id, course, link="/certificates")
            return existing, inserted == 1
        # Neither ours nor theirs: the code was taken (one in a trillion); draw again.
    raise Conflict("Could not issue a certificate code; try again.", code="certificate_code_taken")


def issue_manually(course_ref: str, student_id: uuid.UUID, actor: User) -> tuple[Certificate, bool]:
    """The course owner or an admin issues a certificate to an enrolled student (whatever
    their progress). Issuing again returns the one they have."""
    course = courses.get_course_for_edit(course_ref, actor)
    enrolled = db.session.scalar(
        select(Enrollment.id).where(
            Enrollment.user_id == student_id,
            Enrollment.course_id == course.id,
            Enrollment.status == "active",
        )
    )
    if enrolled is None:
        raise Conflict(
            "Only a student enrolled in this course can receive its certificate.",
            code="not_enrolled",
        )
    certificate, created = _issue(student_id, course, reason="manual", issued_by=actor.id)
    if created:
        audit.record(
            actor,
            "certificate.issued",
            "certificate",
            certificate.code,
            {"course_id": str(course.id), "student_id": str(student_id)},
        )
    db.session.commit()
    return certificate, created


def verify(typed_code: str) -> Verification:
    """Public verification by code: 400 for something that cannot be a code, 404 unknown."""
    code = normalize_code(typed_code)
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == code))
    if certificate is None:
        raise NotFound("No certificate has this code.", code="certificate_not_found")
    intact = secrets.compare_digest(certificate.sha256, canonical_digest(certificate))
    return Verification(certificate, intact)


def revoke(typed_code: str, admin: User, reason: str) -> Verification:
    """An admin revokes a certificate, saying why; the audit log keeps who and why."""
    code = normalize_code(typed_code)
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.code == code).with_for_update()
    )
    if certificate is None:
        raise NotFound("No certificate has this code.", code="certificate_not_found")
    if certificate.revoked_at is not None:
        db.session.rollback()
        raise Conflict("This certificate is already revoked.", code="certificate_revoked")
    certificate.revoked_at = utcnow()
    certificate.revoked_by = admin.id
    certificate.revoked_reason = reason
    audit.record(admin, "certificate.revoked", "certificate", code, {"reason": reason})
    db.session.commit()
    return verify(code)


def my_certificates(user: User) -> list[Verification]:
    certificates = db.session.scalars(
        select(Certificate)
        .where(Certificate.user_id == user.id)
        .order_by(Certificate.issued_at.desc())
    ).all()
    return [
        Verification(c, secrets.compare_digest(c.sha256, canonical_digest(c))) for c in certificates
    ]


def codes_for(user_id: uuid.UUID, course_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The student's certificate code per course, for the courses that have a standing one."""
    if not course_ids:
        return {}
    rows = db.session.execute(
        select(Certificate.course_id, Certificate.code).where(
            Certificate.user_id == user_id,
            Certificate.course_id.in_(course_ids),
            Certificate.revoked_at.is_(None),
        )
    )
    return {course_id: code for course_id, code in rows}


def issued_at_text(moment: datetime) -> str:
    return moment.strftime("%d %B %Y").lstrip("0")


def standing_certificate(typed_code: str) -> Certificate:
    """The certificate behind a code, if it still stands: 410 ``certificate_revoked`` or
    ``certificate_invalid`` otherwise (a PDF of it would vouch for something untrue)."""
    verification = verify(typed_code)
    if verification.status == "revoked":
        raise Gone("This certificate has been revoked.", code="certificate_revoked")
    if verification.status == "invalid":
        raise Gone("This certificate's record does not match its seal.", code="certificate_invalid")
    return verification.certificate
