"""The whole event path without a broker: each application follows the others' logs directly.

The same tests run against the in-memory, SQLite and PostgreSQL event stores.
"""
import json
import uuid

import pytest

from services.matching.application import Matching
from shared.contracts import contract_for
from shared.errors import Invalid, NotFound
from tests import factories
from tests.conftest import evaluation_month
from tests.unit.conftest import OPERATOR

SPECIALIST = {"role": "specialist", "subject": "s-1"}


def test_a_demand_is_assigned_to_the_qualified_institution_and_archived(platform):
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    unqualified = matching.register_institution(factories.institution(parks=["elsewhere"]), OPERATOR)
    qualified = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    demand = intake.submit_demand(factories.demand(), SPECIALIST)
    assert demand["status"] == "accepted"

    platform.settle()

    shown = intake.demand(demand["id"], SPECIALIST)
    assert shown["status"] == "assigned"
    assert shown["assignment"]["institution_id"] == qualified["id"] != unqualified["id"]
    dossier = platform.archive.dossier(demand["id"])
    assert [e["name"] for e in dossier["events"]] == [
        "DemandSubmitted", "DemandAccepted", "MatchingStarted", "AssignmentOffered",
        "InstitutionAssigned", "DemandAssigned"]
    assert dossier["station_id"] == shown["station_id"]
    assert dossier["status"] == "assigned"
    period = evaluation_month(demand["submitted_at"])
    evaluation, supervisor = platform.apps["evaluation"], {"role": "supervisor", "subject": "x"}
    figures = evaluation.figures("category:inspection_testing", period, supervisor)["figures"]
    assert figures["demands_submitted"] == 1 and figures["assignments"] == 1
    served = evaluation.figures(f"institution:{qualified['id']}", period, supervisor)["figures"]
    assert served["offers"] == served["offers_accepted"] == served["assignments"] == 1
    assert evaluation.figures(f"institution:{unqualified['id']}", period, supervisor)["figures"] == {}


def test_every_published_message_keeps_its_contract(platform):
    platform.apps["matching"].register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    platform.apps["intake"].submit_demand(factories.demand(), SPECIALIST)
    platform.apps["intake"].submit_demand(factories.demand(category="metrology"), SPECIALIST)
    platform.settle()
    published = [m for service in platform.apps for m in platform.read_log(service, 0, 1000)]
    assert {m.event for m in published} >= {
        "StationRegistered", "SpecialistJoined", "DemandSubmitted", "DemandAccepted",
        "DemandAssigned", "DemandMatchingFailed", "InstitutionRegistered", "MatchingStarted",
        "InstitutionAssigned", "MatchingFailed", "FiguresRecorded", "ServiceCaseOpened",
            "StationFollowed", "OfferRoundFollowed"}
    for message in published:
        terms = contract_for(message.event)
        assert message.schema_version == terms.version
        assert terms.schema().validate(message.data) == {}, message
        assert set(message.data) == set(terms.schema().fields), message


def test_no_candidate_gives_matching_failed_with_reasons(platform):
    platform.apps["matching"].register_institution(
        factories.institution(categories=["metrology"]), SPECIALIST, station=factories.PANYU)
    demand = platform.apps["intake"].submit_demand(factories.demand(), SPECIALIST)
    platform.settle()
    shown = platform.apps["intake"].demand(demand["id"], SPECIALIST)
    assert shown["status"] == "matching_failed"
    assert shown["unmatched_reasons"] == ["no institution serves this category"]

    platform.apps["matching"].register_institution(factories.institution(parks=["elsewhere"]), OPERATOR)
    again = platform.apps["intake"].submit_demand(factories.demand(), SPECIALIST)
    platform.settle()
    assert platform.apps["intake"].demand(again["id"], SPECIALIST)["unmatched_reasons"] == [
        "1 institution(s): does not serve park panyu-energy-park"]


