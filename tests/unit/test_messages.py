"""The envelope of a run of notifications on the internal exchanges."""
import json

import pytest

from shared.messages import MalformedMessage, Message, from_amqp, to_amqp


def notification(number: int, previous: int | None = None) -> Message:
    return Message(service="intake", id=number, previous_id=number - 1 if previous is None else previous,
                   event="DemandSubmitted", schema_version=1,
                   originator_id="00000000-0000-0000-0000-000000000001", originator_version=number,
                   occurred_at="2026-12-01T01:00:00+00:00", data={"title": f"需求 {number}"})


def test_a_run_travels_as_one_message_and_comes_back_equal():
    run = [notification(7, previous=3), notification(9, previous=7), notification(12, previous=9)]
    body, headers = to_amqp(run)
    # What crosses the broker is JSON; the service is said once, in the headers.
    body = json.loads(json.dumps(body))
    assert all("service" not in wire for wire in body)
    assert headers == {"x-onestop-service": "intake", "x-onestop-previous-id": 3,
                       "x-onestop-first-id": 7, "x-onestop-last-id": 12, "x-onestop-count": 3}
    assert from_amqp(body, headers) == run


@pytest.mark.parametrize("body, headers, problem", [
    ([{}], {}, "service is missing"),
    ({"id": 1}, {"x-onestop-service": "intake"}, "not a non-empty JSON array"),
    ([], {"x-onestop-service": "intake"}, "not a non-empty JSON array"),
    (["text"], {"x-onestop-service": "intake"}, "not a JSON object"),
    ([{"id": 1, "previous_id": 0}], {"x-onestop-service": "intake"}, "malformed"),
    ([{**to_amqp([notification(1)])[0][0], "id": "one"}], {"x-onestop-service": "intake"}, "malformed"),
    ([{**to_amqp([notification(1)])[0][0], "data": [1]}], {"x-onestop-service": "intake"}, "data"),
    (to_amqp([notification(1), notification(3)])[0], {"x-onestop-service": "intake"}, "does not follow"),
])
def test_a_message_that_is_not_a_run_of_one_log_is_malformed(body, headers, problem):
    with pytest.raises(MalformedMessage, match=problem):
        from_amqp(body, headers)
