"""Scoring functions, configuration validation, periods and the ledger, without any service."""
from datetime import date

import pytest

from services.evaluation.indicators import Context
from services.evaluation.ledger import Entries, Period, Tally
from services.evaluation.scoring import Configuration
from shared.errors import Invalid
from shared.readmodel import Statement


def configuration(*indicators, dimensions=None, version="t-1", **minimums):
    """A configuration scoring however few cases there are, unless ``minimums`` say otherwise."""
    return Configuration.load({
        "version": version, "minimum_sample": 0, "minimum_cases": 0, **minimums,
        "grades": [{"grade": "good", "min": 80}, {"grade": "fair", "min": 50}, {"grade": "poor", "min": 0}],
        "improvement": {"grades": ["poor"], "indicator_below": 50, "due_days": 10},
        "dimensions": dimensions or [{"id": "d", "name": "D", "weight": 1, "indicators": list(indicators)}],
    })


def context(scope="all", days=30, **figures):
    return Context(scope=scope, figures=figures, days=days, institutions={}, checklists={}, park=None)


def scores(scored):
    return {line["id"]: line["score"] for d in scored["dimensions"] for line in d["indicators"]}


def test_linear_scores_run_between_floor_and_target_either_way_and_are_clamped():
    rising = configuration({"id": "satisfaction_rate", "weight": 1, "linear": {"floor": 0.6, "target": 1}})
    falling = configuration({"id": "first_response_hours", "weight": 1, "linear": {"floor": 4, "target": 1}})
    assert scores(rising.score(context(feedback=10, feedback_satisfied=8)))["satisfaction_rate"] == 50
    assert scores(rising.score(context(feedback=10, feedback_satisfied=5)))["satisfaction_rate"] == 0
    assert scores(falling.score(context(first_responses=2, first_response_hours=4)))["first_response_hours"] == pytest.approx(66.67)
    assert scores(falling.score(context(first_responses=1, first_response_hours=0.5)))["first_response_hours"] == 100


def test_too_few_cases_are_not_scored_and_too_small_a_scope_gets_no_grade():
    rate = {"id": "satisfaction_rate", "weight": 1, "linear": {"floor": 0.6, "target": 1}}
    strict = configuration(rate, {"id": "demand_volume", "weight": 1, "linear": {"floor": 0, "target": 30}},
                           minimum_sample=5, minimum_cases=10)
    few = strict.score(context(demands_submitted=12, feedback=4, feedback_satisfied=4))
    (line,) = [l for d in few["dimensions"] for l in d["indicators"] if l["id"] == "satisfaction_rate"]
    assert line["value"] == 1 and line["sample"] == 4 and line["too_few_cases"] and line["score"] is None
    assert "satisfaction_rate" in few["not_scored"] and few["grade"] is not None
    enough = strict.score(context(demands_submitted=12, feedback=5, feedback_satisfied=5))
    assert scores(enough)["satisfaction_rate"] == 100 and enough["insufficient_data"] is None
    # A quarter with one demand, however well it went, is not graded.
    one = strict.score(context(days=90, demands_submitted=1, feedback=1, feedback_satisfied=1))
    assert one["total"] is None and one["grade"] is None
    assert one["insufficient_data"] == {"cases": 1, "minimum_cases": 10}
    # An indicator may ask for more than the configuration's minimum.
    stricter = configuration(dict(rate, minimum_sample=8), minimum_sample=5, minimum_cases=0)
    assert stricter.score(context(feedback=6, feedback_satisfied=6))["not_scored"] == ["satisfaction_rate"]
    for bad in ({"minimum_cases": -1}, {"minimum_sample": 2.5}, {"minimum_sample": True}):
        with pytest.raises(Invalid):
            configuration(rate, **bad)
    with pytest.raises(Invalid):
        configuration(dict(rate, minimum_sample="five"))


def test_count_targets_per_30_days_scale_with_the_period():
    volume = configuration({"id": "demand_volume", "weight": 1,
                            "linear": {"floor": 0, "target": 30, "per_30_days": True}})
    assert volume.score(context(days=30, demands_submitted=15))["total"] == 50
    assert volume.score(context(days=90, demands_submitted=15))["total"] == pytest.approx(16.67)


def test_bands_and_yes_no():
    banded = configuration({"id": "complaint_rate", "weight": 1,
                            "banded": [{"max": 1, "score": 100}, {"max": 3, "score": 70}]})
    assert banded.score(context(complaints=2, demands_submitted=100))["total"] == 70
    assert banded.score(context(complaints=9, demands_submitted=100))["total"] == 0
    strict = configuration({"id": "qualification_compliance", "weight": 1, "yes_no": {"at_least": 1}})
    assert strict.score(context(assignments=4, assignments_compliant=4))["total"] == 100
    assert strict.score(context(assignments=4, assignments_compliant=3))["total"] == 0


