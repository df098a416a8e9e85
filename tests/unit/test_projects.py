"""Standard projects and IP applications: a standard goes through its five stages in order, each
with its documents; an application number is CNIPA's or refused; an application's status moves
only forward, as an office decides."""
import pytest

from services.matching.ip_application import check_digit, number_problem
from shared.errors import Conflict, Forbidden, Invalid
from tests import factories
from tests.unit.test_matching import SPECIALIST, as_institution, matched
from tests.unit.test_partners import feed, validate  # noqa: F401  (the feed fixture)

DOCUMENT = {"sha256": "a" * 64, "name": "立项申请书.pdf", "media_type": "application/pdf", "size": 1024}
PUBLICATION = {"number": "Q/PYLD 001-2026", "published_on": "2026-03-01",
               "self_declaration": {"declared_on": "2026-03-02",
                                    "reference": "https://www.qybz.org.cn/ Q/PYLD 001-2026"}}
CONSULTATION = {"comments_received": 12, "adopted": 8, "partly_adopted": 2, "not_adopted": 2}


def serving(platform, category):
    """A demand of ``category`` its institution serves: (demand id, the institution as actor)."""
    lab = platform.apps["matching"].register_institution(
        factories.institution(categories=[category]), SPECIALIST, station=factories.PANYU)
    demand = matched(platform, category=category, title="企业标准制定")
    assert demand["assignment"]["institution_id"] == lab["id"]
    return demand["id"], as_institution(lab)


def stage(name, **details):
    return {"stage": name, "documents": [DOCUMENT["sha256"]], "note": f"{name} done", **details}


# The check digit ------------------------------------------------------------------------
@pytest.mark.parametrize("digits, check", [("201710601862", "3"), ("202310123456", "6"),
                                           ("95115608", "X")])
def test_the_check_digit_is_cnipas(digits, check):
    assert check_digit(digits) == check


@pytest.mark.parametrize("kind, number, problem", [
    ("invention_patent", "201710601862.3", None),
    ("invention_patent", "95115608.X", None),
    ("invention_patent", "201710601862.4", "patent_number_check"),
    ("utility_model", "201710601862.3", "patent_number_kind"),  # its kind digit is 1: an invention
    ("design", "2017306018623", "patent_number_form"),
    ("invention_patent", "CN201710601862.3", "patent_number_form"),
    ("trademark", "58230117", None),
    ("trademark", "TM-58230117", "trademark_number_form"),
])
def test_cnipa_numbers_are_checked(kind, number, problem):
    assert number_problem(kind, "CNIPA", number) == problem


def test_other_offices_numbers_are_taken_as_written():
    assert number_problem("invention_patent", "EPO", "EP23150001.2") is None


