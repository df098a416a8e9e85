"""The notices nameko service: the inbox people read, their choice of channels, and the
sending of notices by e-mail and text message; intake, matching and evaluation followed."""
from __future__ import annotations

from nameko.dependency_providers import DependencyProvider

from services.notices.application import DELIVERY, Notices
from services.notices.channels import TEXT_PROVIDERS, Channel, Email
from shared.config import ConfigurationError, section
from shared.errors import CLIENT_ERRORS
from shared.rpc import RpcProxy, rpc
from shared.runtime import (
    EventSourced, EventSourcedService, FollowsEvaluation, FollowsIntake, FollowsMatching, every)


def channels(config: dict) -> dict[str, Channel]:
    """The channels this platform is set up for: e-mail when ``NOTICES.smtp_host`` is set, text
    messages through ``NOTICES.sms_provider`` (the log, by default)."""
    settings = section(config, "NOTICES")
    found: dict[str, Channel] = {}
    if settings.get("smtp_host"):
        found["email"] = Email(
            str(settings["smtp_host"]), int(settings.get("smtp_port") or 25),
            sender=str(settings.get("mail_from") or "onestop@localhost"),
            user=settings.get("smtp_user") or None, password=settings.get("smtp_password") or None,
            require_tls=str(settings.get("smtp_require_tls", "false")).lower() == "true",
            timeout=float(settings.get("smtp_timeout", 10)))
    provider = str(settings.get("sms_provider") or "log")
    if provider not in TEXT_PROVIDERS:
        raise ConfigurationError(f"NOTICES.sms_provider: no provider {provider!r} "
                                 f"(known: {', '.join(TEXT_PROVIDERS)})")
    found["sms"] = TEXT_PROVIDERS[provider]()
    return found


class Channels(DependencyProvider):
    def setup(self):
        self.channels = channels(self.container.config)

    def get_dependency(self, worker_ctx):
        return self.channels


class NoticesService(EventSourcedService, FollowsIntake, FollowsMatching, FollowsEvaluation):
    name = "notices"
    application = EventSourced(Notices)
    channels = Channels()
    # A sending round waits this long at most for the recipients: a service stopping waits for
    # the round, and accounts may be stopping too.
    accounts = RpcProxy("accounts", timeout=5)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def inbox(self, person_id, acts, query, language):
        return self.application.inbox(person_id, acts, query, language)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def mark_read(self, notice_id, person_id, acts, language):
        return self.application.mark_read(notice_id, person_id, acts, language)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def preferences(self, person_id):
        return self.application.preferences(person_id)

    @rpc(expected_exceptions=CLIENT_ERRORS)
    def choose_preferences(self, person_id, payload):
        return self.application.choose_preferences(person_id, payload)

    @every("NOTICES.send_interval", 1)
    def send_notices(self):
        self.application.deliver(self.accounts.recipients, self.channels)

    # The operators' dead letters: the notifications set aside, and the deliveries that ran out
    # of tries (upstream ``delivery``), in one list ordered by upstream and number.
    @rpc
    def dead_letters(self, after=None, limit=100, replayed=None):
        letters = self.application.dead_letters(after, limit, replayed) + \
            self.application.abandoned_deliveries(after, limit, replayed)
        return sorted(letters, key=lambda letter: (letter["upstream"], letter["notification_id"]))[:limit]

    @rpc
    def replay_dead_letters(self, by, upstream=None, notification_id=None):
        outcomes = []
        if upstream in (None, DELIVERY):
            outcomes += self.application.redeliver(by, notification_id)
        if upstream != DELIVERY:
            outcomes += self.application.replay_dead_letters(by, upstream, notification_id)
        return outcomes
