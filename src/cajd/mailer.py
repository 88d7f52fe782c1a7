"""Sending one e-mail through the SMTP server ``CAJD_SMTP_URL`` names (the standard library's
smtplib; nothing else of the app needs mail, so no mail framework).

``smtp://host:port`` is plain SMTP (a relay on the same host or network), ``smtp+starttls://``
upgrades the connection before logging in, ``smtps://`` is TLS from the start; a user and password
in the URL log in. The caller gets the server's own answer to the message, or ``MailError``.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

TIMEOUT_SECONDS = 10.0  # a stuck server must not hold a reminder run (or a request) for long
DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


class MailError(RuntimeError):
    """The message was not accepted; the text says what the server (or the network) said."""


@dataclass(frozen=True)
class Server:
    scheme: str
    host: str
    port: int
    user: str | None = None
    password: str | None = None

    @classmethod
    def parse(cls, url: str) -> Server:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise MailError(f"CAJD_SMTP_URL: the scheme must be one of {sorted(DEFAULT_PORTS)}, "
                            f"not {parts.scheme!r}")
        try:
            port = parts.port or DEFAULT_PORTS[scheme]
        except ValueError:
            raise MailError("CAJD_SMTP_URL: the port is not a number from 1 to 65535") from None
        if not parts.hostname:
            raise MailError("CAJD_SMTP_URL: no host (e.g. smtp://mail.example.org:25)")
        user = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password else None
        return cls(scheme, parts.hostname, port, user, password)

    def __str__(self) -> str:  # never the password: this goes into logs and the reminder row
        return f"{self.scheme}://{self.host}:{self.port}"


def send(url: str, message: EmailMessage, recipients: list[str]) -> str:
    """Send ``message`` to ``recipients``; the server's answer to the message (``250 …``).
    Recipients the server refuses while accepting others are named in the answer; if it refuses
    them all, or anything else goes wrong, ``MailError``."""
    server = Server.parse(url)
    sender = str(message["From"])
    try:
        smtp: smtplib.SMTP
        if server.scheme == "smtps":
            smtp = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT_SECONDS,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
        with smtp:
            smtp.ehlo()
            if server.scheme == "smtp+starttls":
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if server.user:
                smtp.login(server.user, server.password or "")
            # send_message keeps only the refused recipients; the DATA reply (the server's queue
            # id) is what a secretariat wants to see when a focal point says nothing came.
            code, reply = smtp.mail(sender)
            if code != 250:
                raise MailError(f"{server}: MAIL FROM refused: {code} {_text(reply)}")
            refused = []
            for rcpt in recipients:
                code, reply = smtp.rcpt(rcpt)
                if code not in (250, 251):
                    refused.append(f"{rcpt}: {code} {_text(reply)}")
            if len(refused) == len(recipients):
                smtp.rset()
                raise MailError(f"{server}: every recipient refused: {'; '.join(refused)}")
            # CRLF line ends, as send_message would write them: smtplib.data sends bytes as
            # given, and a server reads a message with bare LFs as one over-long line.
            code, reply = smtp.data(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
            if code != 250:
                raise MailError(f"{server}: message refused: {code} {_text(reply)}")
    except smtplib.SMTPException as exc:
        raise MailError(f"{server}: {type(exc).__name__}: {exc}") from None
    except OSError as exc:  # refused, unreachable, timed out, TLS failure
        raise MailError(f"{server}: {type(exc).__name__}: {exc}") from None
    answer = f"{server}: {code} {_text(reply)}"
    return f"{answer}; refused: {'; '.join(refused)}" if refused else answer


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
