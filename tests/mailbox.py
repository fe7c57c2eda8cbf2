"""A real SMTP server (aiosmtpd) on 127.0.0.1 in the test process, keeping what it receives."""
from __future__ import annotations

import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """aiosmtpd's handler: every accepted message, parsed, with its envelope recipients."""

    def __init__(self, delay: float = 0.0) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[list[str]] = []
        self.delay = delay  # seconds spent before accepting each message (a slow server)
        #: Called with the number of messages received so far when a client names a recipient,
        #: before the server answers (a test can kill the sender mid-conversation there).
        self.on_recipient = None
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.on_recipient is not None:
            self.on_recipient(len(self.messages))
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(parsed)
            self.envelopes.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m, rcpt in zip(self.messages, self.envelopes) if address in rcpt]

    def wait_for(self, count: int, timeout: float = 30.0) -> None:
        """Until ``count`` messages arrived (a worker in another process sends them)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


class SMTPServer:
    """Start and stop an aiosmtpd Controller around a Mailbox."""

    def __init__(self, delay: float = 0.0) -> None:
        self.mailbox = Mailbox(delay)
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    def settings(self) -> dict:
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port,
                "MAIL_DEFAULT_SENDER": ("The Harbour Courier", "newsroom@news.example")}