def test_an_indicator_without_data_is_not_scored_and_its_weight_goes_to_the_others():
    both = configuration(
        {"id": "satisfaction_rate", "weight": 3, "linear": {"floor": 0, "target": 1}},
        {"id": "on_time_rate", "weight": 1, "linear": {"floor": 0, "target": 1}})
    scored = both.score(context(feedback=4, feedback_satisfied=3))  # nothing completed with a date
    assert scored["not_scored"] == ["on_time_rate"]
    assert scored["total"] == 75 and scored["grade"] == "fair"
    assert both.score(context())["total"] is None and both.score(context())["grade"] is None


def test_weights_change_the_total_but_not_the_figures():
    figures = {"feedback": 10, "feedback_satisfied": 9, "completions_dated": 10, "completions_on_time": 5}
    lines = [{"id": "satisfaction_rate", "weight": 1, "linear": {"floor": 0, "target": 1}},
             {"id": "on_time_rate", "weight": 1, "linear": {"floor": 0, "target": 1}}]
    even = configuration(*lines).score(context(**figures))
    lines[1] = {**lines[1], "weight": 3}
    skewed = configuration(*lines).score(context(**figures))
    assert even["total"] == 70 and skewed["total"] == 60
    assert scores(even) == scores(skewed)


def test_improvements_are_the_low_indicators_of_a_poor_grade():
    config = configuration({"id": "satisfaction_rate", "weight": 1, "linear": {"floor": 0, "target": 1}},
                           {"id": "mean_score", "weight": 1, "linear": {"floor": 0, "target": 5}})
    poor = config.score(context(feedback=10, feedback_satisfied=1, feedback_score=40))
    assert poor["grade"] == "poor"
    assert [line["id"] for line in config.improvements(poor)] == ["satisfaction_rate"]


def test_the_shipped_default_covers_every_indicator_and_is_marked_provisional():
    from services.evaluation.indicators import INDICATORS
    default = Configuration.default()
    assert "provisional" in default.version
    # management_checklist (construction facts before the checklist) gave way to station_conformity
    assert {line["id"] for line in default.indicators} == set(INDICATORS) - {"management_checklist"}
    shipped = Configuration.shipped()
    assert list(shipped)[-1] == default.version
    assert "management_checklist" in {line["id"] for line in shipped["2026.1-provisional"].indicators}
    assert "instrument_hours" not in {line["id"] for line in shipped["2026.2-provisional"].indicators}
    assert list(shipped) == ["2026.1-provisional", "2026.2-provisional", "2026.3-provisional"]


def test_a_station_is_scored_by_the_share_of_its_requirements_met_and_conforms_only_when_all_are():
    from services.evaluation.indicators import INDICATORS, Context
    station = "3a9e2c71-0000-4000-8000-000000000001"
    def context(scope, **conformity):
        return Context(scope=scope, figures={}, days=30, institutions={}, checklists={}, park=None,
                       conformity=conformity)
    value = INDICATORS["station_conformity"].value
    assert value(context(f"station:{station}")) is None  # nothing recorded: not scored
    failing = {"status": "non_conforming", "met": 12, "total": 15}
    assert value(context(f"station:{station}", **{station: failing})) == pytest.approx(0.8)
    assert value(context("all", a=failing, b={"status": "conforming", "met": 15, "total": 15})) == 0.5
    line = {"id": "station_conformity", "weight": 2, "yes_no": {"at_least": 1}}
    scored = Configuration.default().score(context(f"station:{station}", **{station: failing}))
    shown = {l["id"]: l for d in scored["dimensions"] for l in d["indicators"]}
    assert [i for d in Configuration.default().document["dimensions"] for i in d["indicators"]
            if i["id"] == "station_conformity"] == [line]
    assert shown["station_conformity"]["value"] == pytest.approx(0.8)
    assert shown["station_conformity"]["score"] == 0


