"""The channels a notice leaves the platform by, besides the inbox: e-mail over SMTP, and text
messages through a provider behind one small interface (``TextMessages``).

A channel either returns (the server or provider took the message) or raises ``SendFailed``
with words an operator can act on. Each send carries a key that is the same on every try of
the same delivery (the e-mail's Message-ID, the provider's own request id), so a message sent
twice, because the platform stopped between sending and recording it, can be recognised as one.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from typing import Protocol

log = logging.getLogger(__name__)


class SendFailed(Exception):
    pass


class Channel(Protocol):
    def send(self, address: str, subject: str, body: str, key: str) -> None: ...


class Email:
    """SMTP with STARTTLS where the server offers it (required when ``require_tls``)."""

    def __init__(self, host: str, port: int, sender: str, user: str | None = None,
                 password: str | None = None, require_tls: bool = False, timeout: float = 10.0,
                 domain: str = "onestop.local"):
        self.host, self.port, self.sender = host, port, sender
        self.user, self.password = user, password
        self.require_tls, self.timeout, self.domain = require_tls, timeout, domain

    def send(self, address: str, subject: str, body: str, key: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = address
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = f"<{key}@{self.domain}>"
        message.set_content(body, charset="utf-8")
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.ehlo()
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
                elif self.require_tls:
                    raise SendFailed(f"the mail server {self.host} does not offer STARTTLS")
                if self.user:
                    smtp.login(self.user, self.password or "")
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused:
            raise SendFailed(f"the mail server refused the address {address}") from None
        except (smtplib.SMTPException, OSError) as error:
            raise SendFailed(f"the mail server {self.host}:{self.port} did not take the message: "
                             f"{type(error).__name__}: {error}") from None


class TextMessages(Protocol):
    """A text-message provider: one message to one mainland mobile number. docs/operations.md
    ("Notices") says how to plug in a Chinese SMS service."""

    def send(self, address: str, subject: str, body: str, key: str) -> None: ...


class LoggedTexts:
    """The default provider: writes each text to the log (the number masked), so a platform
    without an SMS contract still shows what would have been sent."""

    def send(self, address: str, subject: str, body: str, key: str) -> None:
        masked = address[:3] + "****" + address[-4:] if len(address) >= 7 else "****"
        log.info("text message %s to %s: %s", key, masked, subject)


TEXT_PROVIDERS = {"log": LoggedTexts}
