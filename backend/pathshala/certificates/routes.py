"""/api/certificates (public verification and PDF), /api/me/certificates, issuing by hand and
revocation: thin routes over certificates.service."""

from __future__ import annotations

from flask import Response, current_app
from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from pathshala.auth.permissions import BEARER, require_author, require_login, require_roles
from pathshala.certificates import service
from pathshala.certificates.pdf import draw_certificate
from pathshala.certificates.schemas import (
    AdminCertificateSchema,
    IssueSchema,
    MyCertificatesSchema,
    RevokeSchema,
    VerificationSchema,
)
from pathshala.errors import ErrorSchema
from pathshala.extensions import limiter

blp = Blueprint("certificates", __name__, url_prefix="/api", description="Certificates")

# Codes carry 40 random bits; a low limit per address makes walking them pointless.
VERIFY_LIMIT = "30/minute"


@blp.route("/certificates/<string:code>", methods=["GET"])
@limiter.limit(VERIFY_LIMIT)
@blp.response(200, VerificationSchema)
@blp.alt_response(400, schema=ErrorSchema, description="Not a certificate code")
@blp.alt_response(404, schema=ErrorSchema, description="No certificate has this code")
@blp.alt_response(429, schema=ErrorSchema, description="Too many lookups")
def verify(code: str):
    """Public verification: who, which course, taught by whom, when, and whether it stands
    (valid, revoked, or invalid when the record was altered)."""
    return service.verify(code)


@blp.route("/certificates/<string:code>/pdf", methods=["GET"])
@limiter.limit(VERIFY_LIMIT)
@blp.response(
    200,
    {"format": "binary", "type": "string"},
    content_type="application/pdf",
    description="The certificate as a PDF, with a QR code to its verification page",
)
@blp.alt_response(400, schema=ErrorSchema, description="Not a certificate code")
@blp.alt_response(404, schema=ErrorSchema, description="No certificate has this code")
@blp.alt_response(410, schema=ErrorSchema, description="Revoked or invalid: no PDF")
@blp.alt_response(429, schema=ErrorSchema, description="Too many lookups")
def certificate_pdf(code: str):
    """The PDF of a standing certificate; anyone with the code may download it, as anyone
    with the code may verify it."""
    certificate = service.standing_certificate(code)
    settings = current_app.extensions["pathshala.settings"]
    filename = f"pathshala-certificate-{certificate.code}.pdf"
    return Response(
        draw_certificate(certificate, settings.public_url),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@blp.route("/me/certificates", methods=["GET"])
@require_login
@blp.response(200, MyCertificatesSchema)
@blp.doc(security=BEARER)
def my_certificates():
    """The caller's certificates, newest first, revoked ones included (marked)."""
    return {"items": service.my_certificates(current_user)}


@blp.route("/courses/<string:course_ref>/certificates", methods=["POST"])
@require_author
@blp.arguments(IssueSchema)
@blp.response(201, AdminCertificateSchema, description="Issued (200: the student had one)")
@blp.alt_response(403, schema=ErrorSchema, description="Not the course's owner")
@blp.alt_response(404, schema=ErrorSchema, description="No such course")
@blp.alt_response(409, schema=ErrorSchema, description="The student is not enrolled")
@blp.doc(security=BEARER)
def issue(body, course_ref: str):
    """The course owner (or an admin) issues the certificate to an enrolled student by hand."""
    certificate, created = service.issue_manually(course_ref, body["user_id"], current_user)
    return service.verify(certificate.code), (201 if created else 200)


@blp.route("/admin/certificates/<string:code>/revoke", methods=["POST"])
@require_roles("admin")
@blp.arguments(RevokeSchema)
@blp.response(200, AdminCertificateSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No certificate has this code")
@blp.alt_response(409, schema=ErrorSchema, description="Already revoked")
@blp.doc(security=BEARER)
def revoke(body, code: str):
    """Revoke a certificate with a reason; the verify page says revoked from then on."""
    return service.revoke(code, current_user, body["reason"])