def test_redelivered_notifications_change_nothing(platform):
    platform.apps["matching"].register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    platform.apps["intake"].submit_demand(factories.demand(), SPECIALIST)
    platform.settle()
    before = {name: app.last_notification_id() for name, app in platform.apps.items()}
    dossiers = json.dumps(platform.archive.dossiers(), sort_keys=True)
    for follower in [*platform.apps.values(), platform.archive]:
        for upstream in follower.upstreams:
            for message in platform.read_log(upstream, 0, 1000):
                follower.receive(message)
    assert {name: app.last_notification_id() for name, app in platform.apps.items()} == before
    assert json.dumps(platform.archive.dossiers(), sort_keys=True) == dossiers


def test_archive_rebuild_reproduces_every_dossier(platform):
    platform.apps["matching"].register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    for _ in range(5):
        platform.apps["intake"].submit_demand(factories.demand(), SPECIALIST)
    platform.apps["intake"].submit_demand(factories.demand(category="metrology"), SPECIALIST)
    platform.settle()
    live = platform.archive.dossiers()
    assert len(live) == 6

    replayed = platform.archive.rebuild(platform.read_log)

    assert replayed == sum(len(platform.read_log(s, 0, 1000)) for s in platform.apps)
    assert platform.archive.dossiers() == live


def test_bad_input_is_refused_and_stores_nothing(platform):
    intake = platform.apps["intake"]
    with pytest.raises(Invalid) as refused:
        intake.submit_demand(factories.demand(category="astrology", items="x"), SPECIALIST)
    assert set(refused.value.fields) == {"category", "items"}
    with pytest.raises(Invalid) as refused:
        platform.apps["matching"].register_institution(factories.institution(
            capacity=-1, qualifications=[{"type": "CMA", "number": "1", "scope": [],
                                          "valid_from": "2025-01-01", "valid_until": "2024-01-01"}]),
            SPECIALIST, station=factories.PANYU)
    assert set(refused.value.fields) == {"capacity", "qualifications"}
    assert set(refused.value.fields["qualifications"][0]) == {"scope", "valid_until"}
    # the station, its specialist and the conformity that moved, nothing more
    assert intake.last_notification_id() == 3
    assert platform.apps["matching"].last_notification_id() == 0
    with pytest.raises(NotFound):
        intake.demand(str(uuid.uuid4()), SPECIALIST)
    with pytest.raises(NotFound):
        intake.demand("not-a-uuid", SPECIALIST)


def test_a_reaction_that_keeps_failing_is_dead_lettered_and_the_stream_moves_on(platform, monkeypatch):
    matching = platform.apps["matching"]
    matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    poison = platform.apps["intake"].submit_demand(factories.demand(title="poison"), SPECIALIST)
    healthy = platform.apps["intake"].submit_demand(factories.demand(), SPECIALIST)
    original = Matching._on_demand_accepted

    def fail_on_poison(self, message, data, processing):
        if str(data["demand_id"]) == poison["id"]:
            raise RuntimeError("cannot match this one")
        return original(self, message, data, processing)

    monkeypatch.setattr(Matching, "_on_demand_accepted", fail_on_poison)
    for _ in range(4):  # max_attempts defaults to 5
        matching.catch_up()
    intake = platform.apps["intake"]
    assert intake.demand(healthy["id"], SPECIALIST)["status"] == "accepted"  # waits behind it
    assert matching.dead_letters() == []
    platform.settle()
    assert intake.demand(healthy["id"], SPECIALIST)["status"] == "assigned"
    assert intake.demand(poison["id"], SPECIALIST)["status"] == "accepted"
    letters = matching.dead_letters()
    assert [(d["upstream"], d["event"], d["replayed"]) for d in letters] == [
        ("intake", "DemandAccepted", False)]
    assert "cannot match this one" in letters[0]["error"]

    # Replayed while the bug is still there: it fails again and stays set aside.
    [again] = matching.replay_dead_letters("ops-1")
    assert again["outcome"] == "failed" and "cannot match this one" in again["error"]
    assert matching.dead_letters()[0]["replayed"] is False

    monkeypatch.undo()  # the fix is deployed
    assert [o["outcome"] for o in matching.replay_dead_letters("ops-1")] == ["replayed"]
    platform.settle()
    assert intake.demand(poison["id"], SPECIALIST)["status"] == "assigned"
    assert matching.dead_letters()[0]["replayed"] is True
    assert matching.replay_dead_letters("ops-1") == []  # once only
    assert [e["name"] for e in platform.archive.dossier(poison["id"])["events"]].count(
        "InstitutionAssigned") == 1


