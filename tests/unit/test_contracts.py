"""Every event a service records has a published contract, and the catalogue says so."""
from pathlib import Path

import pytest
from eventsourcing.domain import Aggregate

from onestop.catalogue import markdown
from services.evaluation.domain import InstitutionRating, PeriodFigures, ServiceCase
from services.intake.demand import Demand
from services.intake.station import Station
from services.matching.domain import Institution, Match
from shared.config import ConfigurationError
from shared.contracts import CONTRACTS
from shared.eventstore import DeadLetter, open_application
from services.intake.application import Intake

AGGREGATES = (Demand, Station, Institution, Match, PeriodFigures, ServiceCase, InstitutionRating,
              DeadLetter)


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
