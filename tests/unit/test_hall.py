"""The demand hall on a controlled clock: a listed demand waits for its window, goes to the
interested institution, refuses the ineligible with the reason, and never shows who asks."""
from datetime import date

import pytest

from services.matching.selection import Profile, Request, Weights, score
from shared.errors import Conflict, NotFound
from tests import factories
from tests.unit.conftest import OPERATOR

SPECIALIST = {"role": "specialist", "subject": "s-1"}
SUPERVISOR = {"role": "supervisor", "subject": "regulator-1"}
PARK = factories.PARK


def institution_of(shown):
    return {"role": "institution", "subject": shown["id"]}


def open_hall(platform, categories=("inspection_testing",), window_hours=4):
    platform.apps["intake"].change_station_settings(platform.station["id"], {
        "hall": {"categories": list(categories), "window_hours": window_hours},
        "reason": "institutions may show interest first"}, OPERATOR)


def register(platform, **overrides):
    return platform.apps["matching"].register_institution(
        factories.institution(**overrides), SPECIALIST, station=factories.PANYU)


def submitted(platform, **overrides):
    demand = platform.apps["intake"].submit_demand(factories.demand(**overrides), SPECIALIST)
    platform.settle()
    return demand


def test_a_listed_demand_waits_for_its_window_and_goes_to_the_interested_institution(platform):
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    open_hall(platform)  # Monday 09:00: 4 working hours end at 14:30 (lunch 12:00-13:30)
    favoured = register(platform, name="Home Lab", home_park=PARK)
    keen = register(platform, name="Keen Lab")
    demand = submitted(platform)

    assert intake.demand(demand["id"], SPECIALIST)["status"] == "accepted"
    (listed,) = matching.hall({}, institution_of(keen))["items"]
    assert listed["demand_id"] == demand["id"] and listed["closes_at"] == "2026-11-30T06:30:00+00:00"
    assert listed["seconds_left"] == 5.5 * 3600 and listed["interest_count"] == 0
    assert listed["exclusion"] is None and listed["my_interest"] is None
    assert not {"enterprise", "title", "description", "attachments"} & set(listed)

    shown = matching.express_interest(demand["id"], {"note": "we test LED lamps weekly",
                                                     "proposed_date": "2026-12-10"}, institution_of(keen))
    assert shown["interest_count"] == 1 and shown["my_interest"]["note"] == "we test LED lamps weekly"
    with pytest.raises(Conflict):
        matching.express_interest(demand["id"], {"note": "again"}, institution_of(keen))
    assert matching.hall({}, institution_of(favoured))["items"][0]["my_interest"] is None

    platform.clock.set("2026-11-30T14:29")
    assert matching.check_hall() == 0
    platform.clock.set("2026-11-30T14:30")
    assert matching.check_hall() == 1
    platform.settle()

    assigned = intake.demand(demand["id"], SPECIALIST)
    assert assigned["status"] == "assigned" and assigned["assignment"]["institution_id"] == keen["id"]
    explained = matching.explanation(demand["id"])
    (decision,) = explained["rounds"]
    assert decision["interested"] == [keen["id"]]
    components = {line["institution_id"]: line["components"] for line in decision["candidates"]}
    assert components[keen["id"]]["interest"] == 1.0 and components[favoured["id"]]["interest"] == 0.0
    assert explained["hall"]["open"] is False and explained["hall"]["closed_because"] == "the window ended"
    assert [i["name"] for i in explained["hall"]["interests"]] == ["Keen Lab"]
    assert matching.hall({}, institution_of(keen))["items"] == []
    with pytest.raises(Conflict):
        matching.express_interest(demand["id"], {"note": "late"}, institution_of(favoured))


def test_an_ineligible_institution_is_refused_with_the_reason_in_chinese(platform):
    matching = platform.apps["matching"]
    open_hall(platform)
    narrow = register(platform, qualifications=[{
        "type": "CMA", "number": "CMA-9", "scope": ["GB 7000.1"],
        "valid_from": "2021-01-01", "valid_until": "2099-12-31"}])
    elsewhere = matching.register_institution(factories.institution(parks=["other-park"]), OPERATOR)
    demand = submitted(platform)

    (listed,) = matching.hall({}, institution_of(narrow))["items"]
    assert listed["exclusion"] == "机构没有覆盖以下项目的有效资质：LED lamp"
    with pytest.raises(Conflict) as refused:
        matching.express_interest(demand["id"], {"note": "we could"}, institution_of(narrow))
    assert "机构没有覆盖以下项目的有效资质：LED lamp" in refused.value.args[0]
    assert refused.value.details["exclusion"] == "no valid qualification covers LED lamp"
    assert matching.hall({}, institution_of(elsewhere))["items"] == []  # not its park
    with pytest.raises(NotFound):
        matching.hall_demand(demand["id"], institution_of(elsewhere))


