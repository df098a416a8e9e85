"""The partner feed on the platform's logs: each institution's own stream, personal data only
once a case is theirs, every message valid against its published JSON Schema, replay, and the
published schema files matching the code."""
import json
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest

from onestop.partner_docs import files
from services.partners import contract
from services.partners.application import PartnerFeed
from services.partners.outbound import DeliveryFailed, Outbound
from shared.errors import Invalid, NotFound
from shared.eventstore import open_application
from tests import factories

SPECIALIST = {"role": "specialist", "subject": "s-1"}
SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "partners" / "schemas"


#: What the institutions' host names resolve to here: a public address (DNS is outside the unit).
PUBLIC = "93.184.215.14"


@pytest.fixture
def feed(platform, config):
    feed = open_application(PartnerFeed, config)
    feed.outbound = Outbound(resolve=lambda host, port: [PUBLIC])
    feed.clock = platform.clock
    feed.follow_upstreams(platform.read_log, retry_backoff=0)
    platform.feed = feed

    def settle():
        platform.settle()
        feed.catch_up()
    platform.settle_all = settle
    yield feed
    feed.close()


def validate(envelope: dict) -> None:
    name = f"{envelope['event']}.v{envelope['schema_version']}.json"
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.validate(envelope, schema, format_checker=jsonschema.FormatChecker())


def test_each_institution_gets_its_own_stream_with_contact_details_only_once_the_case_is_its_own(platform, feed):
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    answering = matching.register_institution(factories.institution(auto_accept_offers=False), SPECIALIST, station=factories.PANYU)
    platform.settle_all()
    demand = intake.submit_demand(factories.demand(), SPECIALIST)
    platform.settle_all()
    offers = feed.stream(answering["id"])["items"]
    assert [m["event"] for m in offers] == ["offer.made"]
    offer = offers[0]
    assert offer["institution_id"] == answering["id"] and offer["data"]["demand_id"] == demand["id"]
    assert "enterprise" not in offer["data"] and demand["enterprise"]["phone"] not in json.dumps(offer)

    lab = {"role": "institution", "subject": answering["id"]}
    matching.accept_offer(offer["data"]["assignment_id"], {"promised_date": "2099-01-31"}, lab)
    platform.settle_all()
    matching.complete_service(offer["data"]["assignment_id"], {"report_number": "R-5"}, lab)
    platform.settle_all()
    owner = {"role": "enterprise", "subject": demand["enterprise"]["credit_code"]}
    platform.apps["evaluation"].give_feedback(demand["id"], {
        "overall": 5, "timeliness": 5, "professionalism": 5, "attitude": 4, "outcome": 5}, owner)
    platform.settle_all()

    stream = feed.stream(answering["id"])["items"]
    assert [m["event"] for m in stream] == [
        "offer.made", "assignment.started", "assignment.completed", "feedback.received"]
    started = stream[1]["data"]
    assert started["enterprise"] == {key: demand["enterprise"][key]
                                     for key in ("name", "credit_code", "contact", "phone")}
    assert started["promised_date"] == "2099-01-31"
    for message in stream:
        validate(message)
    # Nobody else's stream holds any of it.
    bystander = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    platform.settle_all()
    assert all(m["event"] != "offer.made" for m in feed.stream(bystander["id"])["items"])


def test_replay_pages_after_an_event_id(platform, feed):
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    lab = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    for _ in range(3):
        intake.submit_demand(factories.demand(), SPECIALIST)
    platform.settle_all()
    everything = feed.stream(lab["id"])["items"]
    # Caught up in one go, intake's and matching's messages interleave in the feed's own order.
    assert sorted(m["event"] for m in everything) == ["assignment.started"] * 3 + ["offer.made"] * 3
    first = feed.stream(lab["id"], limit=4)
    assert first["more"] is True and len(first["items"]) == 4
    rest = feed.stream(lab["id"], after=first["next_after"])
    assert first["items"] + rest["items"] == everything and rest["more"] is False
    assert feed.stream(lab["id"], after=everything[-1]["event_id"])["items"] == []
    with pytest.raises(Invalid):
        feed.stream(lab["id"], after="not-an-event-of-yours")
    with pytest.raises(Invalid):
        feed.stream(lab["id"], limit=0)
    for message in everything:
        validate(message)


def test_the_published_schemas_match_the_contract():
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(files())
    for name, text in files().items():
        assert (SCHEMAS / name).read_text(encoding="utf-8") == text, \
            f"docs/partners/schemas/{name} is stale: run `onestop docs partners`"
        jsonschema.Draft202012Validator.check_schema(json.loads(text))
    assert set(contract.EVENTS) == {name.rsplit(".v", 1)[0] for name in files()}


