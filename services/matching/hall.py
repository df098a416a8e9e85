"""The demand hall (需求大厅): demands a station lists for a while before matching decides, and
the interest institutions express in them (docs/categories/demand-hall.md).

Intake says in the demand's acceptance until when it is listed (``hall_closes_at``, in working
hours of the station's calendar); matching lists it instead of deciding, takes the interest of
institutions that pass the hard constraints, and decides when the hall closes, the interested
scoring the ``interest`` component. Mixed into ``Matching``.
"""
from __future__ import annotations

import json
from datetime import datetime
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from services.matching.domain import Match
from services.matching.selection import exclusion
from shared.commands import ExpressInterest, ListHall
from shared.errors import Conflict, NotFound
from shared.readmodel import instant, keyset_page

#: Why a round leaves the hall when its window ends, or when a specialist closes it early.
WINDOW_ENDED = "the window ended"
CLOSED_BY_STAFF = "closed early by the station"


class DemandHall:
    """Matching's commands and queries of the hall (``self`` is the ``Matching`` application)."""

    def _list_or_decide(self, match: Match, data: dict, releasing: UUID | None = None) -> None:
        """A round its station lists in the hall waits there; any other is decided at once."""
        closes_at = data.get("hall_closes_at")
        if closes_at is None:
            self._decide(match, releasing)
            return
        self.registry.refresh()
        request = self._request(match)
        notified = sorted(p.id for p in self.registry.serving(match.category)
                          if exclusion(p, request) is None)
        match.open_hall(closes_at, notified, self._now())

    # The institution's side ----------------------------------------------------------------
    def express_interest(self, demand_id: str, payload: dict, by: dict) -> dict:
        """An institution that passes the hard constraints says it would take the demand."""
        command = self.load_command(ExpressInterest, payload)
        with self.deciding:
            match = self._listed(demand_id)
            self.registry.refresh()
            profile = self.registry.profiles.get(str(by["subject"]))
            if profile is None:
                raise NotFound(f"no institution {by['subject']}")
            reason = exclusion(profile, self._request(match))
            if reason is not None:
                raise Conflict(f"该机构不能对这项需求表达意向：{reason.in_language('zh-CN')}",
                               {"exclusion": str(reason), "exclusion_code": reason.code})
            match.express_interest(_institution_id(by), command["note"],
                                   command["proposed_date"], by=by, at=self._now())
            self.save_or_conflict(match, what="the demand hall", details={"demand_id": str(demand_id)})
        return self._entry(match, by)

    def withdraw_interest(self, demand_id: str, by: dict) -> dict:
        with self.deciding:
            match = self._listed(demand_id)
            match.withdraw_interest(_institution_id(by), by=by, at=self._now())
            self.save_or_conflict(match, what="the demand hall", details={"demand_id": str(demand_id)})
        return self._entry(match, by)

    # The station's side --------------------------------------------------------------------
    def close_hall(self, demand_id: str, by: dict, station: dict | None = None) -> dict:
        """A specialist of the demand's station (or a supervisor) ends its time in the hall
        early: matching decides now, with the interest expressed so far."""
        from services.matching.application import _require_park  # it imports this module
        with self.deciding:
            match = self._match_of(_uuid(demand_id))
            if match is not None:
                _require_park(by, station, [match.park])
            if match is None or not match.close_hall(CLOSED_BY_STAFF, self._now(), by):
                raise Conflict("the demand is not in the hall", {"current_status": "not_in_hall"})
            self._decide(match)
            self.save_or_conflict(match, what="the demand hall", details={"demand_id": str(demand_id)})
        return self._entry(match, by)

    def check_hall(self, batch: int = 500) -> int:
        """Close the rounds whose time in the hall has ended, and decide each (a scheduled
        check on matching's clock, like the offers' expiry)."""
        with self.deciding:
            now = self._now()
            closed = 0
            for listed in self.read("SELECT match_id FROM {s}hall WHERE status = 'open' "
                                    "AND closes_at <= %s ORDER BY closes_at LIMIT %s",
                                    instant(now), batch):
                match = self.repository.get(UUID(listed["match_id"]))
                if not match.close_hall(WINDOW_ENDED, now):
                    continue
                self._decide(match)
                try:
                    self.save(match)
                    closed += 1
                except IntegrityError:
                    pass  # an interest, a withdrawal or a replica's check saved first: next time
            return closed

    # Queries -------------------------------------------------------------------------------
    def hall(self, query: dict, viewer: dict, station: dict | None = None) -> dict:
        """The open demands of the hall ``viewer`` may see, soonest closing first: an
        institution those of the categories and parks it serves, a specialist their station's,
        a supervisor all. Never who asks (the gateway adds the request's text from intake)."""
        command = self.load_command(ListHall, query)
        filters, params = ["status = 'open'"], []
        scope = self._hall_scope(viewer, station)
        if scope is None:
            return {"items": [], "per_page": command["per_page"], "next_after": None}
        for column, values in scope.items():
            filters.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
            params += list(values)
        if command["category"] is not None:
            filters.append("category = %s")
            params.append(command["category"])
        found, next_after = keyset_page(self.read, "hall", filters, params, "closes_at",
                                        command["after"], command["per_page"], key="match_id")
        return {"items": [self._shown(json.loads(row["view"]), viewer) for row in found],
                "per_page": command["per_page"], "next_after": next_after}

    def hall_demand(self, demand_id: str, viewer: dict, station: dict | None = None) -> dict:
        """One demand of the hall; an institution sees it while it is open, staff always."""
        found = self.read("SELECT view, status, category, park FROM {s}hall WHERE match_id = %s",
                          str(Match.create_id(_uuid(demand_id))))
        scope = self._hall_scope(viewer, station)
        if not found or scope is None or any(found[0][column] not in values
                                             for column, values in scope.items()) \
                or (viewer["role"] == "institution" and found[0]["status"] != "open"):
            raise NotFound(f"没有编号为 {demand_id} 的大厅需求")
        return self._shown(json.loads(found[0]["view"]), viewer)

    def _hall_scope(self, viewer: dict, station: dict | None) -> dict | None:
        """The categories and parks ``viewer`` sees in the hall ({}: all; None: nothing)."""
        if viewer["role"] == "supervisor":
            return {}
        if viewer["role"] == "specialist":
            return {"park": [station["park"]]} if station else None
        self.registry.refresh()
        profile = self.registry.profiles.get(str(viewer["subject"]))
        if profile is None or not profile.categories or not profile.parks:
            return None
        return {"category": sorted(profile.categories), "park": sorted(profile.parks)}

    def _listed(self, demand_id: str) -> Match:
        match = self._match_of(_uuid(demand_id))
        if match is None or match.hall is None:
            raise NotFound(f"没有编号为 {demand_id} 的大厅需求")
        return match

    def _entry(self, match: Match, viewer: dict) -> dict:
        return self._shown(hall_row(match)["view"], viewer)

    def _shown(self, view: dict, viewer: dict) -> dict:
        """The listing as ``viewer`` reads it: an institution learns how many are interested
        and its own interest, staff who they are."""
        now = self.clock()
        left = (datetime.fromisoformat(view["closes_at"]) - now).total_seconds()
        interests = view.pop("interests")
        shown = {**view, "seconds_left": max(0, int(left)) if view["open"] else 0,
                 "interest_count": len(interests)}
        if viewer["role"] == "institution":
            shown["my_interest"] = interests.get(str(viewer["subject"]))
            shown["exclusion"] = self._exclusion_of(view, viewer)
        else:
            names = self._names(list(interests))
            shown["interests"] = [{**interest, "name": names.get(key)}
                                  for key, interest in sorted(interests.items(),
                                                              key=lambda kv: kv[1]["at"])]
        return shown

    def _exclusion_of(self, view: dict, viewer: dict) -> str | None:
        """Why the institution could not express interest now (in Chinese), or None."""
        profile = self.registry.profiles.get(str(viewer["subject"]))
        if profile is None:
            return None
        match = self._match_of(_uuid(view["demand_id"]))
        reason = exclusion(profile, self._request(match)) if match else None
        return reason.in_language("zh-CN") if reason is not None else None

    def _names(self, institution_ids: list[str]) -> dict[str, str]:
        if not institution_ids:
            return {}
        found = self.read("SELECT id, name FROM {s}directory WHERE id IN ("
                          + ", ".join(["%s"] * len(institution_ids)) + ")", *institution_ids)
        return {row["id"]: row["name"] for row in found}


def hall_row(match: Match) -> dict:
    """The match's row of the ``hall`` table (readmodel.py): what the hall lists of it."""
    hall = match.hall
    return {"match_id": str(match.id), "demand_id": str(match.demand_id),
            "category": match.category, "park": match.park,
            "status": "open" if hall["open"] else "closed", "closes_at": instant(hall["closes_at"]),
            "view": {"demand_id": str(match.demand_id), "category": match.category,
                     "items": list(match.items), "park": match.park,
                     "expected_by": match.expected_by.isoformat() if match.expected_by else None,
                     "round": hall["round"], "opened_at": hall["opened_at"],
                     "closes_at": hall["closes_at"], "open": hall["open"],
                     "closed_at": hall["closed_at"], "closed_because": hall["closed_because"],
                     "interests": dict(hall["interests"])}}


def _institution_id(by: dict) -> UUID:
    """The acting institution's id (an applicant's token names its credit code: no id yet)."""
    try:
        return UUID(str(by["subject"]))
    except ValueError:
        raise NotFound(f"no institution {by['subject']}") from None


def _uuid(value) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise NotFound(f"没有编号为 {value} 的大厅需求") from None
