"""Who may call what: one row per endpoint, one column per caller, each cell a real request.

Adding an endpoint? Add its row to TABLE (and, when it needs a body, path parameters, a
special token or an object to act on, a request builder to BUILDERS). A route without a row
fails ``test_every_endpoint_has_a_row``. Allowed cells send a valid request, so they must
answer 2xx: a 422 there means the builder's body is wrong, not that the caller is refused.
Refused cells send the same valid request, so the refusal is about who calls, nothing else.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from flask import Flask
from google.auth import crypt
from google.auth import jwt as google_jwt

from pathshala.auth import sessions
from pathshala.auth.models import PasswordResetToken
from pathshala.certificates import service as certificate_service
from pathshala.classwork.models import Classwork, Submission
from pathshala.columns import utcnow
from pathshala.courses.models import Course
from pathshala.extensions import db
from pathshala.payments import service as payment_service
from pathshala.uploads.models import LessonAttachment, Upload
from pathshala.users.models import User
from tests import factories
from tests.conftest import random_loopback_ip
from tests.fakes.stripe import stripe_signature
from tests.payments import helpers as payment_helpers

#: The columns: who calls (abbreviated in TABLE). A role alone cannot say who may edit *this*
#: course, so the callers of per-object endpoints are the course's owner (a teacher), a student
#: enrolled in it, and people of those roles who are neither ("teacher" is another teacher;
#: "instructor" has the same authoring rights, on courses of their own). Builders create the
#: course under test per request (``course_for``); for endpoints without a course, "enrolled"
#: and "owner" are simply a student and a teacher.
CALLERS = ("anonymous", "student", "enrolled", "instructor", "teacher", "owner", "admin")
ROLE_OF: dict[str, str | None] = {
    "anonymous": None,
    "student": "student",
    "enrolled": "student",
    "instructor": "instructor",
    "teacher": "teacher",
    "owner": "teacher",
    "admin": "admin",
}

# A row per endpoint: (method, rule). An endpoint whose answer depends on the state of its
# object has more rows, one per state: (method, rule, state), each with its own builder.
Key = tuple[str, ...]
COURSE = "/api/courses/<string:course_ref>"
LESSON = "/api/lessons/<uuid:lesson_id>"
CLASSWORK = "/api/classwork/<uuid:classwork_id>"
COURSE_CLASSWORK = "/api/courses/<uuid:course_id>/classwork"
GRADE = "/api/submissions/<uuid:submission_id>/grade"
REFUND = "/api/payments/<uuid:payment_id>/refund"
RECEIPT = "/api/payments/orders/<uuid:order_id>/receipt.pdf"
UPLOAD_COMPLETE = "/api/uploads/<uuid:upload_id>/complete"
ATTACHMENT = "/api/attachments/<uuid:attachment_id>"
NOTIFICATION = "/api/me/notifications/<uuid:notification_id>"
CERTIFICATE = "/api/certificates/<string:code>"
REVOKE = "/api/admin/certificates/<string:code>/revoke"
ADMIN_USER = "/api/admin/users/<uuid:user_id>"

# fmt: off
#                                                        anon stud enrl inst tchr ownr admn
TABLE: dict[Key, tuple[int, int, int, int, int, int, int]] = {
    ("GET", "/health"):                                 (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/health/ready"):                           (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/config"):                             (200, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/auth/register"):                     (201, 201, 201, 201, 201, 201, 201),
    ("POST", "/api/auth/login"):                        (200, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/auth/google"):                       (200, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/auth/refresh"):                      (401, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/auth/logout"):                       (401, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/auth/logout-all"):                   (401, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/auth/me"):                            (401, 200, 200, 200, 200, 200, 200),
    ("PATCH", "/api/auth/me"):                          (401, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/auth/admin/create-teacher"):         (401, 403, 403, 403, 403, 403, 201),
    ("POST", "/api/auth/forgot-password"):              (200, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/auth/reset-password"):               (200, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/auth/change-password"):              (401, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/admin/users"):                        (401, 403, 403, 403, 403, 403, 200),
    ("GET", "/api/admin/audit"):                        (401, 403, 403, 403, 403, 403, 200),
    ("POST", ADMIN_USER + "/ban"):                      (401, 403, 403, 403, 403, 403, 200),
    ("POST", ADMIN_USER + "/unban"):                    (401, 403, 403, 403, 403, 403, 200),
    ("PATCH", ADMIN_USER + "/role"):                    (401, 403, 403, 403, 403, 403, 200),
    # Catalog and course pages. Drafts and archived courses: their owner, admins and the
    # students enrolled in them (who keep what they joined); 404 for everyone else.
    ("GET", "/api/courses"):                            (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/courses/categories"):                 (200, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/courses"):                           (401, 403, 403, 201, 201, 201, 201),
    ("GET", COURSE):                                    (200, 200, 200, 200, 200, 200, 200),
    ("GET", COURSE, "draft"):                           (404, 404, 200, 404, 404, 200, 200),
    ("GET", COURSE, "archived"):                        (404, 404, 200, 404, 404, 200, 200),
    ("PATCH", COURSE):                                  (401, 403, 403, 403, 403, 200, 200),
    ("DELETE", COURSE):                                 (401, 403, 403, 403, 403, 204, 204),
    ("GET", COURSE + "/lessons"):                       (200, 200, 200, 200, 200, 200, 200),
    ("GET", COURSE + "/lessons", "draft"):              (404, 404, 200, 404, 404, 200, 200),
    ("POST", COURSE + "/lessons"):                      (401, 403, 403, 403, 403, 201, 201),
    ("PUT", COURSE + "/lessons/order"):                 (401, 403, 403, 403, 403, 200, 200),
    ("PATCH", LESSON):                                  (401, 403, 403, 403, 403, 200, 200),
    ("DELETE", LESSON):                                 (401, 403, 403, 403, 403, 204, 204),
    # Free enrollment: 201 new, 200 already enrolled; 402 paid (unless already enrolled);
    # a draft is unknown to outsiders (404) and closed to those who can see it (409).
    ("POST", COURSE + "/enroll"):                       (401, 201, 200, 201, 201, 201, 201),
    ("POST", COURSE + "/enroll", "paid"):               (401, 402, 200, 402, 402, 402, 402),
    ("POST", COURSE + "/enroll", "draft"):              (401, 404, 409, 404, 404, 409, 409),
    ("GET", "/api/me/courses"):                         (401, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/studio/courses"):                     (401, 403, 403, 200, 200, 200, 200),
    ("GET", COURSE + "/students"):                      (401, 403, 403, 403, 403, 200, 200),
    # Classwork: the owner (or an admin) sets and grades it; enrolled students see it and
    # submit; nobody else, whatever their role.
    ("GET", COURSE_CLASSWORK):                          (401, 403, 200, 403, 403, 200, 200),
    ("POST", COURSE_CLASSWORK):                         (401, 403, 403, 403, 403, 201, 201),
    ("GET", CLASSWORK):                                 (401, 403, 200, 403, 403, 200, 200),
    ("PATCH", CLASSWORK):                               (401, 403, 403, 403, 403, 200, 200),
    ("DELETE", CLASSWORK):                              (401, 403, 403, 403, 403, 204, 204),
    ("POST", CLASSWORK + "/submissions"):               (401, 403, 201, 403, 403, 403, 403),
    ("GET", CLASSWORK + "/submissions"):                (401, 403, 200, 403, 403, 200, 200),
    ("POST", GRADE):                                    (401, 403, 403, 403, 403, 200, 200),
    # Media: the owner (or an admin) uploads to their lessons and follows the transcoding;
    # only the uploader completes an upload (404 for anyone else); enrolled students, the
    # owner and admins get a signed video URL.
    ("POST", "/api/uploads/sign"):                      (401, 403, 403, 403, 403, 201, 201),
    ("POST", UPLOAD_COMPLETE):                          (401, 404, 404, 404, 404, 200, 404),
    ("GET", LESSON + "/video"):                         (401, 403, 403, 403, 403, 200, 200),
    ("POST", LESSON + "/video/retry", "failed"):        (401, 403, 403, 403, 403, 202, 202),
    ("GET", LESSON + "/video-url", "ready"):            (401, 403, 200, 403, 403, 200, 200),
    ("GET", "/content/video/<uuid:lesson_id>", "ready"): (401, 403, 302, 403, 403, 302, 302),
    # Lesson attachments: listed and downloaded by whoever may open the lesson; removed by
    # the owner or an admin.
    ("GET", LESSON + "/attachments"):                   (401, 403, 200, 403, 403, 200, 200),
    ("GET", ATTACHMENT + "/download"):                  (401, 403, 200, 403, 403, 200, 200),
    ("DELETE", ATTACHMENT):                             (401, 403, 403, 403, 403, 204, 204),
    # Progress is the enrolled student's own: nobody else records or reads it, not even the
    # owner. Certificates: anyone with the code verifies it and downloads its PDF; the owner
    # (or an admin) issues one by hand; only admins revoke.
    ("POST", LESSON + "/progress"):                     (401, 403, 200, 403, 403, 403, 403),
    ("GET", COURSE + "/progress"):                      (401, 403, 200, 403, 403, 403, 403),
    ("GET", "/api/me/certificates"):                    (401, 200, 200, 200, 200, 200, 200),
    ("GET", CERTIFICATE):                               (200, 200, 200, 200, 200, 200, 200),
    ("GET", CERTIFICATE + "/pdf"):                      (200, 200, 200, 200, 200, 200, 200),
    ("POST", COURSE + "/certificates"):                 (401, 403, 403, 403, 403, 201, 201),
    ("POST", REVOKE):                                   (401, 403, 403, 403, 403, 403, 200),
    # Payments: anyone signed in buys (the "enrolled" caller already has the course: 409) and
    # completes their own orders; the webhook takes no session (its signature decides);
    # manual payments, refunds and the ledger are for admins.
    ("GET", "/api/payments/config"):                    (200, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/payments/create-order"):             (401, 201, 409, 201, 201, 201, 201),
    ("POST", "/api/payments/verify"):                   (401, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/payments/sandbox/pay"):              (401, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/payments/webhook"):                  (200, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/payments/confirm"):                  (401, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/payments/stripe/webhook"):           (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/payments/orders"):                    (401, 200, 200, 200, 200, 200, 200),
    # A receipt: the order's owner (any role) or an admin; another's order is unknown (404).
    ("GET", RECEIPT):                                   (401, 200, 200, 200, 200, 200, 200),
    ("GET", RECEIPT, "another's"):                      (401, 404, 404, 404, 404, 404, 200),
    ("POST", "/api/payments/manual-record"):            (401, 403, 403, 403, 403, 403, 201),
    ("POST", REFUND):                                   (401, 403, 403, 403, 403, 403, 201),
    ("GET", "/api/admin/payments"):                     (401, 403, 403, 403, 403, 403, 200),
    # Notifications: everyone signed in reads and marks their own; another's is unknown (404),
    # also to admins. The unsubscribe link takes no session: its signed token decides.
    ("GET", "/api/me/notifications"):                   (401, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/me/notifications/unread-count"):      (401, 200, 200, 200, 200, 200, 200),
    ("POST", NOTIFICATION + "/read"):                   (401, 200, 200, 200, 200, 200, 200),
    ("POST", NOTIFICATION + "/read", "another's"):      (401, 404, 404, 404, 404, 404, 404),
    ("POST", "/api/me/notifications/read-all"):         (401, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/me/notification-preferences"):        (401, 200, 200, 200, 200, 200, 200),
    ("PUT", "/api/me/notification-preferences"):        (401, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/notifications/unsubscribe"):          (200, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/notifications/unsubscribe"):         (200, 200, 200, 200, 200, 200, 200),
}
# fmt: on

EXPECTED: dict[Key, dict[str, int]] = {
    key: dict(zip(CALLERS, statuses, strict=True)) for key, statuses in TABLE.items()
}

#: The error code of a 403 that comes from a per-object check in the service (the caller's
#: role passes the endpoint's @require_roles). A 403 for a role the endpoint refuses outright
#: carries ``forbidden``.
OBJECT_REFUSALS: dict[tuple[str, str], str | tuple[str, ...]] = {
    ("PATCH", COURSE): "not_course_owner",
    ("DELETE", COURSE): "not_course_owner",
    ("POST", COURSE + "/lessons"): "not_course_owner",
    ("PUT", COURSE + "/lessons/order"): "not_course_owner",
    ("PATCH", LESSON): "not_course_owner",
    ("DELETE", LESSON): "not_course_owner",
    ("GET", COURSE_CLASSWORK): "not_enrolled",
    ("POST", COURSE_CLASSWORK): "not_course_owner",
    ("GET", CLASSWORK): "not_enrolled",
    ("PATCH", CLASSWORK): "not_course_owner",
    ("DELETE", CLASSWORK): "not_course_owner",
    ("POST", CLASSWORK + "/submissions"): "not_enrolled",
    ("GET", CLASSWORK + "/submissions"): "not_enrolled",
    ("POST", GRADE): "not_course_owner",
    ("GET", COURSE + "/students"): "not_course_owner",
    # Students may upload (avatars), but not to a course: a role refusal inside the service.
    ("POST", "/api/uploads/sign"): ("forbidden", "not_course_owner"),
    ("GET", LESSON + "/video"): "not_course_owner",
    ("POST", LESSON + "/video/retry"): "not_course_owner",
    ("GET", LESSON + "/video-url"): "not_enrolled",
    ("GET", "/content/video/<uuid:lesson_id>"): "not_enrolled",
    ("GET", LESSON + "/attachments"): "not_enrolled",
    ("GET", ATTACHMENT + "/download"): "not_enrolled",
    ("DELETE", ATTACHMENT): "not_course_owner",
    ("POST", LESSON + "/progress"): "not_enrolled",
    ("GET", COURSE + "/progress"): "not_enrolled",
    ("POST", COURSE + "/certificates"): "not_course_owner",
}


def route_of(key: Key) -> tuple[str, str]:
    return key[0], key[1]


#: Routes outside the matrix, each with the reason.
EXEMPT: dict[tuple[str, str], str] = {
    ("GET", "/api/openapi.json"): "static OpenAPI document, public by design (test_openapi.py)",
    ("GET", "/api/docs"): "static Swagger UI page, public by design (test_openapi.py)",
    ("GET", "/"): "SPA catch-all: the built frontend, public files (system/test_spa.py)",
    ("GET", "/<spa_path:path>"): "SPA catch-all: the built frontend (system/test_spa.py)",
    ("PUT", "/api/uploads/<uuid:upload_id>/data"): (
        "signed upload URL, no session: its signature decides (uploads/test_bad_input.py)"
    ),
    ("GET", "/media/s/<string:token>/<string:expires>/<string:user_id>/<path:rest>"): (
        "signed media link, no session: its token decides (media/test_playback.py)"
    ),
    ("GET", "/media/public/<path:key>"): (
        "public image, same for everyone (media/test_public_images.py)"
    ),
}

NEW_PASSWORD = "a-brand-new-password-91"
MATRIX_WEBHOOK_SECRET = "role-matrix-webhook-secret-" + uuid.uuid4().hex


# ---- a Google ID-token issuer on a local port (Google sign-in needs signed tokens) ----------


class GoogleIssuer:
    """Signs ID tokens with a fresh RSA key and serves its certificate the way
    https://www.googleapis.com/oauth2/v1/certs does: ``{key_id: PEM certificate}``."""

    client_id = "role-matrix.apps.googleusercontent.com"
    key_id = "role-matrix-key"

    def __init__(self) -> None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake google")])
        now = datetime.now(UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=1))
            .sign(key, hashes.SHA256())
        )
        certs = {self.key_id: certificate.public_bytes(serialization.Encoding.PEM).decode()}
        private_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self._signer = crypt.RSASigner.from_string(private_pem, self.key_id)
        body = json.dumps(certs).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.certs_url = f"http://127.0.0.1:{self._server.server_address[1]}/certs"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def id_token(self, email: str, sub: str | None = None) -> str:
        now = int(time.time())
        claims = {
            "iss": "https://accounts.google.com",
            "aud": self.client_id,
            "sub": sub or uuid.uuid4().hex,
            "email": email,
            "email_verified": True,
            "name": "Google Person",
            "iat": now,
            "exp": now + 600,
        }
        return google_jwt.encode(self._signer, claims).decode()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


