"""Every code a person can meet has its Chinese and English label (shared/vocabulary.py): the
nine categories, the demand statuses, the stages of every clock, the events of dossiers and of
the audit trail, the indicators, and exactly the error codes the gateway answers."""
import re
from pathlib import Path

import yaml

from gateway.protocol import ANSWERS
from onestop.disclosure_docs import dossier_events
from services.accounts.readmodel import AUDITED
from services.evaluation.complaints import STAGES as COMPLAINT_STAGES
from services.evaluation.indicators import INDICATORS
from services.intake.demand import STAGES
from shared.catalogue import CATEGORIES, DEMAND_STATUSES
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
    for group in labels.values():
        for code, both in group.items():
            assert HAN.search(both["zh-CN"]) and both["en"].strip(), code


def test_the_error_labels_are_exactly_the_codes_the_gateway_answers():
    answered = {code for path in GATEWAY.glob("*.py")
                for code in re.findall(r'ApiError\(\s*\d{3},\s*"([a-z_]+)"', path.read_text())}
    answered |= {code for code, _ in ANSWERS.values()}  # what the HTTP server answers by itself
    assert answered and set(catalogue()["errors"]) == answered
