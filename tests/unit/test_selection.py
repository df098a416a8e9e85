from collections import Counter
from datetime import date

from services.matching.selection import Profile, Request, exclusion, select

TODAY = date(2026, 11, 24)


def profile(id="a", **overrides):
    values = dict(id=id, categories=frozenset({"inspection_testing"}), parks=frozenset({"p1"}),
                  capacity=10, qualifications=({"type": "CMA", "scope": ["LED lamp"],
                                                "valid_from": date(2020, 1, 1),
                                                "valid_until": date(2030, 1, 1)},))
    values.update(overrides)
    return Profile(**values)


def request(**overrides):
    values = dict(category="inspection_testing", items=("led lamp",), park="p1", service_date=TODAY)
    values.update(overrides)
    return Request(**values)


def test_a_qualified_institution_is_eligible():
    assert exclusion(profile(), request()) is None


def test_each_hard_constraint_names_its_reason():
    assert exclusion(profile(), request(category="metrology")) == "does not serve category metrology"
    assert exclusion(profile(), request(park="p2")) == "does not serve park p2"
    assert exclusion(profile(open_assignments=10), request()) == "has no capacity left"
    assert exclusion(profile(), request(service_date=date(2031, 1, 1))) == \
        "has no qualification valid on the service date"
    assert exclusion(profile(), request(items=("LED lamp", "battery"))) == \
        "no valid qualification covers battery"


def test_an_expired_qualification_does_not_cover_items_a_valid_one_lacks():
    expired = {"type": "CMA", "scope": ["battery"], "valid_from": date(2010, 1, 1),
               "valid_until": date(2020, 1, 1)}
    candidate = profile(qualifications=profile().qualifications + (expired,))
    assert exclusion(candidate, request(items=("led lamp", "battery"))) == \
        "no valid qualification covers battery"


def test_no_items_needs_only_a_valid_qualification():
    assert exclusion(profile(), request(items=())) is None


def test_failure_reasons_count_institutions_per_reason():
    decision = select([profile("a", parks=frozenset({"x"})), profile("b", parks=frozenset({"y"}))],
                      request())
    assert decision.chosen is None
    assert decision.reasons() == ["2 institution(s): does not serve park p1"]
    assert select([], request()).reasons() == ["no institution is registered"]


def test_the_least_loaded_institution_wins():
    decision = select([profile("a", open_assignments=5), profile("b", open_assignments=1)], request())
    assert decision.chosen.id == "b"
    assert decision.candidates == 2


def test_work_spreads_evenly_among_equal_institutions():
    profiles = [profile(id) for id in "abc"]
    chosen = Counter()
    for _ in range(30):
        winner = select(profiles, request()).chosen
        winner.open_assignments += 1
        winner.assignments_total += 1
        chosen[winner.id] += 1
    assert chosen == {"a": 10, "b": 10, "c": 10}
