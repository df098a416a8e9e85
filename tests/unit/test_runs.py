"""Runs of notifications applied in one transaction, on the in-memory, SQLite and PostgreSQL
stores: a poison notification in the middle of a run is set aside alone, the rest applied once;
a replica that recorded part of a run meanwhile makes the run fail whole. The archive, whose
writes are idempotent rather than transactional, likewise."""
import uuid
from collections import Counter
from dataclasses import replace

import mongomock
import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from services.archive.projection import Archive
from services.partners.application import PartnerFeed
from services.partners.feed import CaseFacts
from shared.eventstore import open_application
from tests import factories

SPECIALIST = {"role": "specialist", "subject": "s-1"}
DEMANDS = 260


def intake_log(platform) -> list:
    """Submit the demands; intake's whole log (each demand submitted, then accepted by the
    station's rules)."""
    intake = platform.apps["intake"]
    demands = [intake.submit_demand(factories.demand(), SPECIALIST)["id"] for _ in range(DEMANDS)]
    log = intake.log(0, 1000)
    assert len(log) < 1000 and sum(m.event == "DemandAccepted" for m in log) == DEMANDS
    return demands, log


def poisoned_in_the_middle(log):
    """The acceptance nearest the middle of the first pull of 500, and the log with it naming
    a demand nobody submitted (the partner feed cannot find its case) under an id that is no
    UUID (the archive cannot file it): it fails on every try."""
    poison = min((m for m in log if m.event == "DemandAccepted"), key=lambda m: abs(m.id - 250))
    poisoned = replace(poison, data={**poison.data, "demand_id": f"not-a-demand-{uuid.uuid4()}"})

    def read(upstream, after, limit):
        return [poisoned if m.id == poison.id else m for m in log if m.id > after][:limit]
    return poison, read


def case_versions(feed, demands) -> dict:
    return {demand_id: feed.repository.get(CaseFacts.create_id(demand_id)).version
            for demand_id in demands}


class Counted:
    """The recorder's ``insert_events``, counted: one call is one transaction."""

    def __init__(self, recorder):
        self.calls = 0
        self._insert = recorder.insert_events
        recorder.insert_events = self

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self._insert(*args, **kwargs)


def test_a_poison_notification_in_a_run_of_500_is_set_aside_alone_and_the_rest_applied_once(platform, config):
    demands, log = intake_log(platform)
    poison, read = poisoned_in_the_middle(log)
    unharmed = poison.data["demand_id"]
    feed = open_application(PartnerFeed, config)
    try:
        feed.follow_upstreams(read, pull_limit=500, max_attempts=3, retry_backoff=0)
        transactions = Counted(feed.recorder)
        feed.catch_up(["intake"])  # the run fails; one by one up to the poison, its first try
        before = [m for m in log if m.id < poison.id]
        assert feed.position("intake") == before[-1].id
        # (the station's own events change nothing here: no commit of their own)
        assert transactions.calls == sum(m.event in feed.reactions for m in before)
        singles = transactions.calls

        feed.catch_up(["intake"])  # its second try, alone
        assert feed.position("intake") == before[-1].id
        feed.catch_up(["intake"])  # its third: set aside, and what follows goes as runs
        assert feed.position("intake") == log[-1].id
        # The pull that starts at the poison holds 499 more; each later pull is one run too.
        behind = len(log) - len(before) - 1
        assert transactions.calls == singles + 1 + 1 + -(-max(behind - 499, 0) // 500)

        letters = feed.dead_letters()
        assert [(letter["notification_id"], letter["event"]) for letter in letters] == [
            (poison.id, "DemandAccepted")]
        # Every case opened and classified exactly once (a second application would make
        # version 3, or fail on the version); the poisoned acceptance's own case only opened.
        versions = case_versions(feed, demands)
        assert versions.pop(unharmed) == 1
        assert set(versions.values()) == {2}
        assert feed.catch_up(["intake"]) == 0
    finally:
        feed.close()


def test_a_run_whose_notifications_a_replica_recorded_meanwhile_fails_whole(platform, durable_config):
    demands, log = intake_log(platform)
    cut = log[len(log) // 2].id

    def read_to_cut(upstream, after, limit):
        return [m for m in log if after < m.id <= cut][:limit]

    def read(upstream, after, limit):
        return [m for m in log if m.id > after][:limit]

    replica, feed = open_application(PartnerFeed, durable_config), open_application(PartnerFeed, durable_config)
    try:
        replica.follow_upstreams(read_to_cut, retry_backoff=0)
        feed.follow_upstreams(read, retry_backoff=0)
        replica.catch_up(["intake"])
        assert feed.position("intake") == cut

        # The feed took its position before the replica moved it: its run from the start
        # must not be recorded over the replica's. (Here its events collide with the
        # replica's too: the feed's aggregates take their ids from the notification.)
        with pytest.raises(IntegrityError):
            feed.apply_all(log)
        # A run with no event to collide on is refused by the position check alone.
        with pytest.raises(IntegrityError):
            feed.recorder.insert_events([], tracking=Tracking("intake", log[-1].id),
                                        follows=("intake", log[0].id))
        assert feed.position("intake") == cut
        accepted = [m.data["demand_id"] for m in log if m.id <= cut and m.event == "DemandAccepted"]
        assert set(case_versions(feed, accepted).values()) == {2}

        assert feed.catch_up(["intake"]) == sum(m.id > cut for m in log)
        assert set(case_versions(feed, demands).values()) == {2}
    finally:
        replica.close()
        feed.close()


def test_an_aggregate_changed_twice_in_one_run_is_loaded_as_the_run_left_it(platform, config):
    demands, log = intake_log(platform)
    feed = open_application(PartnerFeed, config)
    try:
        feed.follow_upstreams(platform.read_log, retry_backoff=0)
        transactions = Counted(feed.recorder)
        # Each demand's case is opened, then classified, by two notifications of the same run.
        assert feed.catch_up(["intake"]) == len(log)
        assert transactions.calls == -(-len(log) // 500)
        assert set(case_versions(feed, demands).values()) == {2}
    finally:
        feed.close()


def test_the_archive_sets_a_poison_notification_in_a_run_aside_alone_and_files_the_rest_once(platform):
    demands, log = intake_log(platform)
    poison, read = poisoned_in_the_middle(log)
    archive = Archive(mongomock.MongoClient().db)
    archive.follow_upstreams(read, pull_limit=500, max_attempts=3, retry_backoff=0)
    for _ in range(3):  # the run and the poison's first try, its second, its third
        archive.catch_up(["intake"])
    assert archive.position("intake") == log[-1].id
    assert [(letter["notification_id"], letter["event"]) for letter in archive.dead_letters()] == [
        (poison.id, "DemandAccepted")]
    # Each dossier holds each of its demand's notifications once: the ones written by the
    # failed run were found written when applied again one by one.
    expected = Counter(m.data["demand_id"] for m in log if "demand_id" in m.data and m.id != poison.id)
    dossiers = archive.generation().dossiers
    assert {d: dossiers.find_one({"_id": d})["event_count"] for d in demands} == dict(expected)
    assert archive.generation().events.count_documents({}) == len(log) - 1
