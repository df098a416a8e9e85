"""What each role reads of a dossier, for every event type of the catalogue (gateway/disclosure.py):
only what is listed, an unlisted event type or field hidden from the parties, an institution
reading only its own offers and assignments, and docs/disclosure.md equal to the table."""
from pathlib import Path

import pytest

from gateway.disclosure import ALL, DOSSIER, disclosed
from onestop.disclosure_docs import dossier_events, markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "disclosure.md"
ROLES = ("specialist", "supervisor", "enterprise", "institution")
OURS, THEIRS = "lab-ours", "lab-theirs"
#: What no party of a case reads, whatever the event: competitors' scores and the round's
#: inputs, the submission's idempotency data, whom the enterprise turned down (institution).
NEVER = {"enterprise": {"explanation", "explanation_digest", "weights", "considered", "excluded",
                        "request_hash", "idempotency_key"},
         "institution": {"explanation", "explanation_digest", "weights", "considered", "excluded",
                         "request_hash", "idempotency_key", "excluded_institutions"}}


def entry(name: str, fields: list[str], **values) -> dict:
    data = {field: f"{name}.{field}" for field in fields}
    data.update({key: value for key, value in values.items() if key in fields})
    return {"name": name, "service": "test", "notification_id": 1, "data": data}


def test_the_document_is_the_table():
    assert DOC.read_text(encoding="utf-8") == markdown(), \
        "docs/disclosure.md is stale: run `onestop docs disclosure > docs/disclosure.md`"


def test_every_listed_name_is_in_the_catalogue_and_staff_have_every_dossier_event():
    catalogue = dossier_events()
    for role, events in DOSSIER.items():
        for name, fields in events.items():
            assert name in catalogue, f"{role}: {name} is not an event that joins a dossier"
            if fields != ALL:
                assert set(fields) <= set(catalogue[name]), f"{role}: {name} lists unknown fields"
    for role in ("specialist", "supervisor"):
        assert set(DOSSIER[role]) == set(catalogue), f"{role}: list each new event type"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_of_every_event_exactly_what_is_listed(role):
    events = dossier_events()
    # The case is this institution's: it is assigned, and each event concerns its assignment.
    ours = {"institution_id": OURS, "assignment_id": "a-ours"}
    assigned = entry("InstitutionAssigned", events["InstitutionAssigned"], **ours)
    for name, fields in events.items():
        case = disclosed({"events": [assigned, entry(name, fields, **ours)]}, role, OURS)["events"]
        assert case[0]["name"] == "InstitutionAssigned"  # every role reads who serves the case
        shown = case[1:]
        listed = DOSSIER[role].get(name)
        if listed is None:
            assert shown == [], f"{role} reads {name}, which is not listed for it"
        elif listed == ALL:
            assert shown[0]["data"] == entry(name, fields, **ours)["data"]
        else:
            assert set(shown[0]["data"]) == set(listed) & set(fields), (role, name)
            assert not set(shown[0]["data"]) & NEVER[role], (role, name)


@pytest.mark.parametrize("role", ROLES)
def test_a_new_event_type_is_hidden_and_a_new_field_hidden_from_the_parties(role):
    new = disclosed({"events": [entry("SomethingNew", ["demand_id", "secret_score"])]}, role, OURS)
    assert new["events"] == []
    grown = entry("DemandSubmitted", dossier_events()["DemandSubmitted"] + ["new_field"])
    (shown,) = disclosed({"events": [grown]}, role, OURS)["events"]
    assert ("new_field" in shown["data"]) is (DOSSIER[role]["DemandSubmitted"] == ALL)


def test_an_institution_reads_its_own_offers_and_assignments_never_another_s():
    events = dossier_events()
    timeline = [
        entry("AssignmentOffered", events["AssignmentOffered"], institution_id=THEIRS, assignment_id="a-1"),
        entry("OfferDeclined", events["OfferDeclined"], institution_id=THEIRS, assignment_id="a-1"),
        entry("AssignmentOffered", events["AssignmentOffered"], institution_id=OURS, assignment_id="a-2"),
        entry("InstitutionAssigned", events["InstitutionAssigned"], institution_id=OURS, assignment_id="a-2"),
        entry("ServiceProgressRecorded", events["ServiceProgressRecorded"], assignment_id="a-1"),
        entry("ServiceProgressRecorded", events["ServiceProgressRecorded"], assignment_id="a-2"),
        entry("DemandAccepted", events["DemandAccepted"]),
    ]
    seen = disclosed({"events": timeline}, "institution", OURS)["events"]
    assert [(e["name"], e["data"].get("assignment_id")) for e in seen] == [
        ("AssignmentOffered", "a-2"), ("InstitutionAssigned", "a-2"),
        ("ServiceProgressRecorded", "a-2"), ("DemandAccepted", None)]
    # The competitor reads its own offer and answer, and nothing of ours.
    theirs = disclosed({"events": timeline}, "institution", THEIRS)["events"]
    assert [(e["name"], e["data"].get("assignment_id")) for e in theirs] == [
        ("AssignmentOffered", "a-1"), ("OfferDeclined", "a-1"),
        ("ServiceProgressRecorded", "a-1"), ("DemandAccepted", None)]
    # The enterprise reads the assignment, not the round of offers.
    assert [e["name"] for e in disclosed({"events": timeline}, "enterprise", "ent")["events"]] == [
        "InstitutionAssigned", "ServiceProgressRecorded", "ServiceProgressRecorded", "DemandAccepted"]