# ---- request builders -------------------------------------------------------------------------


@dataclass
class Caller:
    who: str  # one of CALLERS
    user: User | None  # None when anonymous
    headers: dict[str, str]  # the Bearer header of the user's access token (empty if anonymous)
    google: GoogleIssuer


@dataclass
class Call:
    json: dict[str, Any] | None = None
    query: dict[str, Any] | None = None
    path_params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] | None = None  # None: the caller's own headers
    data: bytes | None = None  # a raw body (signed webhooks), instead of json


def _email() -> str:
    return f"matrix-{uuid.uuid4().hex[:12]}@example.com"


def _someone(caller: Caller) -> User:
    """The caller's account, or (for anonymous callers) a fresh student's."""
    return caller.user or factories.make_user("student")


def _refresh_with_refresh_token(caller: Caller) -> Call:
    if caller.user is None:
        return Call()
    tokens = sessions.issue(caller.user)
    db.session.commit()
    return Call(headers={"Authorization": f"Bearer {tokens.refresh_token}"})


def _user_call(caller: Caller, json: dict[str, Any] | None = None, **fields: Any) -> Call:
    """Another user (a student) for the admin endpoints to act on."""
    student = factories.make_user("student", password=None, **fields)
    return Call(json=json, path_params={"user_id": str(student.id)})