# The standard project -------------------------------------------------------------------
def test_a_standard_project_goes_through_its_stages_in_order(platform):
    matching = platform.apps["matching"]
    demand_id, lab = serving(platform, "standardization")
    opened = matching.open_standard_project(demand_id, {"kind": "enterprise", "title": "LED 筒灯",
                                                        "planned_number": "Q/PYLD 001-2026"}, lab)
    assert (opened["next_stage"], opened["status"], opened["stages"]) == ("initiation", "in_progress", [])

    with pytest.raises(Invalid) as skipped:
        matching.complete_standard_stage(demand_id, stage("drafting"), [DOCUMENT], lab)
    assert skipped.value.fields["stage"][0].code == "stage_out_of_order"
    assert skipped.value.fields["stage"][0].values == {"expected": "initiation"}
    assert matching.standard_project(demand_id)["stages"] == []  # nothing stored

    matching.complete_standard_stage(demand_id, stage("initiation"), [DOCUMENT], lab)
    with pytest.raises(Invalid) as again:
        matching.complete_standard_stage(demand_id, stage("initiation"), [DOCUMENT], lab)
    assert again.value.fields["stage"][0].code == "stage_done"
    with pytest.raises(Invalid) as bare:
        matching.complete_standard_stage(demand_id, {**stage("drafting"), "documents": []}, [], lab)
    assert set(bare.value.fields) == {"documents"}
    matching.complete_standard_stage(demand_id, stage("drafting"), [DOCUMENT], lab)
    with pytest.raises(Invalid) as uncounted:
        matching.complete_standard_stage(demand_id, stage("consultation"), [DOCUMENT], lab)
    assert set(uncounted.value.fields) == {"consultation"}
    with pytest.raises(Invalid) as unbalanced:
        matching.complete_standard_stage(demand_id, stage("consultation", consultation={
            **CONSULTATION, "adopted": 9}), [DOCUMENT], lab)
    assert unbalanced.value.fields["consultation"]["comments_received"][0].code == "comments_handled"
    matching.complete_standard_stage(demand_id, stage("consultation", consultation=CONSULTATION),
                                     [DOCUMENT], lab)
    matching.complete_standard_stage(demand_id, stage("review"), [DOCUMENT], lab)
    with pytest.raises(Invalid) as undeclared:
        matching.complete_standard_stage(demand_id, stage("publication", publication={
            **PUBLICATION, "self_declaration": None}), [DOCUMENT], lab)
    assert undeclared.value.fields["publication"]["self_declaration"][0].code == "self_declaration_needed"
    published = matching.complete_standard_stage(
        demand_id, stage("publication", publication=PUBLICATION), [DOCUMENT], lab)
    assert [s["stage"] for s in published["stages"]] == [
        "initiation", "drafting", "consultation", "review", "publication"]
    assert published["stages"][2]["consultation"] == CONSULTATION
    assert (published["status"], published["next_stage"]) == ("published", None)
    assert published["publication"] == PUBLICATION
    with pytest.raises(Conflict):
        matching.complete_standard_stage(demand_id, stage("publication", publication=PUBLICATION),
                                         [DOCUMENT], lab)


def test_a_standard_project_is_opened_once_by_whoever_serves_the_demand(platform):
    matching = platform.apps["matching"]
    testing_id, testing_lab = serving(platform, "inspection_testing")
    with pytest.raises(Conflict) as wrong:
        matching.open_standard_project(testing_id, {"kind": "group", "title": "x"}, testing_lab)
    assert wrong.value.details == {"category": "inspection_testing"}
    demand_id, lab = serving(platform, "standardization")
    with pytest.raises(Forbidden):
        matching.open_standard_project(demand_id, {"kind": "group", "title": "x"}, testing_lab)
    with pytest.raises(Forbidden):
        matching.open_standard_project(demand_id, {"kind": "group", "title": "x"}, SPECIALIST,
                                       {"station_id": "elsewhere", "park": "nansha-port-park"})
    opened = matching.open_standard_project(demand_id, {"kind": "group", "title": "团体标准"},
                                            SPECIALIST, factories.PANYU)
    assert opened["institution_id"] == lab["subject"] and opened["opened_by"] == SPECIALIST
    with pytest.raises(Conflict):
        matching.open_standard_project(demand_id, {"kind": "group", "title": "x"}, lab)
    # A group standard needs no self-declaration; the specialist completes no stage.
    with pytest.raises(Forbidden):
        matching.complete_standard_stage(demand_id, stage("initiation"), [DOCUMENT], SPECIALIST)


