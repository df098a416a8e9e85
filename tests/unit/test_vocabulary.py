"""Every code a person can meet has its Chinese and English label (shared/vocabulary.py): the
nine categories, the statuses of demands, assignments, complaints and qualifications, the
urgencies, the stages of every clock, the events of dossiers and of the audit trail, the
institutions' integration events, the indicators, and exactly the error codes the gateway
answers."""
import ast
import inspect
import re
from pathlib import Path

import pytest
import yaml

from gateway.protocol import ANSWERS
from onestop.disclosure_docs import dossier_events
from services.accounts.readmodel import AUDITED
from services.evaluation.complaints import STAGES as COMPLAINT_STAGES
from services.evaluation.indicators import INDICATORS
from services.evaluation.complaints import Complaint
from services.intake.demand import STAGES
from services.matching.domain import Institution, Match
from services.partners.contract import EVENTS as PARTNER_EVENTS
from shared.commands import BOOKING_STATUSES
from shared.catalogue import (
    ASSIGNMENT_STATUSES, CATEGORIES, COMPLAINT_STATUSES, DEMAND_STATUSES, QUALIFICATION_STATUSES,
    URGENCIES)
from shared.commands import Assess, ChangeQualificationStatus, ListAssignments, ListComplaints
from shared.vocabulary import catalogue

GATEWAY = Path(__file__).resolve().parents[2] / "gateway"
DEFAULT_CONFIGURATION = GATEWAY.parent / "services" / "evaluation" / "indicators.yaml"
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_code_a_person_meets_has_both_labels():
    labels = catalogue()
    assert set(labels["categories"]) == set(CATEGORIES)
    assert set(labels["statuses"]) == set(DEMAND_STATUSES)
    assert set(labels["stages"]) == {*STAGES, *COMPLAINT_STAGES}
    assert set(labels["indicators"]) == set(INDICATORS)
    assert set(labels["units"]) == {indicator.unit for indicator in INDICATORS.values()}
    default = yaml.safe_load(DEFAULT_CONFIGURATION.read_text(encoding="utf-8"))
    assert set(labels["dimensions"]) == {dimension["id"] for dimension in default["dimensions"]}
    assert {*dossier_events(), *AUDITED} <= set(labels["events"])
    assert set(labels["urgencies"]) == set(URGENCIES)
    assert set(labels["assignment_statuses"]) == set(ASSIGNMENT_STATUSES)
    assert set(labels["complaint_statuses"]) == set(COMPLAINT_STATUSES)
    assert set(labels["qualification_statuses"]) == set(QUALIFICATION_STATUSES)
    assert set(labels["partner_events"]) == set(PARTNER_EVENTS)
    assert set(labels["booking_statuses"]) == set(BOOKING_STATUSES)
    for group in labels.values():
        for code, both in group.items():
            assert HAN.search(both["zh-CN"]) and both["en"].strip(), code


def test_the_error_labels_are_exactly_the_codes_the_gateway_answers():
    answered = {code for path in GATEWAY.glob("*.py")
                for code in re.findall(r'ApiError\(\s*\d{3},\s*"([a-z_]+)"', path.read_text())}
    answered |= {code for code, _ in ANSWERS.values()}  # what the HTTP server answers by itself
    assert answered and set(catalogue()["errors"]) == answered


def _statuses_written(cls, *, own_status: bool) -> set[str]:
    """Every status literal ``cls`` writes: ``status=...``, ``{"status": ...}``,
    ``x["status"] = ...``, a ``status`` parameter given a literal, and (``own_status``)
    ``self.status = ...``."""
    tree = ast.parse(inspect.getsource(cls))
    takes_status = {node.name: [a.arg for a in node.args.args[1:]].index("status")
                    for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
                    and "status" in [a.arg for a in node.args.args[1:]]}

    def literal(node):
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            found |= {literal(k.value) for k in node.keywords if k.arg == "status"}
            called = node.func.attr if isinstance(node.func, ast.Attribute) else None
            if called in takes_status and len(node.args) > takes_status[called]:
                found.add(literal(node.args[takes_status[called]]))
        elif isinstance(node, ast.Dict):
            found |= {literal(v) for k, v in zip(node.keys, node.values) if k is not None and literal(k) == "status"}
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
                targets = target.elts if isinstance(target, ast.Tuple) else [target]
                for one, value in zip(targets, values):
                    if isinstance(one, ast.Subscript) and literal(one.slice) == "status":
                        found.add(literal(value))
                    if own_status and isinstance(one, ast.Attribute) and one.attr == "status":
                        found.add(literal(value))
    return found - {None}


@pytest.mark.parametrize("cls, own_status, group", [
    (Match, False, "assignment_statuses"),
    (Complaint, True, "complaint_statuses"),
    (Institution, False, "qualification_statuses"),  # its own status is its standing
])
def test_every_status_the_domain_writes_has_its_labels(cls, own_status, group):
    written = _statuses_written(cls, own_status=own_status)
    assert written and written <= set(catalogue()[group]), written - set(catalogue()[group])


@pytest.mark.parametrize("schema, field, group", [
    (ListAssignments, "status", "assignment_statuses"), (ListComplaints, "status", "complaint_statuses"),
    (ChangeQualificationStatus, "status", "qualification_statuses"), (Assess, "urgency", "urgencies"),
])
def test_every_code_a_command_takes_has_its_labels(schema, field, group):
    choices = next(v.choices for v in schema().fields[field].validators if hasattr(v, "choices"))
    assert set(choices) <= set(catalogue()[group])
