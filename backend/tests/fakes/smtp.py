"""A real SMTP server on 127.0.0.1 (aiosmtpd), so mail tests exercise smtplib end to end.

``smtp_server`` is a fixture: ``smtp_server.url`` goes in BACKEND_SMTP_URL, and
``smtp_server.messages`` holds every message received, parsed.
"""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ReceivedMail:
    mail_from: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""

    def links(self) -> list[str]:
        return re.findall(r"https?://\S+", self.text)


@dataclass
class _Recorder:
    messages: list[ReceivedMail] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    delay: float = 0.0  # seconds the server takes to accept a message (a slow mail server)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        if self.delay:
            await asyncio.sleep(self.delay)
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.messages.append(
                ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), parsed)  # type: ignore[arg-type]
            )
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self) -> None:
        self._recorder = _Recorder()
        self.port = free_port()
        self._controller = Controller(self._recorder, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        self.url = f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[ReceivedMail]:
        with self._recorder.lock:
            return list(self._recorder.messages)

    def to(self, address: str) -> list[ReceivedMail]:
        return [m for m in self.messages if address in m.recipients]

    def wait_for(self, address: str, count: int = 1, timeout: float = 5.0) -> list[ReceivedMail]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} mail(s) to {address}, got {len(self.to(address))}")

    @property
    def delay(self) -> float:
        return self._recorder.delay

    @delay.setter
    def delay(self, seconds: float) -> None:
        self._recorder.delay = seconds

    def clear(self) -> None:
        with self._recorder.lock:
            self._recorder.messages.clear()
        self._recorder.delay = 0.0

    def stop(self) -> None:
        self._controller.stop()


@pytest.fixture(scope="session")
def _smtp_server_instance() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def smtp_server(_smtp_server_instance: SmtpServer) -> SmtpServer:
    """The session's SMTP server, emptied for this test."""
    _smtp_server_instance.clear()
    return _smtp_server_instance
