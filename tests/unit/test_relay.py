"""The outbox relay's position: recorded once confirmed, at most every interval while busy and
once nothing was saved for a poll interval; a relay started again republishes only what was not recorded."""
import pytest
from eventsourcing.persistence import Tracking

from services.intake.application import Intake
from shared.eventstore import open_application
from shared.outbox import RELAY, Relay
from tests import factories

OPERATOR = {"role": "operator", "subject": "ops-1"}


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def intake(durable_config):
    app = open_application(Intake, durable_config)
    yield app
    app.close()


def stored(app) -> int:
    return app.recorder.max_tracking_id(RELAY) or 0


def register(app, count: int) -> None:
    """``count`` stations, each in a park of its own: an event each."""
    for _ in range(count):
        app.register_station(factories.station(park=f"park-{app.last_notification_id()}"), OPERATOR)


def test_a_busy_relay_records_its_position_once_an_interval_and_at_once_when_quiet(intake):
    clock, published = Clock(), []
    relay = Relay(intake, published.extend, batch=2, record_interval=1.0, clock=clock)
    register(intake, 7)  # seven events: four batches of two at most
    last = intake.last_notification_id()

    assert relay.publish_pending() == 2
    first = published[-1].id
    assert stored(intake) == first  # the first batch: nothing recorded within the interval yet
    clock.now += 0.5
    assert relay.publish_pending() == 2
    assert stored(intake) == first and relay.position() == published[-1].id  # busy: not yet
    clock.now += 0.6
    relay.publish_pending()
    assert stored(intake) == published[-1].id  # the interval passed
    while relay.publish_pending():
        pass
    # Drained, but a burst could go on: an empty read right after a batch is not quiet.
    assert relay.position() == last and stored(intake) < last
    assert [m.id for m in published] == sorted({m.id for m in published})  # each once, in order

    # Quiet for a poll interval (nothing saved): recorded though the interval has not passed.
    stored_before, seen_while_running = stored(intake), []

    def leads(role):
        seen_while_running.append(stored(intake))
        if len(seen_while_running) == 2:
            relay.stop()
        return True
    relay.leads, relay.poll_interval = leads, 0
    relay.run()
    assert seen_while_running == [stored_before, last]


def test_a_relay_started_again_republishes_what_it_had_not_recorded_and_nothing_before(intake):
    clock, published = Clock(), []
    relay = Relay(intake, published.extend, batch=2, record_interval=60, clock=clock)
    register(intake, 5)
    relay.publish_pending()
    relay.publish_pending()
    recorded = stored(intake)
    unrecorded = [m.id for m in published if m.id > recorded]
    assert unrecorded  # published and confirmed, position not yet recorded: a crash now...

    again = []
    restarted = Relay(intake, again.extend, batch=100, clock=clock)
    restarted.publish_pending()
    # ...republishes them (followers drop the duplicates), and nothing recorded before.
    assert [m.id for m in again] == [*unrecorded, *[m.id for m in again if m.id > unrecorded[-1]]]
    assert again[0].id == recorded + 1
    assert stored(intake) == intake.last_notification_id()


def test_a_relay_that_stops_leading_records_what_it_published_and_reads_the_store_when_it_leads_again(intake):
    clock, published = Clock(), []
    relay = Relay(intake, published.extend, batch=1, record_interval=60, clock=clock, poll_interval=0)
    register(intake, 3)
    relay.publish_pending()
    relay.publish_pending()
    assert stored(intake) < published[-1].id

    turns = []

    def leads(role):
        turns.append(role)
        if len(turns) == 2:
            relay.stop()
        return False
    relay.leads = leads
    relay.run()
    assert stored(intake) == published[-1].id  # recorded on stepping down
    # Another replica published meanwhile: leading again, this one starts from there.
    register(intake, 1)
    intake.recorder.insert_tracking(Tracking(RELAY, intake.last_notification_id()))
    assert relay.position() == intake.last_notification_id()

