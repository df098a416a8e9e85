"""Every event a service records has a published contract, and the catalogue says so."""
from pathlib import Path

import pytest
from eventsourcing.domain import Aggregate

import importlib
import pkgutil

import services
from onestop.catalogue import markdown
from shared.config import ConfigurationError
from shared.contracts import CONTRACTS
from shared.eventstore import DeadLetter, open_application
from services.intake.application import Intake


def aggregates() -> set[type]:
    """Every aggregate the platform defines: each module of every service imported, then every
    subclass of Aggregate found (a new aggregate cannot escape the check by being forgotten)."""
    for module in pkgutil.walk_packages(services.__path__, "services."):
        importlib.import_module(module.name)
    found, pending = set(), [Aggregate]
    while pending:
        for subclass in pending.pop().__subclasses__():
            if subclass.__module__.startswith(("services.", "shared.")) and subclass not in found:
                found.add(subclass)
                pending.append(subclass)
    return found | {DeadLetter}


def recorded_event_names():
    names = set()
    for aggregate in aggregates():
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
