"""The service catalogue: what a version must be to be published, how items are covered through
its terms, what a demand carries under it, and that a new version applies to new demands only."""
import copy
import uuid
from datetime import date

import pytest
from marshmallow import ValidationError

from services.intake.catalogue import Version, default_document
from services.intake.catalogue_commands import _document
from services.matching.selection import Profile, Request, exclusion
from shared.catalogue import CATEGORIES, QUALIFICATION_TYPES
from shared.commands import PublishCatalogue, RegisterInstitution
from shared.errors import Invalid
from tests import factories

SPECIALIST = {"role": "specialist", "subject": "s-1"}
SUPERVISOR = {"role": "supervisor", "subject": "regulator-1"}


def published(change=None) -> dict:
    document = {**copy.deepcopy(default_document()), "reason": "a test"}
    if change:
        change(document)
    return document


def refusal(document) -> dict:
    with pytest.raises(ValidationError) as refused:
        PublishCatalogue().load(document)
    return refused.value.messages


def default_version() -> Version:
    return Version(1, _document(PublishCatalogue().load(published())))


def sub_item(document, category, code):
    found = next(c for c in document["categories"] if c["code"] == category)
    return next(s for s in found["sub_items"] if s["code"] == code)


# What a version must be ---------------------------------------------------------------------
def test_the_default_catalogue_is_a_valid_version_of_the_nine_categories():
    version = default_version()
    assert {s["category"] for s in version.sub_items.values()} == set(CATEGORIES)
    for found in version.sub_items.values():
        assert set(found["qualifications"]) <= set(QUALIFICATION_TYPES)
    # the codes other parts of the platform rely on
    assert {"instrument_booking", "calibration", "product_testing", "patent_filing",
            "standard_drafting", "guangdong_quality_mark", "ccc"} <= set(version.sub_items)


@pytest.mark.parametrize("change, where", [
    (lambda d: d["categories"][2]["sub_items"][0]["qualifications"].append("ISO"),
     ("categories", 2, "sub_items", 0, "qualifications", 1)),
    (lambda d: d["categories"][0].update(code="nuclear"), ("categories", 0, "code")),
    (lambda d: d["categories"].pop(), ("categories",)),
    (lambda d: d["categories"][1]["sub_items"][0].update(code="training"),
     ("categories", 1, "sub_items", 0, "code")),
    (lambda d: d["categories"][0]["sub_items"][0]["fields"][1].update(kind="file"),
     ("categories", 0, "sub_items", 0, "fields", 1, "kind")),
    (lambda d: d["categories"][0]["sub_items"][0]["fields"][0].update(choices=[]),
     ("categories", 0, "sub_items", 0, "fields", 0, "choices")),
    (lambda d: d["terms"][0]["broader"].append("LED照明"), ("terms", 0, "broader")),
    (lambda d: d["terms"].append({"term": "照明器具"}), ("terms", 8, "term")),
])
def test_a_catalogue_that_does_not_hold_together_is_refused_naming_the_field(change, where):
    found = refusal(published(change))
    for key in where:
        found = found[key]
    assert found  # a message at exactly that path


def test_a_sub_item_limit_longer_than_the_platform_s_is_refused(platform):
    document = published(lambda d: d["categories"][0]["sub_items"][0].update(time_limits={"follow_up": "30d"}))
    with pytest.raises(Invalid) as refused:
        platform.apps["intake"].publish_catalogue(document, SUPERVISOR)
    assert refused.value.fields["categories"][0]["sub_items"][0]["time_limits"]["follow_up"]
    assert platform.apps["intake"].catalogue_history()["items"][0]["version"] == 1


# Terms ---------------------------------------------------------------------------------------
def test_an_item_is_covered_by_itself_its_synonyms_and_its_broader_terms_up_the_chain():
    version = default_version()
    assert version.covering_terms("LED灯具") == ["LED灯具", "LED照明", "灯具", "照明器具", "电器", "电气产品"]
    assert version.covering_terms("led照明")[:2] == ["led照明", "LED灯具"]  # a synonym, any case
    assert "LED灯具" not in version.covering_terms("灯具")  # narrower never covers broader
    assert version.covering_terms("螺丝") == ["螺丝"]  # not in the terms: word for word


def test_the_qualification_kinds_come_from_the_sub_items_or_else_the_whole_category():
    version = default_version()
    assert version.qualification_kinds("inspection_testing", ["sampling"]) == ["CMA"]
    assert version.qualification_kinds("inspection_testing", []) == ["CMA", "CNAS"]
    assert version.qualification_kinds("inspection_testing", ["method_advice"]) == []
    assert version.qualification_kinds("equipment_sharing", []) == []


# Selection with terms ------------------------------------------------------------------------
def lab(scope, kind="CNAS", **overrides):
    qualifications = () if scope is None else ({
        "type": kind, "number": "N-1", "scope": scope, "status": "valid",
        "valid_from": date(2020, 1, 1), "valid_until": date(2099, 1, 1)},)
    values = dict(id="lab", categories=frozenset({"inspection_testing", "equipment_sharing"}),
                  parks=frozenset({"p"}), capacity=5, qualifications=qualifications)
    return Profile(**{**values, **overrides})


def request_for(items, category="inspection_testing", sub_items=(), catalogued=True):
    version = default_version()
    if not catalogued:  # accepted before the catalogue: no kinds, no terms
        return Request(category, tuple(items), "p", date(2027, 1, 1), required_types=("CMA", "CNAS"))
    return Request(category, tuple(items), "p", date(2027, 1, 1),
                   required_types=tuple(version.qualification_kinds(category, list(sub_items))),
                   catalogued=True, item_terms={i: version.covering_terms(i) for i in items})


