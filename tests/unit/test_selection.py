from collections import Counter
from datetime import date

import pytest

from services.matching.selection import Profile, Request, Weights, exclusion, score, select

TODAY = date(2026, 11, 24)


def qualification(**overrides):
    values = {"type": "CMA", "number": "CMA-1", "scope": ["LED lamp"], "status": "valid",
              "valid_from": date(2020, 1, 1), "valid_until": date(2030, 1, 1)}
    values.update(overrides)
    return values


def profile(id="a", **overrides):
    values = dict(id=id, categories=frozenset({"inspection_testing"}), parks=frozenset({"p1"}),
                  capacity=10, qualifications=(qualification(),))
    values.update(overrides)
    return Profile(**values)


def request(**overrides):
    values = dict(category="inspection_testing", items=("led lamp",), park="p1", service_date=TODAY,
                  required_types=("CMA", "CNAS"))
    values.update(overrides)
    return Request(**values)


def test_a_qualified_institution_is_eligible():
    assert exclusion(profile(), request()) is None


@pytest.mark.parametrize("changes, asked, reason", [
    ({"status": "suspended"}, {}, "is suspended"),
    ({"status": "exited"}, {}, "is exited"),
    ({}, {"category": "metrology", "required_types": ()}, "does not serve category metrology"),
    ({}, {"park": "p2"}, "does not serve park p2"),
    ({"open_assignments": 10}, {}, "has no capacity left"),
    ({}, {"service_date": date(2031, 1, 1)}, "has no qualification valid on the service date"),
    ({"qualifications": (qualification(status="suspended"),)}, {},
     "has no qualification valid on the service date"),
    ({"qualifications": (qualification(status="expired"),)}, {},
     "has no qualification valid on the service date"),
    ({"qualifications": (qualification(type="OTHER"),)}, {}, "has no valid CMA or CNAS qualification"),
    ({}, {"items": ("LED lamp", "battery")}, "no valid qualification covers battery"),
])
def test_each_hard_constraint_names_its_reason(changes, asked, reason):
    assert exclusion(profile(**changes), request(**asked)) == reason


def test_an_expired_qualification_does_not_cover_items_a_valid_one_lacks():
    expired = qualification(number="CMA-0", scope=["battery"], valid_from=date(2010, 1, 1),
                            valid_until=date(2019, 12, 31))
    candidate = profile(qualifications=(qualification(), expired))
    assert exclusion(candidate, request(items=("led lamp", "battery"))) == \
        "no valid qualification covers battery"


def test_no_items_needs_only_a_valid_qualification_of_the_required_kind():
    assert exclusion(profile(), request(items=())) is None
    assert exclusion(profile(qualifications=(qualification(type="CNAS"),)), request(items=())) is None


def test_the_score_weighs_load_home_park_feedback_and_reliability():
    weights = Weights()
    total, components = score(profile(open_assignments=5, home_park="p1", satisfaction=0.9,
                                      offers=10, refusals=2), request(), weights)
    assert components == {"load": 0.5, "home_park": 1.0, "satisfaction": 0.9, "on_time": 0.8,
                          "reliability": 0.8}
    assert total == pytest.approx(0.4 * 0.5 + 0.1 + 0.2 * 0.9 + 0.1 * 0.8 + 0.2 * 0.8)


def test_the_best_score_wins_and_every_candidate_is_explained():
    decision = select([profile("a", open_assignments=8), profile("b", home_park="p1"),
                       profile("c", parks=frozenset({"p9"}))], request())
    assert decision.chosen.id == "b"
    assert decision.candidates == 2
    lines = {line["institution_id"]: line for line in decision.explanation}
    assert lines["c"] == {"institution_id": "c", "eligible": False,
                          "reason": "does not serve park p1", "score": None, "components": None}
    assert lines["a"]["eligible"] and lines["a"]["score"] < lines["b"]["score"]


def test_failure_reasons_count_institutions_per_reason():
    decision = select([profile("a", parks=frozenset({"x"})), profile("b", parks=frozenset({"y"}))],
                      request())
    assert decision.chosen is None
    assert decision.reasons() == ["2 institution(s): does not serve park p1"]
    assert select([], request()).reasons() == ["no institution serves this category"]


def test_work_spreads_evenly_among_near_equal_institutions():
    profiles = [profile(id, capacity=50) for id in "abc"]
    chosen, sequence = Counter(), 0
    for _ in range(30):
        winner = select(profiles, request()).chosen
        sequence += 1
        winner.open_assignments += 1
        winner.assignments_total += 1
        winner.last_assigned = sequence
        chosen[winner.id] += 1
    assert chosen == {"a": 10, "b": 10, "c": 10}


def test_weights_come_from_configuration_and_unknown_components_are_refused():
    weights = Weights.from_config({"weights": {"load": 1.0, "home_park": 0}, "tie_margin": 0.1})
    assert (weights.load, weights.home_park, weights.tie_margin) == (1.0, 0.0, 0.1)
    with pytest.raises(ValueError):
        Weights.from_config({"weights": {"price": 1}})
