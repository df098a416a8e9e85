import pytest

from shared.catalogue import credit_code_problem
from tests.factories import credit_code

# Published codes of real companies: the check character must agree with GB 32100.
PUBLISHED = ["91440300708461136T", "91330100716105852F", "91110000802100433B", "91310000MA1FL1MMXL"]


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_valid(code):
    assert credit_code_problem(code) is None


@pytest.mark.parametrize("code", PUBLISHED)
def test_a_changed_check_character_is_caught(code):
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    assert credit_code_problem(wrong) == "check character does not match"


@pytest.mark.parametrize("code, problem", [
    ("9144030070846113", "must be 18 characters"),
    ("91440300708461136TT", "must be 18 characters"),
    ("9144030070846113IT", "may contain only digits and the capital letters of GB 32100 (no I, O, S, V, Z)"),
    ("91440300708461136t", "may contain only digits and the capital letters of GB 32100 (no I, O, S, V, Z)"),
    (None, "must be 18 characters"),
])
def test_malformed_codes_are_explained(code, problem):
    assert credit_code_problem(code) == problem


def test_the_test_factory_makes_valid_codes():
    assert all(credit_code_problem(credit_code(n)) is None for n in range(1, 200))