def test_a_suspended_institution_s_webhook_waits_and_delivers_once_reinstated(platform, feed):
    matching = platform.apps["matching"]
    lab = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    feed.register_webhook(lab["id"], {"url": "https://lab.example/hook"})
    posted = []

    def post(url, body, headers):
        posted.append(json.loads(body)["event"])
        return 204
    platform.settle_all()
    feed.deliver_webhooks(post)
    before = len(posted)
    operator = {"role": "operator", "subject": "ops-1"}
    matching.change_standing(lab["id"], {"action": "suspend", "reason": "资质暂停"}, operator)
    platform.settle_all()
    assert feed.webhook(lab["id"])["suspended"] == "suspended"
    assert feed.deliver_webhooks(post) == 0 and len(posted) == before  # nothing posted meanwhile
    matching.change_standing(lab["id"], {"action": "reinstate", "reason": "整改完成"}, operator)
    platform.settle_all()
    assert feed.webhook(lab["id"])["suspended"] is None
    feed.deliver_webhooks(post)
    # What waited is delivered in order: the suspension, then the reinstatement.
    assert posted[before:] == ["standing.changed", "standing.changed"]


def test_an_institution_still_applying_cannot_register_a_webhook(feed):
    from shared.errors import Forbidden

    applicant = factories.credit_code()  # its token's subject until it has an id
    with pytest.raises(Forbidden):
        feed.register_webhook(applicant, {"url": "https://lab.example/hook"})


def verified(header: str, body: bytes, secret: str) -> tuple[int, bool]:
    """(t, whether one v1 is the HMAC of "<t>." + body with ``secret``), as a receiver checks."""
    import hashlib
    import hmac
    parts = [part.split("=", 1) for part in header.split(",")]
    timestamp = int(dict(parts)["t"])
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return timestamp, any(key == "v1" and hmac.compare_digest(value, expected) for key, value in parts)


def test_webhook_secrets_are_made_shown_once_kept_sealed_and_rotated_with_an_overlap(
        platform, feed, clock):
    lab = platform.apps["matching"].register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    with pytest.raises(Invalid) as refused:  # the institution may not pick it
        feed.register_webhook(lab["id"], {"url": "https://lab.example/hook", "secret": "s" * 32})
    assert set(refused.value.fields) == {"secret"}
    registered = feed.register_webhook(lab["id"], {"url": "https://lab.example/hook"})
    secret = registered.pop("secret")
    assert secret.startswith("whsec_") and len(secret) > 40
    assert "secret" not in feed.webhook(lab["id"])
    moved = feed.register_webhook(lab["id"], {"url": "https://lab.example/hook/v2"})
    assert "secret" not in moved and moved["url"] == "https://lab.example/hook/v2"  # same secret
    stored = b"".join(item.state for item in feed.recorder.select_notifications(start=1, limit=10_000))
    assert secret.encode() not in stored  # only ciphertext is recorded

    posted = []

    def post(url, body, headers):
        posted.append((body, headers["X-Onestop-Signature"]))
        return 204
    platform.apps["intake"].submit_demand(factories.demand(), SPECIALIST, None)
    platform.settle_all()  # the lab is offered the demand: messages in its stream
    feed.deliver_webhooks(post)
    body, header = posted[-1]
    assert verified(header, body, secret) == (int(clock().timestamp()), True)
    assert not verified(header, body + b" ", secret)[1]  # the body is covered

    rotated = feed.rotate_webhook_secret(lab["id"])
    new = rotated["secret"]
    assert new != secret and rotated["previous_secret_valid_until"] == (
        clock() + timedelta(hours=24)).isoformat()
    feed.redeliver(lab["id"], json.loads(body)["event_id"])
    clock.advance(hours=23)
    feed.deliver_webhooks(post)
    body, header = posted[-1]
    assert verified(header, body, new)[1] and verified(header, body, secret)[1]  # both, meanwhile
    feed.redeliver(lab["id"], json.loads(body)["event_id"])
    clock.advance(hours=2)
    feed.deliver_webhooks(post)
    body, header = posted[-1]
    assert verified(header, body, new)[1] and not verified(header, body, secret)[1]
    assert header.count("v1=") == 1


