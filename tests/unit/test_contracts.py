"""Every event a service records has a published contract, and the catalogue says so."""
from pathlib import Path

import pytest
from eventsourcing.domain import Aggregate

from onestop.catalogue import markdown
from services.accounts.access import DossierAccess
from services.accounts.organisation import Organisation
from services.accounts.person import Person
from services.accounts.session import Session
from services.archive.seals import Seal
from services.partners.feed import CaseFacts, InstitutionStanding, OfferFacts, PartnerMessage, Webhook
from services.evaluation.cases import InstitutionRating, OfferRound, ServiceCase, StationRecord
from services.evaluation.complaints import Complaint
from services.evaluation.ledger import Tally
from services.evaluation.reports import ImprovementAction, PublishedEvaluation
from services.evaluation.scoring import RegisteredConfiguration
from services.evaluation.supervision import SupervisionCheck
from services.intake.demand import Demand
from services.intake.station import Station
from services.matching.domain import Institution, Match
from services.notices import notice as notices
from shared.config import ConfigurationError
from shared.contracts import CONTRACTS
from shared.eventstore import DeadLetter, open_application
from services.intake.application import Intake

AGGREGATES = (Demand, Station, Institution, Match, Tally, StationRecord, ServiceCase, OfferRound,
              InstitutionRating, Complaint, SupervisionCheck, RegisteredConfiguration,
              PublishedEvaluation, ImprovementAction, Seal, CaseFacts, OfferFacts, PartnerMessage,
              Webhook, DeadLetter, Organisation, Person, Session, DossierAccess, InstitutionStanding,
              notices.Notice, notices.Case, notices.Station, notices.Institution, notices.Complaint,
              notices.Preferences)


def recorded_event_names():
    names = set()
    for aggregate in AGGREGATES:
        for value in vars(aggregate).values():
            # Each aggregate class also gets its own Event and Created base classes; skip them.
            if isinstance(value, type) and issubclass(value, Aggregate.Event) \
                    and value not in (aggregate.Event, aggregate.Created):
                names.add(value.__name__)
    return names


def test_every_recorded_event_has_a_contract_and_every_contract_an_event():
    assert recorded_event_names() == set(CONTRACTS)


def test_the_published_catalogue_matches_the_code():
    published = Path(__file__).resolve().parents[2] / "docs" / "events.md"
    assert published.read_text(encoding="utf-8") == markdown(), \
        "docs/events.md is stale: run `onestop docs events > docs/events.md`"


@pytest.mark.parametrize("kind", ["mongodb", "", "popo"])
def test_an_unknown_event_store_is_refused_rather_than_kept_in_memory(kind, tmp_path):
    with pytest.raises(ConfigurationError):
        open_application(Intake, {"EVENT_STORE": {"kind": kind or "nonsense"}, "DATA_DIR": str(tmp_path)})


def test_every_service_follows_exactly_the_upstreams_its_follower_reads():
    import inspect

    from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

    from onestop.platform import SERVICES
    from services.archive.projection import Archive
    from services.archive.service import ArchiveStore
    from shared.runtime import Follow

    for service in SERVICES:
        provider = getattr(service, "application", None)
        if provider is None:
            continue  # the gateway follows nothing
        follower = Archive if isinstance(provider, ArchiveStore) else provider.app_class
        followed = {entrypoint.upstream for _, member in inspect.getmembers(service)
                    for entrypoint in getattr(member, ENTRYPOINT_EXTENSIONS_ATTR, ())
                    if isinstance(entrypoint, Follow)}
        assert followed == set(follower.upstreams), service.name


def test_dead_letters_are_gathered_from_every_following_service():
    from onestop.platform import SERVICES
    from shared.commands import FOLLOWERS

    from shared.runtime import FollowsArchive, FollowsEvaluation, FollowsIntake, FollowsMatching

    def follows(service) -> bool:
        return issubclass(service, (FollowsArchive, FollowsEvaluation, FollowsIntake, FollowsMatching))

    assert set(FOLLOWERS) == {service.name for service in SERVICES if follows(service)}
