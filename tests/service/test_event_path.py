"""The event path on real RabbitMQ: relay, following, gap filling over RPC, duplicates."""
import pytest
from kombu import Connection, Consumer, Queue
from nameko.testing.services import entrypoint_hook

from services.archive.service import ArchiveService
from services.intake.service import IntakeService
from services.matching.service import MatchingService
from shared import metrics
from shared.messages import ROUTING_KEY, from_amqp
from shared.outbox import RELAY
from shared.runtime import events_exchange
from tests import factories
from tests.conftest import wait_for

SPECIALIST = {"role": "specialist", "subject": "s-1"}
OPERATOR = {"role": "operator", "subject": "ops-1"}


class Tap:
    """A plain AMQP queue bound to a service's events, to see exactly what was published."""

    def __init__(self, amqp_uri, service):
        self.connection = Connection(amqp_uri)
        self.queue = Queue(f"tap.{service}", exchange=events_exchange(service), routing_key="#",
                           auto_delete=True)
        self.messages = []  # as published: each a run of notifications
        self.notifications = []
        self.consumer = Consumer(self.connection.channel(), [self.queue],
                                 callbacks=[self._keep], accept=["json"])
        self.consumer.consume()

    def _keep(self, body, message):
        self.messages.append(message)
        self.notifications += from_amqp(body, message.headers)
        message.ack()

    def drain(self, count, timeout=10):
        """The first ``count`` notifications published, however many messages carried them."""
        def enough():
            try:
                self.connection.drain_events(timeout=0.1)
            except TimeoutError:
                pass
            return len(self.notifications) >= count
        wait_for(enough, timeout, message=f"{count} notifications")
        return self.notifications[:count]

    def carrying(self, event):
        """The AMQP message that carried the notification of ``event``."""
        return next(m for m in self.messages
                    if event in [n.event for n in from_amqp(m.payload, m.headers)])

    def close(self):
        self.connection.close()


@pytest.fixture
def start(container_factory, service_config):
    def start(service_cls):
        container = container_factory(service_cls, service_config)
        container.start()
        # Its start-up pull is done, so a later loss can only be recovered by the gap path.
        wait_for(provider_of(container).first_catch_up_done.is_set, message="the first catch-up")
        if service_cls is IntakeService:
            open_station(container)
            # Published before a test taps the exchange, so taps see only the test's messages.
            wait_for(lambda: intake_relay_position(container) == OPENED, message="the station's events")
        return container
    return start


#: What ``open_station`` records: the station registered, a specialist joined (which moves the
#: station's conformity to its requirements), and the service catalogue's default (opened and
#: version 1 published, as the first reading of it does).
OPENED = 5


def open_station(intake):
    with entrypoint_hook(intake, "register_station") as register:
        station = register(factories.station(), OPERATOR)
    with entrypoint_hook(intake, "add_specialist") as add:
        add(station["id"], factories.specialist(), OPERATOR)
    with entrypoint_hook(intake, "service_catalogue") as read:
        read()


def test_the_relay_publishes_the_log_in_order_with_confirmed_persistent_messages(start, service_config):
    intake = start(IntakeService)
    tap = Tap(service_config["AMQP_URI"], "intake")
    try:
        with entrypoint_hook(intake, "submit_demand") as submit:
            demand = submit(factories.demand(), SPECIALIST)
        received = tap.drain(2)
    finally:
        tap.close()
    assert [(n.event, n.id, n.previous_id) for n in received] == [
        ("DemandSubmitted", OPENED + 1, OPENED), ("DemandAccepted", OPENED + 2, OPENED + 1)]
    assert {n.service for n in received} == {"intake"}
    assert {n.originator_id for n in received} == {demand["id"]}
    assert received[0].data["demand_id"] == demand["id"]
    # Both were recorded by one submit, so one relay batch: one message, persistent.
    assert len(tap.messages) == 1
    published = tap.messages[0]
    assert published.delivery_info["routing_key"] == ROUTING_KEY
    assert published.properties["delivery_mode"] == 2
    assert (published.headers["x-onestop-first-id"], published.headers["x-onestop-last-id"],
            published.headers["x-onestop-previous-id"], published.headers["x-onestop-count"]) == (
                OPENED + 1, OPENED + 2, OPENED, 2)
    with entrypoint_hook(intake, "health") as health:
        assert health() == {"last_notification_id": OPENED + 2}


