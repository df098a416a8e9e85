"""The tests' mail server: aiosmtpd, run as its own process (``python -m aiosmtpd -c
tests.e2e.mail_server.Recording MAILDIR REFUSED``), keeping every message it takes in a maildir
the test reads. An address listed in the file REFUSED at the moment is refused (550), as a
mail server refuses a mailbox that does not exist."""
from __future__ import annotations

from pathlib import Path

from aiosmtpd.handlers import Mailbox


class Recording(Mailbox):
    def __init__(self, mail_dir: str, refused: str):
        super().__init__(mail_dir)
        self.refused = Path(refused)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        listed = self.refused.read_text().split() if self.refused.exists() else []
        if address in listed:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 2:
            parser.error("usage: MAILDIR REFUSED")
        return cls(*args)