def test_dead_letters_page_by_key_and_a_replay_reads_them_a_page_at_a_time(platform, monkeypatch):
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    poisoned = [intake.submit_demand(factories.demand(title=f"poison {n}"), SPECIALIST)["id"]
                for n in range(3)]
    original = Matching._on_demand_accepted

    def fail_on_poison(self, message, data, processing):
        if str(data["demand_id"]) in poisoned:
            raise RuntimeError("cannot match this one")
        return original(self, message, data, processing)

    monkeypatch.setattr(Matching, "_on_demand_accepted", fail_on_poison)
    for _ in range(3 * 5):  # five tries each
        matching.catch_up()
    every = matching.dead_letters()
    assert [(d["upstream"], d["event"]) for d in every] == [("intake", "DemandAccepted")] * 3
    ids = [d["notification_id"] for d in every]
    assert ids == sorted(ids)

    first = matching.dead_letters(limit=2)
    rest = matching.dead_letters(after=("intake", first[-1]["notification_id"]), limit=2)
    assert first + rest == every and len(rest) == 1
    assert matching.dead_letters(after=("intake", ids[-1])) == []
    assert matching.dead_letters(after=("archive", 10**9)) == every  # "archive" < "intake"
    assert matching.dead_letters(replayed=True) == []

    monkeypatch.undo()  # the fix is deployed: one replayed alone, then the rest a page at a time
    [one] = matching.replay_dead_letters("ops-1", "intake", ids[1])
    assert one["outcome"] == "replayed"
    assert [d["notification_id"] for d in matching.dead_letters(replayed=True)] == [ids[1]]
    assert [d["notification_id"] for d in matching.dead_letters(replayed=False)] == [ids[0], ids[2]]
    matching.letters_page = 1
    assert [o["notification_id"] for o in matching.replay_dead_letters("ops-1")] == [ids[0], ids[2]]
    assert matching.dead_letters(replayed=False) == []
    platform.settle()
    assert {intake.demand(d, SPECIALIST)["status"] for d in poisoned} == {"assigned"}


def test_a_dead_letter_of_the_archive_is_replayed_into_its_dossier(platform, monkeypatch):
    from services.archive.projection import Archive

    platform.apps["matching"].register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    demand = platform.apps["intake"].submit_demand(factories.demand(), SPECIALIST)
    original = Archive._add_to_dossier

    def fail_on_acceptance(self, generation, demand_id, entries):
        if any(entry["name"] == "DemandAccepted" for entry in entries):
            raise RuntimeError("cannot file this one")
        return original(self, generation, demand_id, entries)

    monkeypatch.setattr(Archive, "_add_to_dossier", fail_on_acceptance)
    for _ in range(6):
        platform.settle()
    assert [(d["event"], d["replayed"]) for d in platform.archive.dead_letters()] == [
        ("DemandAccepted", False)]
    names = lambda: [e["name"] for e in platform.archive.dossier(demand["id"])["events"]]
    assert "DemandAccepted" not in names() and "DemandAssigned" in names()

    assert platform.archive.dead_letters(replayed=True) == []
    assert platform.archive.dead_letters(after=("intake", 10**9)) == []

    monkeypatch.undo()
    assert [o["outcome"] for o in platform.archive.replay_dead_letters("ops-1")] == ["replayed"]
    assert platform.archive.dead_letters(replayed=False) == []
    assert names().count("DemandAccepted") == 1
    assert platform.archive.dead_letters()[0]["replayed"] is True
    assert platform.archive.verify(demand["id"])["intact"]


