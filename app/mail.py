"""Email over SMTP with the standard library: build a safe message, send it."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable, Mapping
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any


class MailError(RuntimeError):
    """The SMTP server could not be reached or refused the message."""


def clean_header(value: str, limit: int = 200) -> str:
    """User text made safe for a header: no line breaks or control characters, bounded."""
    cleaned = "".join(
        " " if ch in "\r\n\t" or ord(ch) < 32 or ord(ch) == 127 else ch for ch in value
    )
    return " ".join(cleaned.split())[:limit]


def valid_address(value: str | None) -> str | None:
    """`value` if it is one plain address (nothing that could add a header or a recipient)."""
    if not value:
        return None
    value = value.strip()
    if any(ch in value for ch in "\r\n,;<>\"' ") or value.count("@") != 1:
        return None
    try:
        Address(addr_spec=value)
    except (ValueError, IndexError):
        return None
    return value


def build_message(
    *, sender: str, recipients: Iterable[str], subject: str, text: str, html: str
) -> EmailMessage:
    """A multipart/alternative message (plain text + HTML) in UTF-8."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = clean_header(subject)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def send_message(config: Mapping[str, Any], message: EmailMessage) -> None:
    """Hand one message to the configured SMTP server; MailError if it is not accepted."""
    host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
    timeout = float(config.get("MAIL_TIMEOUT", 30))
    try:
        if config.get("MAIL_USE_SSL"):
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        with smtp:
            if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"{type(error).__name__}: {error}") from error