def test_interest_is_withdrawn_before_the_window_closes_and_a_withdrawn_demand_leaves_the_hall(platform):
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    open_hall(platform)
    lab = register(platform)
    demand = submitted(platform)
    matching.express_interest(demand["id"], {"note": "yes"}, institution_of(lab))
    shown = matching.withdraw_interest(demand["id"], institution_of(lab))
    assert shown["interest_count"] == 0 and shown["my_interest"] is None
    with pytest.raises(Conflict):
        matching.withdraw_interest(demand["id"], institution_of(lab))

    enterprise = {"role": "enterprise", "subject": factories.credit_code()}
    other = intake.submit_demand(factories.demand(enterprise["subject"], channel="online"), enterprise)
    platform.settle()
    assert len(matching.hall({}, SPECIALIST, factories.PANYU)["items"]) == 2
    intake.withdraw(other["id"], {"reason": "solved"}, enterprise)
    platform.settle()
    assert [i["demand_id"] for i in matching.hall({}, SUPERVISOR)["items"]] == [demand["id"]]
    assert matching.explanation(other["id"])["hall"]["closed_because"] == "the demand was withdrawn"


def test_other_categories_and_a_reclassification_are_matched_at_once(platform):
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    open_hall(platform, categories=["metrology"])
    lab = register(platform)
    demand = submitted(platform)
    shown = intake.demand(demand["id"], SPECIALIST)
    assert shown["status"] == "assigned" and shown["assignment"]["institution_id"] == lab["id"]
    (decision,) = matching.explanation(demand["id"])["rounds"]
    assert "interest" not in decision["candidates"][0]["components"] and decision["interested"] == []
    assert matching.explanation(demand["id"])["hall"] is None

    open_hall(platform, categories=["inspection_testing"])
    listed = submitted(platform)
    assert intake.demand(listed["id"], SPECIALIST)["status"] == "accepted"
    intake.assess(listed["id"], {"decision": "accept", "category": "metrology", "reason": "calibration"},
                  SPECIALIST)
    platform.settle()
    assert matching.hall({}, SUPERVISOR)["items"] == []
    assert matching.explanation(listed["id"])["hall"]["closed_because"] == "the demand was reassessed"


def test_a_specialist_closes_the_hall_early_and_matching_decides_then(platform):
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    open_hall(platform)
    lab = register(platform)
    demand = submitted(platform)
    closed = matching.close_hall(demand["id"], SPECIALIST, factories.PANYU)
    assert closed["open"] is False and closed["closed_because"] == "closed early by the station"
    platform.settle()
    assert intake.demand(demand["id"], SPECIALIST)["assignment"]["institution_id"] == lab["id"]
    with pytest.raises(Conflict):
        matching.close_hall(demand["id"], SPECIALIST, factories.PANYU)


def test_interest_scores_only_for_a_demand_that_waited_in_the_hall():
    profile = Profile(id="a", categories=frozenset({"metrology"}), parks=frozenset({PARK}),
                      capacity=4, qualifications=())
    plain = Request("metrology", (), PARK, date(2026, 12, 1))
    listed = Request("metrology", (), PARK, date(2026, 12, 1), hall=True, interested=frozenset({"a"}))
    total, components = score(profile, plain, Weights())
    assert "interest" not in components
    interested_total, components = score(profile, listed, Weights())
    assert components["interest"] == 1.0 and interested_total == pytest.approx(total + 0.3)
    assert Weights.from_config({"weights": {"interest": 0.5}}).interest == 0.5


def test_the_halls_events_keep_their_contracts(platform):
    from shared.contracts import contract_for
    matching = platform.apps["matching"]
    open_hall(platform)
    lab = register(platform)
    demand = submitted(platform)
    matching.express_interest(demand["id"], {"note": "yes"}, institution_of(lab))
    matching.withdraw_interest(demand["id"], institution_of(lab))
    matching.express_interest(demand["id"], {"note": "yes again"}, institution_of(lab))
    platform.clock.set("2026-11-30T15:00")
    matching.check_hall()
    platform.settle()
    published = [m for service in ("intake", "matching") for m in platform.read_log(service, 0, 1000)]
    assert {"HallOpened", "InterestExpressed", "InterestWithdrawn", "HallClosed"} <= {m.event for m in published}
    for message in published:
        terms = contract_for(message.event)
        assert terms.schema().validate(message.data) == {}, message
        assert set(message.data) == set(terms.schema().fields), message