# IP applications ------------------------------------------------------------------------
def test_an_ip_application_is_recorded_once_and_moves_only_forward(platform):
    matching = platform.apps["matching"]
    demand_id, lab = serving(platform, "intellectual_property")
    patent = {"kind": "invention_patent", "number": "2017 1 0601862.3", "filed_on": "2017-07-10",
              "title": "一种 LED 筒灯散热结构"}
    with pytest.raises(Invalid) as wrong:
        matching.record_ip_application(demand_id, {**patent, "number": "201710601862.4"}, lab)
    assert wrong.value.fields["number"][0].code == "patent_number_check"
    with pytest.raises(Invalid) as year:
        matching.record_ip_application(demand_id, {**patent, "filed_on": "2018-01-02"}, lab)
    assert set(year.value.fields) == {"filed_on"}
    recorded = matching.record_ip_application(demand_id, patent, lab)
    assert (recorded["number"], recorded["office"], recorded["status"]) == ("201710601862.3", "CNIPA", "filed")
    with pytest.raises(Conflict):
        matching.record_ip_application(demand_id, patent, lab)

    move = matching.move_ip_application
    with pytest.raises(Conflict) as skipped:
        move(demand_id, recorded["id"], {"status": "granted", "on": "2018-01-01"}, lab)
    assert skipped.value.details["current_status"] == "filed"
    with pytest.raises(Invalid) as early:
        move(demand_id, recorded["id"], {"status": "accepted", "on": "2017-07-01"}, lab)
    assert set(early.value.fields) == {"on"}
    move(demand_id, recorded["id"], {"status": "accepted", "on": "2017-07-12", "note": "受理通知书"}, lab)
    move(demand_id, recorded["id"], {"status": "examined", "on": "2019-03-01"}, lab)
    with pytest.raises(Conflict):  # a patent is granted, not registered
        move(demand_id, recorded["id"], {"status": "registered", "on": "2019-06-01"}, lab)
    granted = move(demand_id, recorded["id"], {"status": "granted", "on": "2019-06-01"}, lab)
    assert [step["status"] for step in granted["history"]] == ["filed", "accepted", "examined", "granted"]
    with pytest.raises(Conflict):
        move(demand_id, recorded["id"], {"status": "withdrawn", "on": "2019-07-01"}, lab)

    with pytest.raises(Invalid) as classless:
        matching.record_ip_application(demand_id, {"kind": "trademark", "number": "58230117",
                                                   "filed_on": "2021-08-01", "title": "番灯"}, lab)
    assert set(classless.value.fields) == {"classes"}
    mark = matching.record_ip_application(demand_id, {
        "kind": "trademark", "number": "58230117", "filed_on": "2021-08-01", "title": "番灯",
        "classes": [11]}, lab)
    listed = matching.ip_applications(demand_id)["items"]
    assert [a["id"] for a in listed] == [recorded["id"], mark["id"]]
    other = matching.register_institution(factories.institution(categories=["intellectual_property"]),
                                          SPECIALIST, station=factories.PANYU)
    with pytest.raises(Forbidden):
        matching.record_ip_application(demand_id, {**patent, "number": "95115608.X",
                                                   "filed_on": "1995-01-01"}, as_institution(other))


# The partner feed -----------------------------------------------------------------------
def test_a_project_a_specialist_opens_is_sent_to_its_institution_one_it_opens_itself_is_not(platform, feed):
    matching = platform.apps["matching"]
    by_station, lab = serving(platform, "standardization")
    matching.open_standard_project(by_station, {"kind": "group", "title": "团体标准"}, SPECIALIST,
                                   factories.PANYU)
    own, other_lab = serving(platform, "standardization")
    matching.open_standard_project(own, {"kind": "enterprise", "title": "企业标准"}, other_lab)
    platform.settle_all()
    (opened,) = [m for m in feed.stream(lab["subject"])["items"] if m["event"] == "standard_project.opened"]
    assert (opened["data"]["demand_id"], opened["data"]["kind"]) == (by_station, "group")
    validate(opened)
    assert all(m["event"] != "standard_project.opened" for m in feed.stream(other_lab["subject"])["items"])


def test_every_code_of_the_work_has_both_labels():
    from shared.projects import IP_KINDS, IP_STATUSES, STANDARD_KINDS, STANDARD_STAGES
    from shared.vocabulary import catalogue

    labels = catalogue()
    assert (set(labels["standard_stages"]), set(labels["standard_kinds"])) == (set(STANDARD_STAGES), set(STANDARD_KINDS))
    assert (set(labels["ip_kinds"]), set(labels["ip_statuses"])) == (set(IP_KINDS), set(IP_STATUSES))