def test_matching_follows_intake_and_intake_follows_matching(start):
    intake, matching = start(IntakeService), start(MatchingService)
    with entrypoint_hook(matching, "register_institution") as register:
        institution = register(factories.institution(), SPECIALIST, factories.PANYU)
    with entrypoint_hook(intake, "submit_demand") as submit:
        demand = submit(factories.demand(), SPECIALIST)

    def assigned():
        with entrypoint_hook(intake, "get_demand") as get:
            shown = get(demand["id"], SPECIALIST)
        return shown if shown["status"] == "assigned" else None

    shown = wait_for(assigned, message="the demand to be assigned")
    assert shown["assignment"]["institution_id"] == institution["id"]


def test_a_lost_message_is_recovered_by_pulling_the_gap_over_rpc(start, service_config):
    intake, matching = start(IntakeService), start(MatchingService)
    with entrypoint_hook(matching, "register_institution") as register:
        register(factories.institution(), SPECIALIST, factories.PANYU)
    gaps = metrics.INBOX_MESSAGES.labels("matching", "intake", "gap")
    gaps_before = gaps._value.get()
    queue = Queue("matching.follows.intake", exchange=events_exchange("intake"), routing_key="#",
                  durable=True)
    with Connection(service_config["AMQP_URI"]) as connection:
        bound = queue(connection.channel())
        bound.unbind_from(exchange=events_exchange("intake"), routing_key="#")
        with entrypoint_hook(intake, "submit_demand") as submit:
            lost = submit(factories.demand(), SPECIALIST)
        wait_for(lambda: intake_relay_position(intake) == OPENED + 2,
                 message=f"the relay to publish (at {intake_relay_position(intake)})")
        bound.bind_to(exchange=events_exchange("intake"), routing_key="#")
    with entrypoint_hook(intake, "submit_demand") as submit:
        later = submit(factories.demand(), SPECIALIST)

    def both_assigned():
        with entrypoint_hook(intake, "get_demand") as get:
            return all(get(d["id"], SPECIALIST)["status"] == "assigned" for d in (lost, later))

    wait_for(both_assigned, message="both demands to be assigned")
    assert gaps._value.get() > gaps_before


def test_a_duplicate_delivery_changes_nothing(start, service_config):
    intake, matching = start(IntakeService), start(MatchingService)
    archive = start(ArchiveService)
    with entrypoint_hook(matching, "register_institution") as register:
        register(factories.institution(), SPECIALIST, factories.PANYU)
    tap = Tap(service_config["AMQP_URI"], "intake")
    try:
        with entrypoint_hook(intake, "submit_demand") as submit:
            demand = submit(factories.demand(), SPECIALIST)
        tap.drain(2)
        accepted = tap.carrying("DemandAccepted")
    finally:
        tap.close()

    def dossier_complete():
        with entrypoint_hook(archive, "get_dossier") as get:
            try:
                found = get(demand["id"])
            except Exception:
                return None
            return found if found["status"] == "assigned" else None

    before = wait_for(dossier_complete, message="the dossier")
    with entrypoint_hook(matching, "health") as health:
        matching_log = health()
    duplicates = metrics.INBOX_MESSAGES.labels("matching", "intake", "duplicate")
    seen = duplicates._value.get()

    with Connection(service_config["AMQP_URI"]) as connection:
        producer = connection.Producer()
        producer.publish(accepted.payload, exchange=events_exchange("intake"),
                         routing_key=ROUTING_KEY, headers=accepted.headers, serializer="json")
    wait_for(lambda: duplicates._value.get() > seen, message="the duplicate to be seen")

    with entrypoint_hook(matching, "health") as health:
        assert health() == matching_log
    with entrypoint_hook(archive, "get_dossier") as get:
        assert get(demand["id"]) == before


def provider_of(container):
    return next(d for d in container.dependencies if d.attr_name in ("application", "archive"))


def intake_relay_position(container):
    return provider_of(container).follower.recorder.max_tracking_id(RELAY)
