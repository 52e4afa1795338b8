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


class Mailer:
    """One SMTP connection for a batch of messages: opened at the first message, logged in
    once, reused for the next ones and closed at the end (`with Mailer(config) as mailer`).

    A message the server refuses fails alone (the connection stays usable). A server that
    hung up between two messages is called again once. A server that cannot be reached or
    refuses the login fails every message of the batch at once, with the same error, instead
    of being called (and waited for) again for each one.
    """

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config
        self.connections = 0  # how many times this batch connected
        self._smtp: smtplib.SMTP | None = None
        self._unreachable: str | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
        timeout = float(config.get("MAIL_TIMEOUT", 30))
        if config.get("MAIL_USE_SSL"):
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        try:
            if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        except BaseException:
            smtp.close()
            raise
        self.connections += 1
        return smtp

    def _connection(self) -> smtplib.SMTP:
        if self._unreachable is not None:
            raise MailError(self._unreachable)
        if self._smtp is None:
            try:
                self._smtp = self._connect()
            # UnicodeError: smtplib sends a login only in ASCII.
            except (OSError, smtplib.SMTPException, UnicodeError) as error:
                self._unreachable = f"{type(error).__name__}: {error}"
                raise MailError(self._unreachable) from error
        return self._smtp

    def send(self, message: EmailMessage) -> None:
        """Hand one message to the server; MailError if it is not accepted."""
        smtp = self._connection()
        try:
            try:
                smtp.send_message(message)
            except smtplib.SMTPServerDisconnected:
                self._drop()
                self._connection().send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            if not isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused):
                self._drop()  # the connection itself failed: the next message reconnects
            raise MailError(f"{type(error).__name__}: {error}") from error

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()

    def close(self) -> None:
        """Say goodbye to the server (QUIT) and close the connection."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def send_message(config: Mapping[str, Any], message: EmailMessage) -> None:
    """Hand one message to the configured SMTP server on a connection of its own; MailError
    if it is not accepted."""
    with Mailer(config) as mailer:
        mailer.send(message)
