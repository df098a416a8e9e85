"""The parties told of a quote: the partner feed tells an institution how the enterprise
answered it, in messages valid against their published schemas (the earlier events keep their
shapes), and the enterprise's inbox says a quote awaits its answer."""
from tests import factories
from tests.unit.test_notices import notices  # noqa: F401 (the fixture)
from tests.unit.test_partners import SPECIALIST, feed, validate  # noqa: F401 (the fixture)


def test_the_institution_learns_the_answer_to_each_quote(platform, feed):  # noqa: F811
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    matching.quote_categories = ("inspection_testing",)
    lab = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    demand = intake.submit_demand(factories.demand(), SPECIALIST)
    platform.settle_all()
    acting = {"role": "institution", "subject": lab["id"]}
    (assignment,) = matching.assignments(acting)["items"]
    key = assignment["assignment_id"]
    owner = {"role": "enterprise", "subject": demand["enterprise"]["credit_code"]}
    quote = {"amount": "1200", "valid_until": "2099-01-31", "items": [{"item": "test", "amount": "1200"}]}
    matching.give_quote(key, quote, acting)
    matching.decline_quote(demand["id"], {"reason": "over budget"}, owner)
    matching.give_quote(key, {**quote, "amount": "900", "items": [{"item": "test", "amount": "900"}]}, acting)
    matching.accept_quote(demand["id"], {}, owner)
    platform.settle_all()

    stream = feed.stream(lab["id"])["items"]
    # Caught up in one go, intake's and matching's messages interleave in the feed's own order.
    assert sorted(m["event"] for m in stream) == [
        "assignment.started", "offer.made", "quote.accepted", "quote.declined"]
    declined, accepted = (m["data"] for m in stream if m["event"].startswith("quote."))
    assert declined == {"assignment_id": key, "demand_id": demand["id"], "revision": 1,
                        "amount": "1200", "reason": "over budget"}
    assert (accepted["revision"], accepted["amount"], accepted["reason"]) == (2, "900", None)
    for message in stream:
        validate(message)
    (started,) = (m["data"] for m in stream if m["event"] == "assignment.started")
    assert set(started) == {"assignment_id", "demand_id", "category", "title",
                                      "description", "items", "promised_date", "enterprise"}



def test_the_enterprise_is_told_a_quote_awaits_it(platform, notices):  # noqa: F811
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    matching.quote_categories = ("inspection_testing",)
    lab = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    demand = intake.submit_demand(factories.demand(), SPECIALIST)
    platform.settle_all()
    acting = {"role": "institution", "subject": lab["id"]}
    (assignment,) = matching.assignments(acting)["items"]
    matching.give_quote(assignment["assignment_id"], {
        "amount": "1200", "valid_until": "2099-01-31", "items": [{"item": "test", "amount": "1200"}]}, acting)
    platform.settle_all()
    owner = {"enterprise": demand["enterprise"]["credit_code"]}
    latest = notices.inbox("p-owner", owner, {}, "en")["items"][0]
    assert latest["kind"] == "quote_given" and "1200 yuan" in latest["body"]
