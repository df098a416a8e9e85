"""The in-order, exactly-once-in-effect algorithm, on an in-memory upstream log."""
import pytest

from shared.inbox import FollowsUpstreams, NotFollowing
from shared.messages import Message


def log_of(ids):
    """Messages of an upstream log with these ids (holes allowed, as on PostgreSQL)."""
    messages, previous = [], 0
    for id in ids:
        messages.append(Message("up", id, previous, "Happened", 1, "agg", id, "2026-11-24T00:00:00", {"n": id}))
        previous = id
    return messages


class Recorder(FollowsUpstreams):
    upstreams = ("up",)

    def __init__(self, log, failing=()):
        self.log = log
        self.applied = []
        self.dead = []
        self.failing = set(failing)
        self.pulls = []
        self.outcomes = []
        self.follow_upstreams(self.fetch, pull_limit=2, max_attempts=3,
                              on_outcome=lambda upstream, outcome: self.outcomes.append(outcome))

    def fetch(self, upstream, after, limit):
        self.pulls.append(after)
        return [m for m in self.log if m.id > after][:limit]

    def position(self, upstream):
        return max([m.id for m in self.applied] + [m.id for m in self.dead] + [0])

    def apply(self, message):
        if message.id in self.failing:
            raise RuntimeError(f"poison {message.id}")
        self.applied.append(message)

    def dead_letter(self, message, error):
        self.dead.append(message)


def test_messages_in_order_are_applied_without_pulling():
    log = log_of([1, 2, 5])
    follower = Recorder(log)
    for message in log:
        follower.receive(message)
    assert [m.id for m in follower.applied] == [1, 2, 5]
    assert follower.pulls == []


def test_a_duplicate_is_dropped():
    log = log_of([1, 2])
    follower = Recorder(log)
    for message in log + log[:1]:
        follower.receive(message)
    assert [m.id for m in follower.applied] == [1, 2]
    assert follower.outcomes.count("duplicate") == 1


def test_a_gap_is_filled_from_the_upstream_log_in_order():
    log = log_of([1, 2, 3, 4, 7])
    follower = Recorder(log)
    follower.receive(log[0])
    follower.receive(log[4])  # 2, 3 and 4 were lost
    assert [m.id for m in follower.applied] == [1, 2, 3, 4, 7]
    assert "gap" in follower.outcomes
    for late in log[1:]:  # the lost ones arrive after all: nothing changes
        follower.receive(late)
    assert [m.id for m in follower.applied] == [1, 2, 3, 4, 7]


def test_catch_up_applies_what_never_arrived():
    log = log_of([1, 3, 4])
    follower = Recorder(log)
    assert follower.catch_up() == 3
    assert follower.catch_up() == 0
    assert [m.id for m in follower.applied] == [1, 3, 4]


def test_a_poison_message_is_retried_then_dead_lettered_and_the_stream_moves_on():
    log = log_of([1, 2, 3])
    follower = Recorder(log, failing={2})
    follower.receive(log[0])
    with pytest.raises(RuntimeError):
        follower.receive(log[1])
    with pytest.raises(RuntimeError):
        follower.receive(log[2])  # a gap pull retries 2 and fails again
    follower.receive(log[2])  # third try: set aside, then 3 applies
    assert [m.id for m in follower.applied] == [1, 3]
    assert [m.id for m in follower.dead] == [2]
    assert follower.outcomes.count("failed") == 2
    assert follower.outcomes.count("dead_lettered") == 1


def test_a_follower_without_upstream_logs_says_so():
    class Unwired(FollowsUpstreams):
        upstreams = ("up",)

    with pytest.raises(NotFollowing):
        Unwired().catch_up()