def test_webhook_urls_inside_are_refused_and_failures_are_told_in_generic_words(platform, feed):
    lab = platform.apps["matching"].register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    for url in ("https://169.254.169.254/latest/meta-data/", "https://[::1]/hook",
                "http://lab.example/hook", "https://u:p@lab.example/hook"):
        with pytest.raises(Invalid) as refused:
            feed.register_webhook(lab["id"], {"url": url})
        assert set(refused.value.fields) == {"url"}, url
    with pytest.raises(NotFound):
        feed.webhook(lab["id"])  # nothing was registered
    feed.register_webhook(lab["id"], {"url": "https://lab.example/hook"})
    platform.apps["intake"].submit_demand(factories.demand(), SPECIALIST, None)
    platform.settle_all()
    answers = iter([307, DeliveryFailed("could not connect"), ConnectionResetError("10.0.0.7:15672 reset")])

    def post(url, body, headers):
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer
    for _ in range(3):
        feed.deliver_webhooks(post)
        webhook = feed.webhook(lab["id"])
        feed.redeliver(lab["id"], webhook["log"][0]["event_id"])  # try again now, not at retry_at
    errors = [entry["error"] for entry in feed.webhook(lab["id"])["log"] if not entry["ok"]]
    assert errors == ["the delivery failed", "could not connect", "HTTP 307 (redirects are not followed)"]


def test_an_operators_grant_and_revocation_are_recorded_with_who_and_why_and_no_password(feed):
    operator = {"role": "operator", "subject": "ops-1"}
    institution = "0b8f6a52-3c1d-4e7f-9a2b-5c6d7e8f9a0b"
    users: dict[str, str] = {}

    def grant(institution_id):
        users[institution_id] = "s3cret-password-for-the-institution"
        return {"username": f"inst-{institution_id}", "password": users[institution_id], "granted": True}

    def revoke(institution_id):
        return users.pop(institution_id, None) is not None

    assert feed.grant_broker_access(institution, grant, operator)["password"]
    with pytest.raises(Invalid):
        feed.revoke_broker_access(institution, revoke, "  ", operator)
    assert institution in users  # a revocation without its reason takes nothing away
    feed.revoke_broker_access(institution, revoke, " 合作协议终止 ", operator)
    with pytest.raises(NotFound):
        feed.revoke_broker_access(institution, revoke, "合作协议终止", operator)
    stored = [n for n in feed.recorder.select_notifications(start=1, limit=100)
              if n.topic.endswith("BrokerAccessChanged")]
    changes = [feed.mapper.to_domain_event(n) for n in stored]
    assert [(c.change, c.by, c.reason, str(c.institution_id)) for c in changes] == [
        ("granted", operator, None, institution), ("revoked", operator, "合作协议终止", institution)]
    assert not any(b"s3cret" in n.state for n in stored)  # the password is the broker's alone


def test_a_demand_opened_in_the_hall_is_told_to_each_eligible_institution_without_who_asks(platform, feed):
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    intake.change_station_settings(platform.station["id"], {
        "hall": {"categories": ["inspection_testing"], "window_hours": 4}, "reason": "interest first"}, {"role": "operator", "subject": "ops-1"})
    eligible = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    other_category = matching.register_institution(factories.institution(categories=["metrology"]),
                                                   SPECIALIST, station=factories.PANYU)
    demand = intake.submit_demand(factories.demand(), SPECIALIST)
    platform.settle_all()
    (opened,) = feed.stream(eligible["id"])["items"]
    validate(opened)
    assert opened["event"] == "hall.opened" and opened["data"]["demand_id"] == demand["id"]
    assert opened["data"]["closes_at"] and demand["enterprise"]["name"] not in json.dumps(opened)
    assert feed.stream(other_category["id"])["items"] == []


def test_the_owner_of_a_shared_instrument_hears_of_its_bookings_and_the_enterprise_s_cancellations(platform, feed):
    from tests.unit.test_sharing import ENTERPRISE_A, instrument, slot
    matching = platform.apps["matching"]
    lab = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    owner = {"role": "institution", "subject": lab["id"]}
    listed = matching.list_instrument(instrument(), owner)
    first = matching.book_slot(listed["id"], slot("01T09:30", "01T10:00", phone="020-1234567"), ENTERPRISE_A)
    second = matching.book_slot(listed["id"], slot("01T10:00", "01T10:30"), ENTERPRISE_A)
    matching.cancel_booking(first["id"], {"reason": "改期"}, ENTERPRISE_A)
    matching.cancel_booking(second["id"], {"reason": "维护"}, owner)  # the owner's own: no news
    platform.settle_all()
    stream = [m for m in feed.stream(lab["id"])["items"] if m["event"].startswith("booking.")]
    assert [(m["event"], m["data"]["booking_id"]) for m in stream] == [
        ("booking.requested", first["id"]), ("booking.requested", second["id"]),
        ("booking.cancelled", first["id"])]
    assert stream[0]["data"]["enterprise"] == {"name": "番禺灯具有限公司", "credit_code": ENTERPRISE_A["subject"],
                                               "contact": "李华", "phone": "020-1234567"}
    assert stream[2]["data"]["reason"] == "改期"
    for message in stream:
        validate(message)
