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
    assert credit_code_problem(wrong).code == "credit_code_check"


@pytest.mark.parametrize("code, problem", [
    ("9144030070846113", "统一社会信用代码须为 18 位"),
    ("91440300708461136TT", "统一社会信用代码须为 18 位"),
    ("9144030070846113IT", "统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）"),
    ("91440300708461136t", "统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）"),
    (None, "统一社会信用代码须为 18 位"),
])
def test_malformed_codes_are_explained(code, problem):
    assert credit_code_problem(code).in_language("zh-CN") == problem


def test_the_test_factory_makes_valid_codes():
    assert all(credit_code_problem(credit_code(n)) is None for n in range(1, 200))