def test_a_reaction_that_loses_a_race_for_an_aggregate_is_retried_not_dead_lettered(platform, monkeypatch):
    """Evaluation's reactions and its commands update the same service case. The loser of a
    race must reload and apply again, not count as a failed try (nor count twice)."""
    from services.evaluation.application import Evaluation
    from services.evaluation.cases import ServiceCase

    evaluation = platform.apps["evaluation"]
    demand = platform.apps["intake"].submit_demand(factories.demand(), SPECIALIST)
    original = Evaluation._on_demand_assessed
    raced = []

    def lose_the_race_once(self, message, data, processing):
        original(self, message, data, processing)
        if not raced:  # meanwhile another writer commits to the same case
            raced.append(message.event)
            rival = self.repository.get(ServiceCase.create_id(data["demand_id"]))
            rival.paused(data["at"])
            self.save(rival)

    monkeypatch.setattr(Evaluation, "_on_demand_assessed", lose_the_race_once)
    platform.settle()

    assert raced == ["DemandAccepted"]
    figures = evaluation.figures("all", evaluation_month(demand["submitted_at"]),
                                 {"role": "supervisor", "subject": "x"})
    assert figures["figures"]["demands_submitted"] == 1
    assert figures["figures"]["first_responses"] == 1 and figures["figures"]["assessments"] == 1
    assert evaluation.dead_letters() == []


def test_a_notification_no_reaction_takes_is_passed_without_a_commit_and_read_again_after_a_restart(
        durable_config, clock):
    """Commits counted, not timed: a follower commits once for each notification it reacts to,
    the ones it does not react to ride on the next such commit (or on one of their own every
    ``quiet_positions``), and a restart that forgot them passes them again, changing nothing."""
    from shared.eventstore import open_application
    from tests.unit.conftest import OPERATOR, Platform

    platform = Platform(durable_config, clock)
    intake, matching = platform.apps["intake"], platform.apps["matching"]
    matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    platform.settle()
    tracked = []  # the upstream notifications each of matching's commits tracks
    insert_events, insert_tracking = matching.recorder.insert_events, matching.recorder.insert_tracking

    def counted_events(stored_events, **kwargs):
        if kwargs.get("tracking") is not None:
            tracked.append((kwargs["tracking"].application_name, kwargs["tracking"].notification_id))
        return insert_events(stored_events, **kwargs)

    def counted_tracking(tracking):
        tracked.append((tracking.application_name, tracking.notification_id))
        return insert_tracking(tracking)

    matching.recorder.insert_events, matching.recorder.insert_tracking = counted_events, counted_tracking
    start = matching.position("intake")
    for _ in range(3):
        intake.submit_demand(factories.demand(), SPECIALIST)
    platform.settle()
    notifications = intake.log(start, 1000)
    reacted = [m.id for m in notifications if m.event in Matching.reactions]
    assert reacted and len(reacted) < len(notifications)  # DemandSubmitted is not matching's
    assert [n for upstream, n in tracked if upstream == "intake"] == reacted
    assert matching.position("intake") == notifications[-1].id

    # Quiet stretches are recorded every quiet_positions notifications passed in a row.
    matching.quiet_positions, tracked[:] = 2, []
    intake.add_specialist(platform.station["id"], factories.specialist("s-2"), OPERATOR)
    intake.add_specialist(platform.station["id"], factories.specialist("s-3"), OPERATOR)
    intake.add_specialist(platform.station["id"], factories.specialist("s-4"), OPERATOR)
    platform.settle()
    passed = [m.id for m in intake.log(notifications[-1].id, 1000)]
    # three specialists joined, and the first of them moved the station's conformity (two on staff)
    assert len(passed) == 4
    in_a_row = len([m for m in notifications if m.id > reacted[-1]])  # passed since the last commit
    recorded = []
    for notification_id in passed:
        in_a_row += 1
        if in_a_row >= 2:
            recorded.append(("intake", notification_id))
            in_a_row = 0
    assert [t for t in tracked if t[0] == "intake"] == recorded and recorded
    stored = matching.recorder.max_tracking_id("intake")
    assert stored == recorded[-1][1] and matching.position("intake") == passed[-1]

    # A restart knows only the stored position: it reads the last one again and passes it.
    events = matching.last_notification_id()
    restarted = open_application(Matching, durable_config)
    restarted.clock = clock
    restarted.follow_upstreams(platform.read_log, retry_backoff=0)
    assert restarted.position("intake") == stored
    assert restarted.catch_up(["intake"]) == len(intake.log(stored, 1000))
    assert restarted.position("intake") == passed[-1] and restarted.last_notification_id() == events
    restarted.close()
    platform.close()
