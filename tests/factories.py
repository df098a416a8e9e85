"""Valid test data: unified social credit codes with a correct check character, payloads."""
from __future__ import annotations

import itertools

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_serial = itertools.count(1)


def credit_code(serial: int | None = None) -> str:
    """A well-formed, fictitious code: 91 + region 440113 (Panyu) + a serial + check character."""
    body = f"91440113{(serial or next(_serial)):09d}"
    total = sum(_ALPHABET.index(c) * w for c, w in zip(body, _WEIGHTS))
    return body + _ALPHABET[(31 - total % 31) % 31]


#: The station of the tests' specialist s-1, as intake tells it to the other services (its
#: park is the one every factory uses).
PANYU = {"station_id": "the-tests-station", "park": "panyu-energy-park"}


def institution(**overrides) -> dict:
    payload = {
        "name": "Panyu Product Testing Centre",
        "credit_code": credit_code(),
        "categories": ["inspection_testing"],
        "qualifications": [{
            "type": "CMA", "number": "CMA-2021-0001", "scope": ["LED lamp", "GB 7000.1"],
            "valid_from": "2021-01-01", "valid_until": "2099-12-31",
        }],
        "parks": ["panyu-energy-park"],
        "capacity": 50,
        # Most tests follow a demand past matching; those about offers answer them by hand.
        "auto_accept_offers": True,
    }
    payload.update(overrides)
    return payload


def demand(enterprise_code: str | None = None, **overrides) -> dict:
    """A demand for the default park's station; ``enterprise_code`` names the enterprise."""
    payload = {
        "enterprise": {"name": "Guangzhou Lamp Co.", "credit_code": enterprise_code or credit_code(),
                       "contact": "Li Hua", "phone": "+86 20 8888 0000"},
        "park": "panyu-energy-park",
        "category": "inspection_testing",
        "title": "Safety test of an LED lamp",
        "description": "Type test of a new LED downlight before export.",
        "items": ["LED lamp"],
    }
    payload.update(overrides)
    return payload


PARK = "panyu-energy-park"


def station(park: str = PARK, **overrides) -> dict:
    payload = {
        "name": "Panyu Energy Park Quality Station",
        "park": park,
        "operating_institution": {"name": "Panyu Quality Services Co.", "credit_code": credit_code()},
        "address": "1 Science Road, Panyu, Guangzhou",
        "opening_hours": "Mon-Fri 09:00-12:00, 13:30-17:30",
    }
    payload.update(overrides)
    return payload


def specialist(staff_id: str = "s-1", **overrides) -> dict:
    payload = {"staff_id": staff_id, "name": "Chen Jing", "phone": "+86 20 3456 7890", "trained": True}
    payload.update(overrides)
    return payload