def _reset_password(caller: Caller) -> Call:
    user = _someone(caller)
    token = uuid.uuid4().hex + uuid.uuid4().hex
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            expires_at=datetime.now(UTC) + timedelta(hours=1),
        )
    )
    db.session.commit()
    return Call(json={"token": token, "new_password": NEW_PASSWORD})


# ---- the objects per-object endpoints act on (fresh for every request) ----------------------


def course_for(caller: Caller, **fields: Any) -> Course:
    """The course under test: owned by the caller when they are "owner", else by another
    teacher; the "enrolled" caller holds an active enrollment in it (whatever its state)."""
    owner = caller.user if caller.who == "owner" else factories.make_user("teacher", password=None)
    assert owner is not None
    course = factories.make_course(owner, **fields)
    if caller.who == "enrolled":
        assert caller.user is not None
        factories.enroll(caller.user, course)
    return course


def classwork_for(caller: Caller) -> Classwork:
    classwork = Classwork(course_id=course_for(caller).id, title="Raga essay", max_points=10)
    db.session.add(classwork)
    db.session.commit()
    return classwork


def submission_for(caller: Caller) -> Submission:
    """Another enrolled student's submission, ungraded."""
    classwork = classwork_for(caller)
    student = factories.make_user("student", password=None)
    factories.enroll(student, db.session.get(Course, classwork.course_id))
    submission = Submission(classwork_id=classwork.id, student_id=student.id, text="My essay")
    db.session.add(submission)
    db.session.commit()
    return submission


