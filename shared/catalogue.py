"""Domain facts every part agrees on: the nine service categories and the qualification kinds."""
from shared.field_messages import FieldMessage, said

#: The nine service categories of the one-stop service (domain.md, "Service content").
CATEGORIES = {
    "quality_management": "质量管理服务",
    "standardization": "标准化服务",
    "metrology": "计量服务",
    "inspection_testing": "检验检测服务",
    "certification_accreditation": "认证认可服务",
    "intellectual_property": "知识产权服务",
    "brand_cultivation": "品牌培育服务",
    "equipment_sharing": "设备共享服务",
    "quality_innovation": "质量创新服务",
}

QUALIFICATION_TYPES = ("CMA", "CNAS", "METROLOGY", "CERTIFICATION", "OTHER")

#: Where a demand can be (the last five are final).
DEMAND_STATUSES = ("submitted", "awaiting_information", "accepted", "assigned", "matching_failed",
                   "completed", "answered", "rejected", "withdrawn", "cancelled")

#: How urgent a demand is (the specialist says, when accepting it).
URGENCIES = ("low", "normal", "high", "urgent")

#: Where an offer or assignment is, as its institution sees it (matching's ``Match``).
ASSIGNMENT_STATUSES = ("offered", "awaiting_quote_acceptance", "in_service", "completed", "declined",
                       "expired", "released")

#: Where a complaint is (evaluation's ``Complaint``).
COMPLAINT_STATUSES = ("received", "investigating", "escalated", "resolved")

#: Where an institution's qualification is (matching's ``Institution``); the last one only
#: the calendar sets.
QUALIFICATION_STATUSES = ("valid", "suspended", "withdrawn", "expired")

# Unified social credit code (GB 32100-2015): 18 characters from this alphabet (no I, O, S, V,
# Z), the last one a check character over the first 17 with these weights, modulo 31.
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_problem(code: str) -> FieldMessage | None:
    """Why ``code`` is not a valid unified social credit code, or None when it is."""
    if not isinstance(code, str) or len(code) != 18:
        return said("credit_code_length")
    if any(char not in _CREDIT_ALPHABET for char in code):
        return said("credit_code_characters")
    total = sum(_CREDIT_ALPHABET.index(char) * weight for char, weight in zip(code, _CREDIT_WEIGHTS))
    expected = _CREDIT_ALPHABET[(31 - total % 31) % 31]
    if code[17] != expected:
        return said("credit_code_check")
    return None


def qualification_overlap(qualifications: list[dict]) -> FieldMessage | None:
    """Two qualifications of one type must not be valid at the same time (a renewal follows
    its predecessor); withdrawn ones do not count. Returns why not, or None."""
    by_type: dict[str, list[dict]] = {}
    for found in qualifications:
        if found.get("status", "valid") != "withdrawn":
            by_type.setdefault(found["type"], []).append(found)
    for kind, same in by_type.items():
        same = sorted(same, key=lambda q: q["valid_from"])
        for earlier, later in zip(same, same[1:]):
            if later["valid_from"] <= earlier["valid_until"]:
                return said("qualification_overlap", kind=kind, number=later["number"],
                            valid_from=str(later["valid_from"]), earlier=earlier["number"],
                            valid_until=str(earlier["valid_until"]))
    return None
