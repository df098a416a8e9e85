"""No aggregate's load grows with the platform's history: the long-lived ones, which record a
running fact again and again (an institution's ratings, a webhook's deliveries, a station's
staff, an institution's rating in evaluation), are loaded from a snapshot and at most the
events after it."""
import uuid

from tests import factories

SPECIALIST = {"role": "specialist", "subject": "s-1"}
OPERATOR = {"role": "operator", "subject": "ops-1"}
CHANGES = 120


def events_read_to_load(app, aggregate_id) -> int:
    """The events read to load the aggregate, beside its latest snapshot (read in the same
    query, ``select_from_snapshot``)."""
    counted = []
    select = app.recorder.select_from_snapshot

    def counting(*args, **kwargs):
        found = select(*args, **kwargs)
        snapshot = app.snapshots.recorder.select_events(aggregate_id, desc=True, limit=1)
        counted.append(len(found) - len(snapshot))
        return found
    app.recorder.select_from_snapshot = counting
    try:
        app.repository.get(aggregate_id)
    finally:
        app.recorder.select_from_snapshot = select
    assert len(counted) == 1, "an aggregate is loaded in one query"
    return counted[0]


def test_an_institution_rated_again_and_again_loads_in_bounded_events(platform):
    matching = platform.apps["matching"]
    lab = uuid.UUID(matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)["id"])
    for count in range(1, CHANGES + 1):
        institution = matching.repository.get(lab)
        institution.record_rating(satisfaction=0.9, feedback_count=count, on_time_rate=0.8,
                                  completed_count=count)
        matching.save(institution)
    assert matching.repository.get(lab).version == CHANGES + 1
    assert events_read_to_load(matching, lab) <= matching.snapshotting_intervals[type(institution)]


def test_an_institutions_rating_in_evaluation_loads_in_bounded_events(platform):
    from services.evaluation.cases import InstitutionRating

    evaluation = platform.apps["evaluation"]
    rating = InstitutionRating(institution_id=uuid.uuid4())
    evaluation.save(rating)
    for _ in range(CHANGES):
        rating = evaluation.repository.get(rating.id)
        rating.rate(overall=4, on_time=True)
        evaluation.save(rating)
    assert evaluation.repository.get(rating.id).count == CHANGES
    assert events_read_to_load(evaluation, rating.id) <= evaluation.snapshotting_intervals[InstitutionRating]


def test_a_station_with_many_specialists_loads_in_bounded_events(platform):
    intake = platform.apps["intake"]
    for n in range(CHANGES):
        intake.add_specialist(platform.station["id"], factories.specialist(f"s-{n + 2}"), OPERATOR)
    station = uuid.UUID(platform.station["id"])
    assert len(intake.repository.get(station).specialists) == CHANGES + 1
    assert events_read_to_load(intake, station) <= 50


def test_a_webhook_that_delivered_many_messages_loads_in_bounded_events(platform, config):
    from services.partners.application import PartnerFeed
    from services.partners.feed import Webhook
    from services.partners.outbound import Outbound
    from shared.eventstore import open_application

    feed = open_application(PartnerFeed, config)
    feed.outbound = Outbound(allowed_networks=["127.0.0.0/8"], allow_http=True)  # this machine, in tests
    institution = uuid.uuid4()
    feed.register_webhook(str(institution), {"url": "http://127.0.0.1:9/hook"})
    webhook_id = Webhook.create_id(institution)
    for n in range(CHANGES):
        webhook = feed.repository.get(webhook_id)
        webhook.delivered_one(f"event-{n}", 200, "2026-12-01T09:00:00+08:00")
        feed.save(webhook)
    assert feed.repository.get(webhook_id).delivered == CHANGES
    assert events_read_to_load(feed, webhook_id) <= feed.snapshotting_intervals[Webhook]
    feed.close()