def test_a_cnas_scope_of_lamps_serves_an_led_lamp_demand_through_the_terms():
    assert exclusion(lab(["灯具"]), request_for(["LED灯具"])) is None
    assert exclusion(lab(["照明器具"]), request_for(["LED灯具"])) is None  # the broader term's synonym
    assert exclusion(lab(["电线电缆"]), request_for(["LED灯具"])) == "no valid qualification covers LED灯具"
    # recorded before the catalogue: word for word, as then
    assert exclusion(lab(["灯具"]), request_for(["LED灯具"], catalogued=False)) == \
        "no valid qualification covers LED灯具"


def test_an_institution_with_a_track_record_only_serves_the_sub_items_that_need_no_qualification():
    experienced = lab(None)
    assert exclusion(experienced, request_for(["万用表"], "equipment_sharing", ["instrument_booking"])) is None
    assert exclusion(experienced, request_for(["测试方法"], sub_items=["method_advice"])) is None
    assert exclusion(experienced, request_for(["LED灯具"], sub_items=["product_testing"])) == \
        "has no qualification valid on the service date"


def test_an_institution_registers_with_a_qualification_or_a_track_record():
    loaded = RegisterInstitution().load(factories.institution(
        categories=["equipment_sharing"], qualifications=[],
        track_record=[{"title": "共享光谱仪", "client": "某灯具厂", "year": 2025}]))
    assert loaded["qualifications"] == [] and loaded["track_record"][0]["year"] == 2025
    with pytest.raises(ValidationError) as refused:
        RegisterInstitution().load(factories.institution(qualifications=[]))
    assert "qualifications" in refused.value.messages


# Demands under a version ----------------------------------------------------------------------
def demand_for_testing(**overrides):
    return factories.demand(sub_item="product_testing", details={"samples": 3}, **overrides)


def test_a_demand_carries_its_sub_item_s_fields_checked_against_the_current_version(platform):
    intake = platform.apps["intake"]
    shown = intake.submit_demand(demand_for_testing(), SPECIALIST)
    assert (shown["sub_items"], shown["details"], shown["catalogue_version"]) == (["product_testing"], {"samples": 3}, 1)
    for details, field in (({}, "samples"), ({"samples": "three"}, "samples"),
                           ({"samples": 3, "colour": "red"}, "colour")):
        with pytest.raises(Invalid) as refused:
            intake.submit_demand(demand_for_testing() | {"details": details}, SPECIALIST)
        assert list(refused.value.fields["details"]) == [field]
    with pytest.raises(Invalid) as refused:
        intake.submit_demand(factories.demand(sub_item="calibration"), SPECIALIST)  # metrology's
    assert "sub_item" in refused.value.fields
    with pytest.raises(Invalid) as refused:
        intake.submit_demand(factories.demand(details={"samples": 3}), SPECIALIST)
    assert "details" in refused.value.fields


def test_a_new_version_applies_to_new_demands_only(platform):
    intake = platform.apps["intake"]
    before = intake.submit_demand(demand_for_testing(), SPECIALIST)

    def changed(document):
        testing = sub_item(document, "inspection_testing", "product_testing")
        testing["fields"].append({"name": "power_w", "label": {"zh-CN": "额定功率", "en": "Power"},
                                  "kind": "number", "required": True})
        sub_item(document, "inspection_testing", "product_testing")["qualifications"] = ["CNAS"]
        document["categories"][3]["sub_items"].append({
            "code": "led_photometry", "name": {"zh-CN": "LED光度测试", "en": "LED photometry"},
            "qualifications": ["CNAS"], "fields": []})
    version = intake.publish_catalogue(published(changed), SUPERVISOR)
    assert version["version"] == 2 and version["by"] == SUPERVISOR
    assert [v["version"] for v in intake.catalogue_history()["items"]] == [2, 1]

    with pytest.raises(Invalid) as refused:
        intake.submit_demand(demand_for_testing(), SPECIALIST)  # power_w is required now
    assert list(refused.value.fields["details"]) == ["power_w"]
    after = intake.submit_demand(demand_for_testing() | {"details": {"samples": 1, "power_w": 9}}, SPECIALIST)
    assert after["catalogue_version"] == 2

    # The demand of before is assessed by version 1's rules: the new sub-item is not in it.
    with pytest.raises(Invalid) as refused:
        intake.assess(before["id"], {"decision": "accept", "sub_items": ["led_photometry"]}, SPECIALIST)
    assert refused.value.fields["sub_items"]["0"]
    intake.assess(before["id"], {"decision": "accept", "items": ["LED灯具"]}, SPECIALIST)
    intake.assess(after["id"], {"decision": "accept", "items": ["LED灯具"],
                                "sub_items": ["led_photometry"]}, SPECIALIST)
    old, new = accepted_event(intake, before["id"]), accepted_event(intake, after["id"])
    assert (old.qualification_kinds, new.qualification_kinds) == (["CMA", "CNAS"], ["CNAS"])
    assert old.item_terms["LED灯具"][:3] == ["LED灯具", "LED照明", "灯具"]


def accepted_event(intake, demand_id):
    """The demand's latest classification, as matching receives it."""
    return [e for e in intake.events.get(uuid.UUID(demand_id))
            if type(e).__name__ in ("DemandAccepted", "DemandReclassified")][-1]
