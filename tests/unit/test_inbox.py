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


class Outage(Exception):
    pass


class Recorder(FollowsUpstreams):
    upstreams = ("up",)
    transient_errors = (Outage,)

    def __init__(self, log, failing=(), retry_backoff=0.0, error=RuntimeError):
        self.log = log
        self.applied = []
        self.dead = []
        self.failing = set(failing)
        self.error = error
        self.pulls = []
        self.outcomes = []
        self.follow_upstreams(self.fetch, pull_limit=2, max_attempts=3, retry_backoff=retry_backoff,
                              on_outcome=lambda upstream, outcome: self.outcomes.append(outcome))

    def fetch(self, upstream, after, limit):
        self.pulls.append(after)
        return [m for m in self.log if m.id > after][:limit]

    def position(self, upstream):
        return max([m.id for m in self.applied] + [m.id for m in self.dead] + [0])

    def apply(self, message):
        if message.id in self.failing:
            raise self.error(f"cannot apply {message.id}")
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


class TwoUpstreams(Recorder):
    upstreams = ("up", "other")


def test_the_periodic_catch_up_leaves_alone_an_upstream_whose_messages_flow_in_order():
    follower = TwoUpstreams(log_of([1, 2, 3]))
    assert follower.upstreams_to_pull() == ["up", "other"]  # nothing arrived yet: both pulled
    follower.receive_all(follower.log[:2])
    # "up" flowed in order: what a pull would fetch is on its way in the queue.
    assert follower.upstreams_to_pull() == ["other"]
    # Nothing arrived since the round before (the last of a burst may be lost): pulled again.
    assert follower.upstreams_to_pull() == ["up", "other"]
    assert follower.catch_up(follower.upstreams_to_pull()) == 1
    assert [m.id for m in follower.applied] == [1, 2, 3]
    assert follower.catch_up([]) == 0 and follower.pulls == [2, 3]  # an empty list pulls none


def test_an_upstream_with_a_gap_or_a_failure_is_pulled_at_the_next_round():
    gapped = TwoUpstreams(log_of([1, 2, 3]))
    gapped.receive_all([gapped.log[0], gapped.log[2]])  # 1 continues, 3 beyond a gap: 2 pulled
    assert [m.id for m in gapped.applied] == [1, 2, 3]
    assert gapped.upstreams_to_pull() == ["up", "other"]
    failing = TwoUpstreams(log_of([1, 2]), failing={2})
    failing.receive_all(failing.log)  # 1 applied, 2 failed: its next try comes from a pull
    assert failing.upstreams_to_pull() == ["up", "other"]
    flowing = TwoUpstreams(log_of([1, 2]))
    flowing.receive_all(flowing.log)
    assert flowing.upstreams_to_pull() == ["other"]  # the same messages, all applied
    # A gap is remembered until the next round, even if messages flow in order after it.
    late = TwoUpstreams(log_of([1, 2, 3, 4]))
    late.receive_all(late.log[:1])
    late.receive_all(late.log[2:3])  # 3 beyond a gap
    late.receive_all(late.log[3:])  # then 4, in order
    assert late.upstreams_to_pull() == ["up", "other"]


def test_an_upstream_whose_messages_raised_is_pulled_at_the_next_round():
    follower = TwoUpstreams(log_of([1, 2]))
    follower.receive_all(follower.log[:1])
    follower.position = lambda upstream: (_ for _ in ()).throw(Outage("store unreachable"))
    with pytest.raises(Outage):
        follower.receive_all(follower.log[1:])
    assert follower.upstreams_to_pull() == ["up", "other"]


def test_a_poison_message_is_retried_then_dead_lettered_and_the_stream_moves_on():
    log = log_of([1, 2, 3])
    follower = Recorder(log, failing={2})
    follower.receive(log[0])
    follower.receive(log[1])  # first try fails
    follower.receive(log[2])  # a gap: the pull tries 2 again, and 3 waits behind it
    assert [m.id for m in follower.applied] == [1]
    follower.catch_up()  # third try: set aside, then 3 applies
    assert [m.id for m in follower.applied] == [1, 3]
    assert [m.id for m in follower.dead] == [2]
    assert follower.outcomes.count("failed") == 2
    assert follower.outcomes.count("dead_lettered") == 1


