"""The operators' list of dead letters: one list over every following service, paged by
cursor, each service asked at most once a page (services stand in for the RPC proxies)."""
import pytest

from gateway.dead_letter_routes import letters_page
from shared.errors import Invalid

SERVICES = ["intake", "matching", "evaluation", "archive", "partners"]


def letter(upstream, number, replayed=False):
    return {"upstream": upstream, "notification_id": number, "event": "DemandAccepted",
            "error": "RuntimeError: boom", "replayed": replayed}


#: What each service set aside, in its own order (upstream, then notification id).
HELD = {
    "intake": [letter("matching", 4), letter("matching", 9, replayed=True)],
    "matching": [],
    "evaluation": [letter("intake", 2), letter("intake", 3), letter("matching", 1, replayed=True)],
    "archive": [],
    "partners": [letter("evaluation", 7)],
}


class Services:
    """Each service's own page: after an (upstream, id) key, at most ``limit``."""

    def __init__(self):
        self.asked = []

    def __call__(self, service, after, limit, replayed):
        self.asked.append(service)
        held = [l for l in HELD[service] if replayed is None or l["replayed"] == replayed]
        if after is not None:
            held = [l for l in held if (l["upstream"], l["notification_id"]) > tuple(after)]
        return held[:limit]


def every_page(per_page, services=SERVICES, replayed=None):
    pages, after = [], None
    while True:
        ask = Services()
        page = letters_page(ask, services, after, per_page, replayed)
        assert len(set(ask.asked)) == len(ask.asked)  # each service at most once
        assert page["per_page"] == per_page and len(page["items"]) <= per_page
        pages.append(page["items"])
        if page["next_after"] is None:
            return pages
        after = page["next_after"]


EVERY = [(service, l["upstream"], l["notification_id"]) for service in SERVICES
         for l in HELD[service]]


@pytest.mark.parametrize("per_page", [1, 2, 3, 6, 100])
def test_every_letter_once_in_order_whatever_the_page_size(per_page):
    pages = every_page(per_page)
    seen = [(l["service"], l["upstream"], l["notification_id"]) for page in pages for l in page]
    assert seen == EVERY
    assert all(len(page) == per_page for page in pages[:-1])  # only the last page is short


def test_filters_by_service_and_by_replay():
    waiting = [l for page in every_page(2, replayed=False) for l in page]
    assert [(l["service"], l["notification_id"]) for l in waiting] == [
        ("intake", 4), ("evaluation", 2), ("evaluation", 3), ("partners", 7)]
    [evaluations] = every_page(10, services=["evaluation"])
    assert {l["service"] for l in evaluations} == {"evaluation"} and len(evaluations) == 3


@pytest.mark.parametrize("after", ["not-a-cursor", "WyJub3BlIiwgIm1hdGNoaW5nOjQiXQ",  # ["nope", ...]
                                   "WyJpbnRha2UiLCAibWF0Y2hpbmciXQ"])  # ["intake", "matching"]
def test_a_cursor_no_page_gave_is_refused(after):
    with pytest.raises(Invalid) as refused:
        letters_page(Services(), SERVICES, after, 10, None)
    assert refused.value.fields == {"after": ["Not a cursor of this list."]}


def test_a_cursor_of_another_service_than_the_one_filtered_is_refused():
    first = letters_page(Services(), SERVICES, None, 1, None)["next_after"]  # in intake
    with pytest.raises(Invalid):
        letters_page(Services(), ["evaluation"], first, 10, None)
