"""What the notices service keeps: each notice once (to one audience: an enterprise, an
institution or a station's specialists), who has read it and how it was sent to each person;
the facts it needs to address notices (a demand's parties, a station's specialists, who made a
complaint); and each person's choice of channels and language."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from eventsourcing.domain import Aggregate, event

_NOTICES = uuid.UUID("0e5b7a31-8c2d-4f19-9a46-1d7e3c5b9f20")
_CASES = uuid.UUID("1f6c8b42-9d3e-4a2a-8b57-2e8f4d6c0a31")
_STATIONS = uuid.UUID("2a7d9c53-ae4f-4b3b-9c68-3f9a5e7d1b42")
_INSTITUTIONS = uuid.UUID("3b8eac64-bf5a-4c4c-8d79-4aab6f8e2c53")
_COMPLAINTS = uuid.UUID("4c9fbd75-c06b-4d5d-9e8a-5bbc7a9f3d64")
_PREFERENCES = uuid.UUID("5dafce86-d17c-4e6e-af9b-6ccd8bab4e75")

#: Channels besides the inbox, which every notice is in.
CHANNELS = ("email", "sms")


class Notice(Aggregate):
    """One notice to one audience (``enterprise:<credit code>``, ``institution:<id>`` or
    ``station:<id>``). Its recipients are the audience's people when it is first sent; each
    (person, channel) is a delivery, sent until it succeeds or its tries run out (then it is a
    dead letter, which an operator's replay sends again)."""

    @staticmethod
    def create_id(source: str, audience: str, **_) -> uuid.UUID:
        return uuid.uuid5(_NOTICES, f"{source}:{audience}")

    @event("NoticeRecorded")
    def __init__(self, source: str, audience: str, kind: str, demand_id: str | None,
                 values: dict, at: str):
        self.source = source
        self.audience = audience
        self.kind = kind
        self.demand_id = demand_id
        self.values = values
        self.at = at
        self.read_by: list[str] = []
        self.addressed = False
        #: "<person_id> <channel>" -> {state: pending|sent|abandoned, attempts, error, retry_at}
        self.deliveries: dict[str, dict] = {}
        self.redelivered_by: str | None = None

    @event("NoticeRead")
    def read(self, person_id: str, at: str) -> None:
        self.read_by = sorted({*self.read_by, person_id})

    @event("NoticeAddressed")
    def address(self, deliveries: list[str], at: str) -> None:
        """``deliveries``: "<person_id> <channel>" for each person's chosen channels (none:
        the notice is in the inbox only)."""
        self.addressed = True
        self.deliveries = {key: {"state": "pending", "attempts": 0, "error": None, "retry_at": None}
                           for key in deliveries}

    @event("NoticeSent")
    def sent(self, delivery: str, at: str) -> None:
        self.deliveries[delivery] = {**self.deliveries[delivery], "state": "sent", "error": None,
                                     "retry_at": None, "at": at}

    def failed(self, delivery: str, error: str, now: datetime, base_seconds: float,
               max_seconds: float, max_attempts: int) -> None:
        attempts = self.deliveries[delivery]["attempts"] + 1
        wait = min(base_seconds * 2 ** (attempts - 1), max_seconds)
        self._failed(delivery=delivery, error=error[:500], attempts=attempts, at=now.isoformat(),
                     retry_at=None if attempts >= max_attempts else (now + timedelta(seconds=wait)).isoformat())

    @event("NoticeSendFailed")
    def _failed(self, delivery: str, error: str, attempts: int, at: str, retry_at: str | None) -> None:
        """No ``retry_at``: the tries ran out, and the delivery waits for a replay."""
        self.deliveries[delivery] = {"state": "pending" if retry_at else "abandoned",
                                     "attempts": attempts, "error": error, "retry_at": retry_at}

    @event("NoticeRedelivered")
    def redeliver(self, by: str, at: str) -> None:
        """The abandoned deliveries, tried again from the start (an operator's replay)."""
        self.redelivered_by = by
        for key, delivery in self.deliveries.items():
            if delivery["state"] == "abandoned":
                self.deliveries[key] = {**delivery, "state": "pending", "attempts": 0, "retry_at": None}

    # What the read model and the sender ask -------------------------------------------------
    @property
    def outstanding(self) -> bool:
        return not self.addressed or any(d["state"] == "pending" for d in self.deliveries.values())

    @property
    def retry_at(self) -> str | None:
        waiting = [d["retry_at"] for d in self.deliveries.values()
                   if d["state"] == "pending" and d["retry_at"]]
        return min(waiting) if waiting and len(waiting) == self._pending() else None

    @property
    def abandoned(self) -> bool:
        return any(d["state"] == "abandoned" for d in self.deliveries.values())

    def due(self, now: datetime) -> list[str]:
        return [key for key, d in self.deliveries.items() if d["state"] == "pending"
                and (d["retry_at"] is None or datetime.fromisoformat(d["retry_at"]) <= now)]

    def _pending(self) -> int:
        return sum(d["state"] == "pending" for d in self.deliveries.values())


class Case(Aggregate):
    """A demand's parties, as intake recorded them: whom its notices go to."""

    @staticmethod
    def create_id(demand_id, **_) -> uuid.UUID:
        return uuid.uuid5(_CASES, str(demand_id))

    @event("NoticeCaseOpened")
    def __init__(self, demand_id: str, title: str, enterprise: str, station_id: str):
        self.demand_id = demand_id
        self.title = title
        self.enterprise = enterprise
        self.station_id = station_id
        self.institution_id: str | None = None

    @event("NoticeCaseAssigned")
    def assigned(self, institution_id: str) -> None:
        self.institution_id = institution_id


class Station(Aggregate):
    """A station's specialists: the people its notices go to."""

    @staticmethod
    def create_id(station_id, **_) -> uuid.UUID:
        return uuid.uuid5(_STATIONS, str(station_id))

    @event("NoticeStationOpened")
    def __init__(self, station_id: str):
        self.station_id = station_id
        self.staff: list[str] = []
        self.former: list[str] = []

    @event("NoticeStaffJoined")
    def joined(self, staff_id: str) -> None:
        self.staff = sorted({*self.staff, staff_id})
        self.former = [gone for gone in self.former if gone != staff_id]

    @event("NoticeStaffLeft")
    def left(self, staff_id: str) -> None:
        self.staff = [kept for kept in self.staff if kept != staff_id]
        self.former = sorted({*self.former, staff_id})


class Institution(Aggregate):
    """An institution's name, as its notices and the enterprise's show it."""

    @staticmethod
    def create_id(institution_id, **_) -> uuid.UUID:
        return uuid.uuid5(_INSTITUTIONS, str(institution_id))

    @event("NoticeInstitutionNamed")
    def __init__(self, institution_id: str, name: str):
        self.institution_id = institution_id
        self.name = name


class Complaint(Aggregate):
    """Who made a complaint: its updates go to them."""

    @staticmethod
    def create_id(complaint_id, **_) -> uuid.UUID:
        return uuid.uuid5(_COMPLAINTS, str(complaint_id))

    @event("NoticeComplaintOpened")
    def __init__(self, complaint_id: str, complainant: str | None):
        self.complaint_id = complaint_id
        self.complainant = complainant


class Preferences(Aggregate):
    """A person's choice: the channels besides the inbox, and the language of what is sent."""

    @staticmethod
    def create_id(person_id, **_) -> uuid.UUID:
        return uuid.uuid5(_PREFERENCES, str(person_id))

    @event("NoticePreferencesChosen")
    def __init__(self, person_id: str, channels: list[str], language: str, at: str):
        self.person_id = person_id
        self.channels = channels
        self.language = language

    @event("NoticePreferencesChanged")
    def change(self, channels: list[str], language: str, at: str) -> None:
        self.channels = channels
        self.language = language


#: Until a person chooses: e-mail (where the person has an address) and Chinese.
DEFAULT_CHANNELS, DEFAULT_LANGUAGE = ["email"], "zh-CN"