def _course_call(caller: Caller, json: dict[str, Any] | None = None, **fields: Any) -> Call:
    return Call(json=json, path_params={"course_ref": str(course_for(caller, **fields).id)})


def _course_by_slug(caller: Caller) -> Call:
    """The course page also answers to the slug."""
    factories.make_lesson(course := course_for(caller), is_free_preview=True)
    return Call(path_params={"course_ref": course.slug})


def _lesson_call(caller: Caller, json: dict[str, Any] | None = None) -> Call:
    lesson = factories.make_lesson(course_for(caller))
    return Call(json=json, path_params={"lesson_id": str(lesson.id)})


def _reorder_lessons(caller: Caller) -> Call:
    course = course_for(caller)
    first = factories.make_lesson(course, position=1)
    second = factories.make_lesson(course, position=2)
    return Call(
        json={"lessons": [{"id": str(second.id)}, {"id": str(first.id), "section_title": "B"}]},
        path_params={"course_ref": str(course.id)},
    )


def _course_classwork_call(caller: Caller, json: dict[str, Any] | None = None) -> Call:
    return Call(json=json, path_params={"course_id": str(course_for(caller).id)})


def _classwork_call(caller: Caller, json: dict[str, Any] | None = None) -> Call:
    return Call(json=json, path_params={"classwork_id": str(classwork_for(caller).id)})