@pytest.mark.parametrize("change, where", [
    ({"version": ""}, "version"),
    ({"grades": [{"grade": "a", "min": 10}, {"grade": "b", "min": 20}]}, "grades[1].min"),
    ({"improvement": {"grades": ["z"], "indicator_below": 50, "due_days": 10}}, "improvement.grades"),
    ({"dimensions": [{"id": "d", "name": "D", "weight": 0, "indicators": [
        {"id": "staff", "weight": 1, "yes_no": {"at_least": 1}}]}]}, "dimensions[0].weight"),
    ({"dimensions": [{"id": "d", "name": "D", "weight": 1, "indicators": [
        {"id": "happiness", "weight": 1, "yes_no": {"at_least": 1}}]}]}, "dimensions[0].indicators[0].id"),
    ({"dimensions": [{"id": "d", "name": "D", "weight": 1, "indicators": [
        {"id": "staff", "weight": 1, "linear": {"floor": 1, "target": 1}}]}]}, "dimensions[0].indicators[0].linear"),
    ({"dimensions": [{"id": "d", "name": "D", "weight": 1, "indicators": [
        {"id": "staff", "weight": 1}]}]}, "dimensions[0].indicators[0]"),
    ({"colour": "red"}, "colour"),
    ({"grades": [{"grade": ["A"], "min": 0}]}, "grades[0]"),
    ({"grades": [{"grade": "A", "min": 50}]}, "grades[0].min"),
    ({"improvement": {"grades": [{}], "indicator_below": 50, "due_days": 10}}, "improvement.grades"),
    ({"improvement": {"grades": ["D"], "indicator_below": 50, "due_days": True}}, "improvement.due_days"),
    ({"dimensions": [{"id": "d", "name": "D", "weight": float("inf"), "indicators": [
        {"id": "staff", "weight": 1, "yes_no": {"at_least": 1}}]}]}, "dimensions[0].weight"),
    ({"dimensions": [{"id": "d", "name": "D", "weight": 1, "indicators": [
        {"id": ["staff"], "weight": 1, "yes_no": {"at_least": 1}}]}]}, "dimensions[0].indicators[0].id"),
    ({"dimensions": [{"id": "d", "name": "D", "weight": 1, "indicators": [
        {"id": "staff", "weight": float("nan"), "yes_no": {"at_least": 1}}]}]}, "dimensions[0].indicators[0].weight"),
])
def test_a_broken_configuration_is_refused_naming_where(change, where):
    document = {**Configuration.default().document, **change}
    with pytest.raises(Invalid) as refused:
        Configuration.load(document)
    assert where in refused.value.fields


@pytest.mark.parametrize("text, first, last", [
    ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("2026-11-03..2026-11-09", date(2026, 11, 3), date(2026, 11, 9)),
])
def test_periods(text, first, last):
    period = Period.parse(text)
    assert (period.first, period.last) == (first, last)


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "26", "2026-11-09..2026-11-03", "2026-11 ", ""])
def test_a_bad_period_is_refused(text):
    with pytest.raises(Invalid):
        Period.parse(text)


def test_a_quarter_splits_into_months_and_the_last_year_splits_too():
    assert [p.label for p in Period.parse("2026-Q2").split("month")] == ["2026-04", "2026-05", "2026-06"]
    assert len(Period.parse("9999").split("month")) == 12


def test_the_ledger_adds_sums_unions_sets_and_keeps_levels_and_states(config, clock):
    """The ledger's tables, written with each tally; a rebuild of the read model adds nothing
    for a tally already written, however often it runs."""
    from services.evaluation.application import Evaluation
    from shared.eventstore import open_application

    evaluation = open_application(Evaluation, config)
    tallies = [Tally(source=day, day=day, entries=entries.items) for day, entries in [
        ("2026-10-30", Entries("station:s").add("staff").state("institution_standing", "i", "active")),
        ("2026-11-02", Entries("station:s").add("demands_submitted").member("enterprises", "E1")),
        ("2026-11-20", Entries("station:s").add("demands_submitted").member("enterprises", "E1")
         .state("institution_standing", "i", "suspended")),
        ("2026-12-01", Entries("station:s").add("demands_submitted").member("enterprises", "E2")),
    ]]
    for tally in tallies:
        evaluation.save(tally)
    assert evaluation.rebuild_read_model() == evaluation.rebuild_read_model() == len(tallies)
    ledger = evaluation.ledger
    november = Period.parse("2026-11")
    assert ledger.figures("station:s", november) == {"demands_submitted": 2, "enterprises": 1, "staff": 1}
    assert ledger.figures("all", Period.parse("2026-Q4"))["enterprises"] == 2
    assert ledger.figures("station:other", november) == {}
    assert ledger.states_at("institution_standing", date(2026, 11, 19)) == {"i": "active"}
    assert ledger.states_at("institution_standing", november.last) == {"i": "suspended"}

    # Tables emptied (a store written before them) are written again, a page's tallies together.
    written = {table: evaluation.read(f"SELECT * FROM {{s}}{table}")
               for table in ("day_sums", "day_members", "states", "applied_tallies")}
    evaluation.recorder.execute([Statement(f"DELETE FROM {{s}}{table}") for table in written])
    assert evaluation.ledger.figures("all", Period.parse("2026-Q4")) == {}
    for _ in range(2):
        evaluation.rebuild_read_model(page=3)
        for table, rows in written.items():
            assert sorted(map(repr, evaluation.read(f"SELECT * FROM {{s}}{table}"))) == sorted(map(repr, rows))
    evaluation.close()


def test_docs_evaluation_holds_the_generated_indicator_table():
    from pathlib import Path

    from onestop.indicator_docs import markdown
    published = (Path(__file__).resolve().parents[2] / "docs" / "evaluation.md").read_text(encoding="utf-8")
    assert markdown() in published, "docs/evaluation.md is stale: paste `onestop docs indicators`"
