"""/api/admin/audit: the audit log, read-only (there is no route that changes it)."""

from __future__ import annotations

from flask_smorest import Blueprint

from pathshala.audit import service
from pathshala.audit.schemas import AuditArgs, AuditPageSchema
from pathshala.auth.permissions import BEARER, require_roles

blp = Blueprint("audit", __name__, url_prefix="/api/admin", description="Audit log")


@blp.route("/audit", methods=["GET"])
@require_roles("admin")
@blp.arguments(AuditArgs, location="query")
@blp.response(200, AuditPageSchema)
@blp.doc(security=BEARER)
def audit_log(args):
    """Who did what to what, when and from where: role changes, bans, manual payments,
    refunds, certificate revocations, unpublished and archived courses. Newest first."""
    return service.list_events(**args)
