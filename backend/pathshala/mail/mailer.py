"""How a message leaves the platform: SMTP when BACKEND_SMTP_URL is set, else the log."""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlparse

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutgoingMail:
    to_address: str
    subject: str
    body_text: str
    body_html: str | None = None
    #: where one click unsubscribes (List-Unsubscribe, RFC 2369 / RFC 8058 one-click)
    unsubscribe_url: str | None = None


class MailDeliveryError(Exception):
    """The mail server refused the message or could not be reached."""


class Mailer(Protocol):
    #: the outbox status a delivered message gets ("sent" or "logged")
    delivered_status: str

    def deliver(self, mail: OutgoingMail) -> None: ...


class LogMailer:
    """The embedded setup has no mail server: the message is kept in the outbox and logged."""

    delivered_status = "logged"

    def deliver(self, mail: OutgoingMail) -> None:
        log.info("mail to %s: %s\n%s", mail.to_address, mail.subject, mail.body_text)


class SmtpMailer:
    """smtp://user:pass@host:587 (STARTTLS when the server offers it; ?starttls=off to skip)
    or smtps://user:pass@host:465 (implicit TLS)."""

    delivered_status = "sent"

    def __init__(self, url: str, sender: str, timeout: float = 10.0) -> None:
        parsed = urlparse(url)
        if parsed.scheme not in ("smtp", "smtps"):
            raise ValueError("BACKEND_SMTP_URL must start with smtp:// or smtps://")
        self.implicit_tls = parsed.scheme == "smtps"
        self.host = parsed.hostname or "localhost"
        self.port = parsed.port or (465 if self.implicit_tls else 25)
        self.username = unquote(parsed.username) if parsed.username else None
        self.password = unquote(parsed.password) if parsed.password else None
        options = parse_qs(parsed.query)
        self.starttls = options.get("starttls", ["auto"])[0]
        self.sender = sender
        self.timeout = timeout

    def _message(self, mail: OutgoingMail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = mail.to_address
        message["Subject"] = mail.subject
        message["Message-ID"] = make_msgid(domain=self.host)
        if mail.unsubscribe_url:
            message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(mail.body_text)
        if mail.body_html:
            message.add_alternative(mail.body_html, subtype="html")
        return message

    def deliver(self, mail: OutgoingMail) -> None:
        context = ssl.create_default_context()
        try:
            if self.implicit_tls:
                server: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=context
                )
            else:
                server = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with server:
                server.ehlo()
                if not self.implicit_tls and self.starttls != "off":
                    if server.has_extn("starttls"):
                        server.starttls(context=context)
                        server.ehlo()
                    elif self.starttls == "on":
                        raise MailDeliveryError("the SMTP server does not offer STARTTLS")
                if self.username:
                    server.login(self.username, self.password or "")
                server.send_message(self._message(mail))
        except (OSError, smtplib.SMTPException) as exc:
            raise MailDeliveryError(str(exc)) from exc