def test_retries_wait_for_their_backoff_so_a_burst_does_not_use_them_up():
    log = log_of([1, 2, 3, 4, 5, 6])
    follower = Recorder(log, failing={1}, retry_backoff=60)
    for message in log:
        follower.receive(message)
    follower.catch_up()
    assert follower.outcomes.count("failed") == 1
    assert follower.dead == [] and follower.applied == []


def test_an_outage_is_retried_for_as_long_as_it_lasts_and_never_dead_lettered():
    log = log_of([1, 2])
    follower = Recorder(log, failing={1}, error=Outage)
    for _ in range(10):
        follower.catch_up()
    assert follower.dead == [] and follower.applied == []
    follower.failing.clear()
    follower.catch_up()
    assert [m.id for m in follower.applied] == [1, 2]


def test_one_unreadable_upstream_does_not_stop_the_others():
    class TwoUpstreams(Recorder):
        upstreams = ("down", "up")

        def fetch(self, upstream, after, limit):
            if upstream == "down":
                raise ConnectionError("down does not answer")
            return super().fetch(upstream, after, limit)

    follower = TwoUpstreams(log_of([1, 2]))
    with pytest.raises(ConnectionError):
        follower.catch_up()
    assert [m.id for m in follower.applied] == [1, 2]


def test_a_follower_without_upstream_logs_says_so():
    class Unwired(FollowsUpstreams):
        upstreams = ("up",)

    with pytest.raises(NotFollowing):
        Unwired().catch_up()


def test_an_upstream_silent_at_start_is_information_and_later_a_warning():
    import logging

    from shared.runtime import STARTING_SECONDS, catch_up_failure_level
    assert catch_up_failure_level(False, 0.5) == logging.INFO  # the others are starting too
    assert catch_up_failure_level(False, STARTING_SECONDS + 1) == logging.WARNING
    assert catch_up_failure_level(True, 0.5) == logging.WARNING  # it answered before: an outage


class Runs(Recorder):
    """A follower that takes a run of notifications at once, all or none."""
    applies_runs = True

    def __init__(self, log, **kwargs):
        super().__init__(log, **kwargs)
        self.runs = []

    def apply_all(self, messages):
        if self.failing & {m.id for m in messages}:
            raise RuntimeError("a run with a poison message")
        self.runs.append([m.id for m in messages])
        self.applied.extend(messages)


def test_what_arrives_together_is_applied_as_one_run_in_log_order():
    log = log_of([1, 2, 3, 4])
    follower = Runs(log)
    follower.receive_all([log[1], log[0], log[0], log[2]])
    assert follower.runs == [[1, 2, 3]]
    assert follower.outcomes.count("duplicate") == 1
    follower.receive_all([log[3]])  # alone: no run
    assert follower.runs == [[1, 2, 3]] and [m.id for m in follower.applied] == [1, 2, 3, 4]


def test_a_poison_message_in_a_run_is_tried_alone_and_the_run_behind_it_waits_then_goes_whole():
    log = log_of(range(1, 11))
    follower = Runs(log, failing={4})
    follower._pull_limit = 10
    follower.catch_up()  # the run fails: 1 to 3 one by one, then 4's first try
    assert [m.id for m in follower.applied] == [1, 2, 3] and follower.runs == []
    follower.catch_up()  # 4 alone, second try
    assert follower.runs == []
    follower.catch_up()  # 4 alone, set aside; 5 to 10 as one run
    assert [m.id for m in follower.dead] == [4]
    assert follower.runs == [[5, 6, 7, 8, 9, 10]]
    assert [m.id for m in follower.applied] == [1, 2, 3, 5, 6, 7, 8, 9, 10]