def _submissions_list(caller: Caller) -> Call:
    submission = submission_for(caller)
    return Call(path_params={"classwork_id": str(submission.classwork_id)})


def _grade(caller: Caller) -> Call:
    submission = submission_for(caller)
    return Call(
        json={"grade": 8, "feedback": "Well argued"},
        path_params={"submission_id": str(submission.id)},
    )


def _studio(caller: Caller) -> Call:
    if caller.user is not None and caller.who != "student":
        course_for(caller, is_published=False)
    return Call(query={"per_page": 5, "sort": "title"})


def _certificate(caller: Caller) -> Call:
    """A certificate of another student, issued by hand by its course's owner."""
    course = course_for(caller)
    student = factories.make_user("student", password=None)
    factories.enroll(student, course)
    owner = db.session.get(User, course.instructor_id)
    certificate, _ = certificate_service.issue_manually(str(course.id), student.id, owner)
    return Call(path_params={"code": certificate.code})


def _issue_certificate(caller: Caller) -> Call:
    course = course_for(caller)
    student = factories.make_user("student", password=None)
    factories.enroll(student, course)
    return Call(json={"user_id": str(student.id)}, path_params={"course_ref": str(course.id)})


def _my_courses(caller: Caller) -> Call:
    if caller.user is not None:
        factories.enroll(caller.user, course_for(caller))
    return Call()


def _catalog(caller: Caller) -> Call:
    course_for(caller, title="Carnatic vocals", category="Music", level="beginner")
    return Call(query={"q": "vocals", "category": "music", "price": "free", "sort": "title"})


def _verify(caller: Caller) -> Call:
    return Call(json=payment_helpers.sandbox_checkout(_someone(caller)))


def _sandbox_pay(caller: Caller) -> Call:
    order = payment_helpers.make_sandbox_order(_someone(caller))
    return Call(json={"order_id": order.provider_order_id, "outcome": "success"})


def _webhook(caller: Caller) -> Call:
    """A signed payment.failed about an order the platform does not know: acknowledged."""
    body = payment_helpers.razorpay_event("payment.failed", order_id="order_MatrixUnknown1")
    return Call(
        data=body,
        headers={**caller.headers, **payment_helpers.webhook_headers(MATRIX_WEBHOOK_SECRET, body)},
    )


def _confirm(caller: Caller) -> Call:
    """Confirming one's own order that is already paid answers its settlement."""
    user = _someone(caller)
    paid = payment_helpers.sandbox_checkout(user)
    payment_service.verify(
        user,
        order_id=paid["razorpay_order_id"],
        payment_id=paid["razorpay_payment_id"],
        signature=paid["razorpay_signature"],
    )
    return Call(json={"order_id": paid["razorpay_order_id"]})


def _stripe_webhook(caller: Caller) -> Call:
    """A signed checkout.session.expired about a session the platform does not know."""
    body = payment_helpers.stripe_event("checkout.session.expired", {"id": "cs_test_Unknown1"})
    return Call(
        data=body,
        headers={
            **caller.headers,
            "Content-Type": "application/json",
            "Stripe-Signature": stripe_signature(MATRIX_WEBHOOK_SECRET, body),
        },
    )


def _sign_upload(caller: Caller) -> Call:
    lesson = factories.make_lesson(course_for(caller))
    body = {"filename": "Lecture 1.mp4", "content_type": "video/mp4", "size": 4096}
    return Call(json={**body, "purpose": "lesson_video", "lesson_id": str(lesson.id)})


def _complete_upload(caller: Caller) -> Call:
    """A text attachment the owner (or another teacher, for every other caller) sent."""
    from flask import current_app

    uploader = caller.user if caller.who == "owner" else factories.make_user("teacher")
    assert uploader is not None
    lesson = factories.make_lesson(factories.make_course(uploader))
    body = "Notes for lesson one: सा रे ग म".encode()
    upload = Upload(
        user_id=uploader.id,
        purpose="attachment",
        lesson_id=lesson.id,
        filename="notes.txt",
        content_type="text/plain",
        size=len(body),
        storage_key=f"uploads/{uuid.uuid4().hex}/notes.txt",
        status="uploaded",
        expires_at=utcnow() + timedelta(hours=1),
        received_at=utcnow(),
    )
    with current_app.extensions["pathshala.storage"].open_write(upload.storage_key) as target:
        target.write(body)
    db.session.add(upload)
    db.session.commit()
    return Call(json={}, path_params={"upload_id": str(upload.id)})


def _attachment(caller: Caller) -> LessonAttachment:
    """A text attachment on a lesson of the course under test, its bytes in storage."""
    from flask import current_app

    course = course_for(caller)
    lesson = factories.make_lesson(course)
    body = b"Worksheet: alankar 1 to 5"
    upload = Upload(
        user_id=course.instructor_id,
        purpose="attachment",
        lesson_id=lesson.id,
        filename="worksheet.txt",
        content_type="text/plain",
        size=len(body),
        storage_key=f"uploads/{uuid.uuid4().hex}/worksheet.txt",
        status="attached",
        expires_at=utcnow() + timedelta(hours=1),
        received_at=utcnow(),
    )
    with current_app.extensions["pathshala.storage"].open_write(upload.storage_key) as target:
        target.write(body)
    db.session.add(upload)
    db.session.flush()
    attachment = LessonAttachment(lesson_id=lesson.id, upload_id=upload.id, title="Worksheet")
    db.session.add(attachment)
    db.session.commit()
    return attachment


