"""The station's own requirements: the checklist's rules, minimums from the configuration, each
item's state and the station's conformity; records with evidence, confirmation, the construction
facts recorded before the checklist, and the conformity the evaluation scores."""
import uuid

import pytest

from services.intake.requirements import Checklist
from services.intake.station import Station
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from tests import factories

SPECIALIST = {"role": "specialist", "subject": "s-1"}
OPERATOR = {"role": "operator", "subject": "ops-1"}
SUPERVISOR = {"role": "supervisor", "subject": "regulator-1"}
TRAINED = [{"trained": True}, {"trained": True}]


def evidence(code):
    return {"value": None, "note": None, "evidence": [{"sha256": "0" * 64}]}


def everything_met(checklist):
    """A record of every typed item that meets it."""
    records = {}
    for item in checklist.items:
        if item.get("derived"):
            continue
        value = {"measure": item.get("minimum"), "fact": True, "document": None}[item["kind"]]
        records[item["code"]] = {**evidence(item["code"]), "value": value}
    return records


def test_the_shipped_checklist_is_versioned_and_covers_construction_and_management():
    checklist = Checklist.from_config(None)
    assert "provisional" in checklist.version
    codes = {item["code"]: item for item in checklist.items}
    assert {"site", "layout", "area_m2", "equipment", "specialists", "trained_share",
            "training_records", "signage_gb_t_10001_1", "signage_gb_t_10001_9",
            "indoor_air_gb_t_18883", "institution_rules", "staff_training", "confidentiality",
            "station_rules", "complaint_handling"} == set(codes)
    assert {item["owner"] for item in checklist.items if item["group"] == "management"} == {
        "station", "operating_institution"}
    assert codes["area_m2"]["minimum"] == 20 and codes["specialists"]["derived"] == "staff"
    for item in checklist.items:
        assert item["name"]["zh-CN"] and item["name"]["en"]


def test_minimums_come_from_the_configuration_and_a_bad_one_stops_the_start():
    checklist = Checklist.from_config({"minimums": {"area_m2": 50, "specialists": 3}})
    records = everything_met(Checklist.from_config(None))  # 20 m², met by the default only
    checked = checklist.check(records, TRAINED)
    assert checked["conformity"]["status"] == "non_conforming"
    assert checked["conformity"]["failing"] == ["area_m2", "specialists"]
    area = next(item for item in checked["items"] if item["code"] == "area_m2")
    assert area["why"] == {"code": "below_minimum", "value": 20, "minimum": 50}
    for wrong in ({"happiness": 1}, {"site": 1}, {"area_m2": -1}, {"area_m2": "20"}, {"area_m2": True}):
        with pytest.raises(ValueError):
            Checklist.from_config({"minimums": wrong})


def test_each_item_is_met_not_met_with_why_or_not_recorded_and_the_station_conforms_only_when_all_are():
    checklist = Checklist.from_config(None)
    assert checklist.check({}, [])["conformity"] == {
        "status": "non_conforming", "failing": ["specialists", "trained_share"],
        "not_recorded": [item["code"] for item in checklist.items if not item.get("derived")],
        "met": 0, "total": len(checklist.items), "checklist_version": checklist.version}
    records = everything_met(checklist)
    assert checklist.check(records, TRAINED)["conformity"]["status"] == "conforming"
    del records["site"]
    assert checklist.check(records, TRAINED)["conformity"]["status"] == "incomplete"
    records["site"] = {"value": None, "note": "Ground floor", "evidence": []}
    records["signage_gb_t_10001_9"]["value"] = False
    records["area_m2"]["value"] = 0.5
    checked = checklist.check(records, [{"trained": True}, {"trained": False}])
    why = {item["code"]: item["why"] for item in checked["items"] if item["state"] == "not_met"}
    assert why == {"site": {"code": "no_evidence"}, "signage_gb_t_10001_9": {"code": "not_in_place"},
                   "area_m2": {"code": "below_minimum", "value": 0.5, "minimum": 20},
                   "trained_share": {"code": "below_minimum", "value": 0.5, "minimum": 1.0}}
    assert checked["conformity"]["failing"] == ["site", "area_m2", "trained_share", "signage_gb_t_10001_9"]


@pytest.mark.parametrize("code, value, field", [
    ("area_m2", -1, "value"), ("area_m2", None, "value"), ("area_m2", True, "value"),
    ("area_m2", float("nan"), "value"), ("area_m2", 10 ** 7, "value"),
    ("equipment", 1, "value"), ("equipment", None, "value"), ("site", 12, "value"),
    ("specialists", 3, "code"), ("helipad", True, "code")])
def test_a_value_that_makes_no_sense_for_the_item_is_refused_naming_the_field(code, value, field):
    with pytest.raises(Invalid) as refused:
        Checklist.from_config(None).recordable(code, value)
    assert list(refused.value.fields) == [field]


def upload(intake, name, data, by):
    incoming = uuid.uuid4().hex
    (intake.attachments.incoming / incoming).write_bytes(data)
    return intake.store_attachment(incoming, name, "application/pdf", by)["sha256"]


