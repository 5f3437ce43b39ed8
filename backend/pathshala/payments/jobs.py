"""Payment jobs run by the job queue (see pathshala.jobs.schedule for when)."""

from __future__ import annotations

import logging

from pathshala.payments import service

log = logging.getLogger(__name__)


def reconcile() -> None:
    """Complete or expire orders left open (browser closed, webhook lost), as the
    `flask payments reconcile` command does; a quiet no-op when payments are off."""
    try:
        service.provider()
    except service.PaymentsOff:
        log.info("reconcile: payments are not configured, nothing to do")
        return
    report = service.reconcile(progress=log.info)
    log.info(
        "reconcile: %s checked, %s completed, %s expired, %s need another try or an admin",
        report.checked,
        report.completed,
        report.expired,
        report.failed,
    )