def _lesson_with_video(caller: Caller, status: str) -> Call:
    from flask import current_app

    course = course_for(caller)
    upload = Upload(
        user_id=course.instructor_id,
        purpose="lesson_video",
        filename="lecture.mp4",
        content_type="video/mp4",
        size=1000,
        storage_key=f"lessons/{uuid.uuid4().hex}/source/lecture.mp4",
        status="attached",
        expires_at=utcnow() + timedelta(hours=1),
    )
    db.session.add(upload)
    db.session.flush()
    lesson = factories.make_lesson(
        course,
        video_upload_id=upload.id,
        video_status=status,
        video_hls_key=f"lessons/{uuid.uuid4()}/hls/0123456789ab/master.m3u8",
    )
    # A retry queues a transcode: recorded here, never run against this made-up upload.
    current_app.extensions["pathshala.jobs"] = RecordingQueue()
    return Call(path_params={"lesson_id": str(lesson.id)})


class RecordingQueue:
    def __init__(self) -> None:
        self.jobs: list[tuple[str, dict[str, Any]]] = []

    def enqueue(self, name: str, **kwargs: Any) -> str:
        self.jobs.append((name, kwargs))
        return uuid.uuid4().hex


def _manual_record(caller: Caller) -> Call:
    course = factories.make_course(price=49900)
    student = factories.make_user("student", password=None)
    return Call(json={"course_id": str(course.id), "user_id": str(student.id), "notes": "NEFT"})


def _receipt(caller: Caller, owner: User | None = None) -> Call:
    admin = factories.make_user("admin", password=None)
    student = owner or factories.make_user("student", password=None)
    recorded = payment_service.record_manual_payment(
        admin, {"course_id": payment_helpers.paid_course().id, "user_id": student.id}
    )
    return Call(path_params={"order_id": str(recorded.payment.order_id)})


def _refund(caller: Caller) -> Call:
    payment = payment_helpers.make_manual_payment()
    return Call(json={"reason": "Asked within 7 days"}, path_params={"payment_id": str(payment.id)})


def _notification(caller: Caller, owner: User | None = None) -> Call:
    """A notification of ``owner`` (default: some other student)."""
    from pathshala.notifications import service as notification_service

    user = owner or factories.make_user("student", password=None)
    note = notification_service.notify(user.id, "enrolled", title="Enrolled", body="Start")
    db.session.commit()
    return Call(path_params={"notification_id": str(note.id)})


def _unsubscribe(caller: Caller) -> Call:
    from pathshala.notifications import service as notification_service

    token = notification_service.unsubscribe_token(_someone(caller).id, "enrolled")
    return Call(query={"token": token})


