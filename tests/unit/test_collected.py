"""Collecting a reaction's or a command's events without the runtime-protocol check: the same
events and aggregates as the library's own processing event, in the same order."""
from eventsourcing.application import ProcessingEvent
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import Tracking

from shared.eventstore import Collected


class Tally(Aggregate):
    @event("Opened")
    def __init__(self, scope: str):
        self.scope = scope
        self.count = 0

    @event("Counted")
    def count_one(self):
        self.count += 1


def collected(processing_class):
    first, second = Tally("station"), Tally("category")
    first.count_one()
    loose = Tally("institution")
    bare_event = loose.collect_events()[0]  # an event handed in on its own
    processing = processing_class(Tracking("intake", 7))
    processing.collect_events(first, None, bare_event, second, follows=("intake", 5))
    return ([(type(e).__name__, e.originator_id, e.originator_version) for e in processing.events],
            list(processing.aggregates), processing.saved_kwargs, processing.tracking)


def test_collected_holds_what_the_library_would_collect():
    ours, theirs = collected(Collected), collected(ProcessingEvent)
    # Aggregate ids are random: compare the shape, event by event.
    assert [event[0] for event in ours[0]] == ["Opened", "Counted", "Opened", "Opened"]
    assert [event[0] for event in ours[0]] == [event[0] for event in theirs[0]]
    assert [event[2] for event in ours[0]] == [event[2] for event in theirs[0]] == [1, 2, 1, 1]
    assert len(ours[1]) == len(theirs[1]) == 2  # the bare event's aggregate is not among them
    assert ours[2] == theirs[2] == {"follows": ("intake", 5)}
    assert ours[3] == theirs[3]