def test_records_with_evidence_confirmation_and_the_conformity_the_evaluation_scores(platform):
    intake, evaluation = platform.apps["intake"], platform.apps["evaluation"]
    station_id = platform.station["id"]
    platform.clock.set("2026-12-10T10:00")
    small = intake.record_requirement(station_id, "area_m2", {"value": 0.5}, SPECIALIST)
    assert small["conformity"]["status"] == "non_conforming" and "area_m2" in small["conformity"]["failing"]
    # a file the recorder did not upload is refused, and nothing is stored
    theirs = upload(intake, "lease.pdf", b"%PDF-1.7 lease", {"role": "enterprise", "subject": "x"})
    with pytest.raises(Invalid) as refused:
        intake.record_requirement(station_id, "site", {"evidence": [theirs]}, SPECIALIST)
    assert list(refused.value.fields) == ["evidence"]
    assert intake.requirements(station_id, SUPERVISOR)["items"][0]["state"] == "not_recorded"
    with pytest.raises(Forbidden):
        intake.record_requirement(station_id, "area_m2", {"value": 30}, {"role": "specialist", "subject": "s-9"})
    with pytest.raises(NotFound):
        intake.requirements(station_id, {"role": "specialist", "subject": "s-9"})

    lease = upload(intake, "lease.pdf", b"%PDF-1.7 lease", SPECIALIST)
    site = intake.record_requirement(station_id, "site", {"note": "Ground floor", "evidence": [lease]}, SPECIALIST)
    shown = {item["code"]: item for item in site["items"]}
    assert shown["site"]["state"] == "met"
    assert shown["site"]["record"]["evidence"][0]["name"] == "lease.pdf"
    assert shown["site"]["record"]["recorded_by"] == SPECIALIST
    assert intake.requirement_file(station_id, "site", lease, SUPERVISOR)["name"] == "lease.pdf"
    with pytest.raises(NotFound):
        intake.requirement_file(station_id, "layout", lease, SUPERVISOR)

    with pytest.raises(Forbidden):
        intake.confirm_requirement(station_id, "site", {}, SPECIALIST)
    with pytest.raises(Conflict):
        intake.confirm_requirement(station_id, "layout", {}, SUPERVISOR)  # nothing recorded
    confirmed = intake.confirm_requirement(station_id, "site", {"note": "Seen on site"}, SUPERVISOR)
    record = next(item for item in confirmed["items"] if item["code"] == "site")["record"]
    assert record["confirmed_by"] == SUPERVISOR and record["confirmation_note"] == "Seen on site"
    assert record["confirmed_at"].startswith("2026-12-10T10:00")
    with pytest.raises(Conflict):
        intake.confirm_requirement(station_id, "site", {}, SUPERVISOR)
    again = intake.record_requirement(station_id, "site", {"note": "Moved", "evidence": [lease]}, SPECIALIST)
    assert next(item for item in again["items"] if item["code"] == "site")["record"]["confirmed_at"] is None

    platform.settle()
    report = evaluation.report({"scope": f"station:{station_id}", "period": "2026-12"}, SUPERVISOR)
    line = {l["id"]: l for d in report["dimensions"] for l in d["indicators"]}["station_conformity"]
    total = len(intake.checklist.items)
    assert line["value"] == pytest.approx(round(2 / total, 6))  # site and the trained share (one specialist of the two needed)
    assert line["score"] == 0


def test_the_construction_facts_recorded_before_the_checklist_read_as_its_items(platform):
    intake = platform.apps["intake"]
    station = intake.repository.get(uuid.UUID(platform.station["id"]))
    station.record_construction(facts={
        "site": "Ground floor", "layout": "Reception", "area_m2": 120.5, "equipment": ["printer"],
        "signage": {"gb_t_10001_1": True, "gb_t_10001_9": False}, "indoor_air_gb_t_18883": True},
        recorded_by=OPERATOR)
    intake.save(station)
    shown = {item["code"]: item for item in intake.requirements(platform.station["id"], OPERATOR)["items"]}
    assert shown["area_m2"]["record"]["value"] == 120.5 and shown["area_m2"]["record"]["legacy"]
    assert shown["signage_gb_t_10001_9"]["why"] == {"code": "not_in_place"}
    assert shown["equipment"]["record"]["note"] == "printer"
    # no evidence was asked then: the facts that need it are not met until it is recorded
    assert shown["site"]["why"] == {"code": "no_evidence"} and shown["site"]["record"]["note"] == "Ground floor"
    assert shown["area_m2"]["state"] == "not_met"  # its evidence (a floor plan) is missing too
    assert isinstance(intake.repository.get(station.id), Station)


def test_the_operating_institution_reads_the_stations_it_runs_and_records_the_items_it_owns(platform):
    intake = platform.apps["intake"]
    station_id = platform.station["id"]
    runs = {"role": "operating_institution",
            "subject": platform.station["operating_institution"]["credit_code"]}
    other = {"role": "operating_institution", "subject": factories.credit_code()}
    assert [s["id"] for s in intake.list_stations({}, runs)["items"]] == [station_id]
    assert intake.list_stations({}, other)["items"] == []
    assert intake.requirements(station_id, runs)["station_id"] == station_id
    rules = upload(intake, "rules.pdf", b"%PDF-1.7 rules", runs)
    recorded = intake.record_requirement(station_id, "institution_rules", {"evidence": [rules]}, runs)
    shown = {item["code"]: item for item in recorded["items"]}["institution_rules"]
    assert shown["state"] == "met" and shown["record"]["recorded_by"] == runs
    assert intake.requirement_file(station_id, "institution_rules", rules, runs)["name"] == "rules.pdf"
    with pytest.raises(Forbidden) as refused:  # the station's own item
        intake.record_requirement(station_id, "site", {"evidence": [rules]}, runs)
    assert "固定服务场所" in refused.value.args[0]
    for call in (lambda: intake.requirements(station_id, other),
                 lambda: intake.record_requirement(station_id, "institution_rules", {"evidence": [rules]}, other)):
        with pytest.raises(NotFound):
            call()