BUILDERS: dict[Key, Callable[[Caller], Call]] = {
    ("GET", "/api/me/notifications"): lambda c: Call(query={"per_page": 5, "unread": "true"}),
    ("POST", "/api/me/notifications/read-all"): lambda c: Call(
        json={"until": utcnow().isoformat()}
    ),
    ("POST", NOTIFICATION + "/read"): lambda c: _notification(c, owner=_someone(c)),
    ("POST", NOTIFICATION + "/read", "another's"): _notification,
    ("PUT", "/api/me/notification-preferences"): lambda c: Call(
        json={"kind": "classwork_graded", "email_enabled": False}
    ),
    ("GET", "/api/notifications/unsubscribe"): _unsubscribe,
    ("POST", "/api/notifications/unsubscribe"): _unsubscribe,
    ("POST", "/api/auth/register"): lambda c: Call(
        json={"email": _email(), "password": factories.DEFAULT_PASSWORD, "name": "Matrix"}
    ),
    ("POST", "/api/auth/login"): lambda c: Call(
        json={"email": _someone(c).email, "password": factories.DEFAULT_PASSWORD}
    ),
    ("POST", "/api/auth/google"): lambda c: Call(json={"id_token": c.google.id_token(_email())}),
    ("POST", "/api/auth/refresh"): _refresh_with_refresh_token,
    ("PATCH", "/api/auth/me"): lambda c: Call(json={"name": "Renamed Person"}),
    ("POST", "/api/auth/admin/create-teacher"): lambda c: Call(
        json={"email": _email(), "password": factories.DEFAULT_PASSWORD, "name": "New Teacher"}
    ),
    ("POST", "/api/auth/forgot-password"): lambda c: Call(json={"email": _someone(c).email}),
    ("POST", "/api/auth/reset-password"): _reset_password,
    ("POST", "/api/auth/change-password"): lambda c: Call(
        json={"current_password": factories.DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    ),
    ("GET", "/api/admin/users"): lambda c: Call(query={"q": "example", "per_page": 5}),
    ("GET", "/api/admin/audit"): lambda c: Call(query={"action": "payment.", "per_page": 5}),
    ("POST", ADMIN_USER + "/ban"): lambda c: _user_call(c, json={"reason": "Spam in the forum"}),
    ("POST", ADMIN_USER + "/unban"): lambda c: _user_call(c, is_banned=True, banned_reason="Spam"),
    ("PATCH", ADMIN_USER + "/role"): lambda c: _user_call(c, json={"role": "teacher"}),
    ("GET", "/api/courses"): _catalog,
    ("POST", "/api/courses"): lambda c: Call(json={"title": "Tabla for beginners", "price": 0}),
    ("GET", COURSE): _course_by_slug,
    ("GET", COURSE, "draft"): lambda c: _course_call(c, is_published=False),
    ("GET", COURSE, "archived"): lambda c: _course_call(c, archived_at=utcnow()),
    ("PATCH", COURSE): lambda c: _course_call(c, json={"title": "Renamed", "archived": True}),
    ("DELETE", COURSE): _course_call,
    ("GET", COURSE + "/lessons"): _course_call,
    ("GET", COURSE + "/lessons", "draft"): lambda c: _course_call(c, is_published=False),
    ("POST", COURSE + "/lessons"): lambda c: _course_call(c, json={"title": "Alankar"}),
    ("PUT", COURSE + "/lessons/order"): _reorder_lessons,
    ("PATCH", LESSON): lambda c: _lesson_call(c, json={"title": "Renamed lesson"}),
    ("DELETE", LESSON): _lesson_call,
    ("POST", COURSE + "/enroll"): _course_call,
    ("POST", COURSE + "/enroll", "paid"): lambda c: _course_call(c, price=49900),
    ("POST", COURSE + "/enroll", "draft"): lambda c: _course_call(c, is_published=False),
    ("GET", "/api/me/courses"): _my_courses,
    ("GET", "/api/studio/courses"): _studio,
    ("GET", COURSE + "/students"): _course_call,
    ("GET", COURSE_CLASSWORK): lambda c: Call(
        path_params={"course_id": str(classwork_for(c).course_id)}
    ),
    ("POST", COURSE_CLASSWORK): lambda c: _course_classwork_call(
        c, json={"title": "Compose a bandish", "max_points": 10}
    ),
    ("GET", CLASSWORK): _classwork_call,
    ("PATCH", CLASSWORK): lambda c: _classwork_call(c, json={"title": "Renamed classwork"}),
    ("DELETE", CLASSWORK): _classwork_call,
    ("POST", CLASSWORK + "/submissions"): lambda c: _classwork_call(c, json={"text": "Answer"}),
    ("GET", CLASSWORK + "/submissions"): _submissions_list,
    ("POST", GRADE): _grade,
    ("POST", "/api/payments/create-order"): lambda c: Call(
        json={"course_id": str(course_for(c, price=49900).id)}
    ),
    ("POST", "/api/payments/verify"): _verify,
    ("POST", "/api/payments/sandbox/pay"): _sandbox_pay,
    ("POST", "/api/payments/webhook"): _webhook,
    ("POST", "/api/payments/confirm"): _confirm,
    ("POST", "/api/payments/stripe/webhook"): _stripe_webhook,
    ("POST", "/api/payments/manual-record"): _manual_record,
    ("POST", "/api/uploads/sign"): _sign_upload,
    ("POST", UPLOAD_COMPLETE): _complete_upload,
    ("GET", LESSON + "/video"): lambda c: _lesson_call(c),
    ("POST", LESSON + "/video/retry", "failed"): lambda c: _lesson_with_video(c, "failed"),
    ("GET", LESSON + "/video-url", "ready"): lambda c: _lesson_with_video(c, "ready"),
    ("GET", "/content/video/<uuid:lesson_id>", "ready"): lambda c: _lesson_with_video(c, "ready"),
    ("GET", LESSON + "/attachments"): lambda c: Call(
        path_params={"lesson_id": str(_attachment(c).lesson_id)}
    ),
    ("GET", ATTACHMENT + "/download"): lambda c: Call(
        path_params={"attachment_id": str(_attachment(c).id)}
    ),
    ("DELETE", ATTACHMENT): lambda c: Call(path_params={"attachment_id": str(_attachment(c).id)}),
    ("POST", LESSON + "/progress"): lambda c: _lesson_call(c, json={"position_seconds": 5}),
    ("GET", COURSE + "/progress"): _course_call,
    ("GET", CERTIFICATE): _certificate,
    ("GET", CERTIFICATE + "/pdf"): _certificate,
    ("POST", COURSE + "/certificates"): _issue_certificate,
    ("POST", REVOKE): lambda c: Call(
        json={"reason": "Issued by mistake"}, path_params=_certificate(c).path_params
    ),
    ("POST", REFUND): _refund,
    ("GET", RECEIPT): lambda c: _receipt(c, owner=_someone(c)),
    ("GET", RECEIPT, "another's"): _receipt,
    ("GET", "/api/admin/payments"): lambda c: Call(query={"per_page": 5, "method": "manual"}),
}

_RULE_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def fill_rule(rule: str, params: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in params:
            raise AssertionError(f"the builder for {rule} must supply path_params[{name!r}]")
        return str(params[name])

    return _RULE_PARAM.sub(value, rule)


# ---- the app's routes ---------------------------------------------------------------------------


def app_routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


@pytest.fixture(scope="module")
def google_issuer() -> Iterator[GoogleIssuer]:
    issuer = GoogleIssuer()
    yield issuer
    issuer.close()


@pytest.fixture(scope="module")
def matrix_app(make_app, google_issuer) -> Flask:
    """The test app plus Google sign-in (pointed at the local issuer); same database."""
    return make_app(
        BACKEND_GOOGLE_CLIENT_ID=google_issuer.client_id,
        BACKEND_GOOGLE_CERTS_URL=google_issuer.certs_url,
        BACKEND_RAZORPAY_WEBHOOK_SECRET=MATRIX_WEBHOOK_SECRET,
        BACKEND_STRIPE_WEBHOOK_SECRET=MATRIX_WEBHOOK_SECRET,
    )


def test_every_endpoint_has_a_row(app):
    routes = app_routes(app)
    rows = {route_of(key) for key in EXPECTED}
    missing = sorted(routes - rows - EXEMPT.keys())
    stale = sorted((rows | EXEMPT.keys() | OBJECT_REFUSALS.keys()) - routes)
    assert not missing, (
        f"These endpoints have no role-matrix row: {missing}. Add a row per endpoint to TABLE "
        "in tests/test_role_matrix.py (status per caller), and a request builder to BUILDERS "
        "if the endpoint needs a body, path parameters, a special token or an object."
    )
    assert not stale, f"TABLE/EXEMPT name routes the app no longer has: {stale}; remove them."
    assert not rows & EXEMPT.keys(), "a route is both in TABLE and EXEMPT"
    assert set(BUILDERS) <= EXPECTED.keys(), "a builder exists for a route without a row"
    assert all(len(key) == 2 or key in BUILDERS for key in EXPECTED), "a state row needs a builder"


def test_table_agrees_with_require_roles(app):
    """Endpoints guarded by @require_roles: anonymous 401; callers whose role is not listed
    403; callers whose role is listed get past the guard (2xx, or a refusal of the service's
    per-object check: 403 listed in OBJECT_REFUSALS, or a 4xx about the object's state)."""
    guarded: set[tuple[str, str]] = set()
    for rule in app.url_map.iter_rules():
        required = getattr(app.view_functions[rule.endpoint], "required_roles", None)
        if required is None:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            guarded.add((method, rule.rule))
            for key in (key for key in EXPECTED if route_of(key) == (method, rule.rule)):
                row = EXPECTED[key]
                assert row["anonymous"] == 401, key
                for who in CALLERS[1:]:
                    if ROLE_OF[who] not in required:
                        assert row[who] == 403, (key, who, "role not allowed by the guard")
                    else:
                        assert row[who] != 401, (key, who)
                        assert row[who] != 403 or route_of(key) in OBJECT_REFUSALS, (
                            key,
                            who,
                            "a 403 for an allowed role must be a per-object refusal",
                        )
                allowed_roles = {ROLE_OF[who] for who, status in row.items() if 200 <= status < 300}
                assert allowed_roles <= set(required), (key, allowed_roles, required)
    assert OBJECT_REFUSALS.keys() <= guarded, "per-object refusals behind no @require_roles"


CELLS = [(key, who) for key in EXPECTED for who in CALLERS]


def _cell_id(key: Key, who: str) -> str:
    state = f" ({key[2]})" if len(key) > 2 else ""
    return f"{key[0]} {key[1]}{state} as {who}"


@pytest.mark.parametrize(("key", "who"), CELLS, ids=[_cell_id(key, who) for key, who in CELLS])
def test_role_matrix(matrix_app, google_issuer, key, who):
    method, rule = route_of(key)
    expected = EXPECTED[key][who]
    role = ROLE_OF[who]
    user = None if role is None else factories.make_user(role)
    headers = factories.auth_headers(user) if user else {}
    builder = BUILDERS.get(key, lambda _caller: Call())
    call = builder(Caller(who=who, user=user, headers=headers, google=google_issuer))

    client = matrix_app.test_client()
    client.environ_base["REMOTE_ADDR"] = random_loopback_ip()
    response = client.open(
        fill_rule(rule, call.path_params),
        method=method,
        json=call.json,
        data=call.data,
        query_string=call.query,
        headers=headers if call.headers is None else call.headers,
    )

    assert response.status_code == expected, (
        f"{_cell_id(key, who)}: expected {expected}, got {response.status_code} "
        f"{response.get_data(as_text=True)[:500]}"
    )
    required = getattr(
        matrix_app.view_functions[_endpoint(matrix_app, method, rule)], "required_roles", None
    )
    if expected == 401:
        assert response.json["code"] == "not_authenticated"
    elif expected == 403:
        coarse = required is not None and role not in required
        refusals = ("forbidden",) if coarse else OBJECT_REFUSALS[(method, rule)]
        assert response.json["code"] in (
            (refusals,) if isinstance(refusals, str) else refusals
        ), response.json
    elif expected == 404:
        assert response.json["code"].endswith("_not_found"), response.json


def _endpoint(app: Flask, method: str, rule: str) -> str:
    return next(
        r.endpoint for r in app.url_map.iter_rules() if r.rule == rule and method in r.methods
    )
