"""The archive: a projection of every service's log into documents, with sealed, verifiable
dossiers.

Collections: ``events`` (the raw, append-only archive of every notification of every service),
``dossiers`` (one summary per demand), ``entries`` (one per event of a dossier's timeline: a new
event appends one and updates the summary in place, without rewriting the case),
``institutions``, ``stations``, ``positions`` (per upstream, the last notification applied) and
``dead_letters``. Every write is idempotent (keyed by service and notification id, guarded by
the dossier's event count and head), so re-applying a notification after a crash between the
effects and the position changes nothing.

The collections form a *generation*, named in ``archive_meta``: a rebuild writes a new one
beside the one in use, which stays readable (and followed) until the new one is complete and
takes its place in one write.
"""
from __future__ import annotations

import logging
import math
import sqlite3
import uuid
from datetime import datetime, timezone
from itertools import groupby
from pathlib import Path
from typing import Callable

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import BulkWriteError, ConnectionFailure, DuplicateKeyError

from services.archive.dossier import (
    DEFAULT_RETENTION_YEARS, ENTRY_FIELDS, appended, dossier, entry_id, entry_of, public, stored,
    verify_chain)
from services.archive.files import ArchiveFiles, files_described, files_named
from services.archive.printing import print_dossier
from services.archive.seals import ArchiveSeals, disposed
from shared.commands import AsOf, SearchDossiers, load_command
from shared.cooperation import let_others_run
from shared.errors import Disposed, NotFound
from shared.inbox import FollowsUpstreams, UpstreamLog
from shared.messages import Message
from shared.readmodel import cursor, cursor_position
from shared.retention import DisposalsDue, RetentionAct

log = logging.getLogger(__name__)

COLLECTIONS = ("events", "entries", "dossiers", "institutions", "stations", "positions",
               "dead_letters")
#: Where the generation in use and a rebuild's progress are kept (outside every generation).
META = "archive_meta"
#: Dossier fields a supervisor's search filters on.
SEARCHABLE = ("enterprise.credit_code", "assignment.institution_id", "category", "station_id",
              "status", "submitted_utc", "breached")
#: The registrations kept as registers: the id field and the collection of each.
REGISTERS = {"InstitutionRegistered": ("institution_id", "institutions"),
             "StationRegistered": ("station_id", "stations")}
#: A raw event's bucket (from its demand id): a rebuild folds the dossiers a few buckets at a
#: time, so what it holds in memory depends on the step, not on the archive's size.
BUCKETS = 4096
#: About how many events a rebuild folds into dossiers per step, and the most buckets a step
#: takes (a document store checks each candidate against every bucket the step names).
FOLD_STEP_EVENTS = 5000
FOLD_STEP_BUCKETS = 64


def bucket_of(demand_id: str | None) -> int | None:
    return None if demand_id is None else uuid.UUID(demand_id).int % BUCKETS


class Generation:
    """One generation of the archive's collections (the first one has the plain names)."""

    def __init__(self, db, name: str):
        self.name = name
        prefix = f"{name}_" if name else ""
        for collection in COLLECTIONS:
            setattr(self, collection, db[prefix + collection])

    def ensure_indexes(self) -> None:
        # The raw events are read only by a rebuild's fold, by bucket.
        self.events.create_index([("bucket", ASCENDING)])
        # A dossier's few entries are sorted as they are read.
        self.entries.create_index([("demand_id", ASCENDING)])
        for field in SEARCHABLE:
            self.dossiers.create_index([(field, ASCENDING)])
        self.dossiers.create_index([("submitted_utc", DESCENDING), ("_id", DESCENDING)])

    def drop(self) -> None:
        for collection in COLLECTIONS:
            getattr(self, collection).drop()

    def timeline(self, summary: dict) -> list[dict]:
        """The dossier's entries in timeline order (an archive written before entries were kept
        apart holds them inside the summary, until the dossier's next event or a rebuild)."""
        if "events" in summary:
            return summary["events"]
        return list(self.entries.find({"demand_id": summary["demand_id"]}, sort=[
            ("occurred_at", ASCENDING), ("service", ASCENDING), ("notification_id", ASCENDING)]))


class Archive(FollowsUpstreams):
    upstreams = ("intake", "matching", "evaluation")
    # The document store unreachable or busy (litemongo's SQLite file locked): retried.
    transient_errors = (ConnectionFailure, sqlite3.OperationalError)
    # Every write is idempotent, so a run needs no transaction (apply_all).
    applies_runs = True

    def __init__(self, db, seals: ArchiveSeals | None = None,
                 retention_years: int = DEFAULT_RETENTION_YEARS, files: ArchiveFiles | None = None,
                 prints: Path | None = None):
        self.db = db
        self.seals = seals
        #: where the files the dossiers name are kept (files.py); None: not kept (unit tests)
        self.files = files
        #: where printed dossiers are written for the gateway (printing.py); None: not printed
        self.prints = prints
        self.retention_years = retention_years
        self._meta = db[META]
        self._indexed: set[str] = set()
        self.generation()

    def generation(self) -> Generation:
        """The generation in use, looked up at each call: a rebuild may have swapped it."""
        found = self._meta.find_one({"_id": "generation"})
        return self._of(found["current"] if found else "")

    def _of(self, name: str) -> Generation:
        generation = Generation(self.db, name)
        if name not in self._indexed:
            generation.ensure_indexes()
            self._indexed.add(name)
        return generation

    def close(self) -> None:
        if self.seals is not None:
            self.seals.close()

    # The archive's own log (its seals), for the relay and for followers ------------------------
    def log(self, after: int, limit: int) -> list[Message]:
        return self.seals.log(after, limit)

    def last_notification_id(self) -> int:
        return self.seals.last_notification_id()

    # Following -----------------------------------------------------------------------------
    def position(self, upstream: str) -> int:
        found = self.generation().positions.find_one({"_id": upstream})
        return found["position"] if found else 0

    def apply(self, message: Message) -> None:
        self.apply_all([message])

    def apply_all(self, messages) -> None:
        # One generation for the effects and the position: a swap in between leaves the new
        # generation's position behind these messages, which are then pulled and applied there.
        # The effects one after the other, then the position once: a run cut short leaves
        # effects that its notifications, applied again one by one, find already written (the
        # same as a crash between an effect and its position).
        generation = self.generation()
        messages = list(messages)
        disposed_of = self._disposed_among(_dossier_of(message) for message in messages)
        self._record(generation, messages, disposed_of)
        _advance(generation, messages[-1])

    def _record(self, generation: Generation, messages: list[Message],
                disposed_of: set[str] = frozenset()) -> None:
        """The run's raw events in one write and its registers, then each dossier's entries
        together (a run holds several of a demand's: its submission and acceptance, an offer
        and its assignment): a document write per notification was most of the archive's work."""
        entries: dict[str, list[dict]] = {}
        for message in _file_raw(generation, messages, disposed_of):
            demand_id = _dossier_of(message)
            if demand_id:
                entries.setdefault(demand_id, []).append(entry_of(message))
                if self.files is not None:
                    for sha256 in files_named(message.data):  # before the entry: a failure retries both
                        self.files.keep(sha256)
        for demand_id, added in entries.items():
            self._add_to_dossier(generation, demand_id, added)
            let_others_run()  # the document store's writes may not yield to other green threads

    def dead_letter(self, message: Message, error: str) -> None:
        generation = self.generation()
        generation.dead_letters.update_one(
            {"_id": f"{message.service}:{message.id}"},
            {"$setOnInsert": {**entry_of(message), "error": error}}, upsert=True)
        _advance(generation, message)

    def dead_letters(self, after=None, limit: int = 100, replayed: bool | None = None) -> list[dict]:
        query = {}
        if after is not None:
            query["$or"] = [{"service": {"$gt": after[0]}},
                            {"service": after[0], "notification_id": {"$gt": int(after[1])}}]
        if replayed is not None:
            query["replayed_by"] = {"$exists": replayed}
        found = self.generation().dead_letters.find(query).sort(
            [("service", 1), ("notification_id", 1)]).limit(int(limit))
        return [{"upstream": letter["service"], "notification_id": letter["notification_id"],
                 "event": letter["name"], "error": letter["error"],
                 "replayed": "replayed_by" in letter} for letter in found]

    def replay(self, message: Message, by: str) -> None:
        # Recording is idempotent (keyed by notification), so a replay cut short is simply
        # run again; the letter is marked only once its effects are in.
        generation = self.generation()
        self._record(generation, [message], self._disposed_among([_dossier_of(message)]))
        generation.dead_letters.update_one({"_id": f"{message.service}:{message.id}"},
                                           {"$set": {"replayed_by": by}})

    def _add_to_dossier(self, generation: Generation, demand_id: str, entries: list[dict]) -> None:
        """Append the entries, in order, to their dossier: the entries written, then the
        summary updated in place once for all that follow its timeline.

        The entries are written before the summary that counts them, and the summary only if
        it is still the one read (its event count and head), so concurrent followers and a
        crash between the writes leave entries that the next fold of that dossier counts."""
        pending = list(entries)
        while pending:
            current = generation.dossiers.find_one({"_id": demand_id})
            if current is None:
                summary, created = stored(dossier(demand_id, pending[:1], self.retention_years))
                generation.entries.replace_one({"_id": created[0]["_id"]}, created[0], upsert=True)
                try:
                    generation.dossiers.insert_one(summary)
                except DuplicateKeyError:
                    continue  # created concurrently by another upstream's follower
                done = 1
            else:
                summary, following = current, []
                for entry in pending:
                    step = appended(summary, entry, self.retention_years)
                    if step is None:
                        break
                    summary, stored_entry = step
                    following.append(stored_entry)
                if following:
                    for stored_entry in following:
                        generation.entries.replace_one({"_id": stored_entry["_id"]}, stored_entry,
                                                       upsert=True)
                    if not _replaced(generation, current, summary):
                        continue
                    done = len(following)
                elif self._counted(generation, current, pending[0]):
                    done, summary = 1, None
                else:  # not after the whole timeline: folded again, with all that are pending
                    summary = self._refold(generation, current, pending)
                    if summary is None:
                        continue
                    done = len(pending)
            del pending[:done]
            if summary is not None and summary["seal"] is not None and self.seals is not None:
                self.seals.seal(summary)  # once: later calls find the seal recorded

    @staticmethod
    def _counted(generation: Generation, current: dict, entry: dict) -> bool:
        """Whether the entry is already in the dossier (a redelivery): it is stored, and every
        stored entry is counted by the summary."""
        if "events" in current:
            return any((e["service"], e["notification_id"]) ==
                       (entry["service"], entry["notification_id"]) for e in current["events"])
        demand_id = current["demand_id"]
        return (generation.entries.find_one({"_id": entry_id(demand_id, entry)}, {"_id": 1})
                is not None and generation.entries.count_documents(
                    {"demand_id": demand_id}) == current["event_count"])

    def _refold(self, generation: Generation, current: dict, entries: list[dict]) -> dict | None:
        """Fold the dossier again from all its entries and these (late arrivals: a run of one
        upstream's that sort before another's already filed are folded in once, not once each;
        or a dossier still in the shape kept before entries were apart); the summary written,
        or None when another follower changed the dossier meanwhile."""
        demand_id = current["demand_id"]
        for entry in entries:
            generation.entries.update_one(
                {"_id": entry_id(demand_id, entry)},
                {"$setOnInsert": {"demand_id": demand_id, **entry}}, upsert=True)
        members = {e["_id"]: e for e in generation.entries.find({"demand_id": demand_id})}
        for legacy in current.get("events", ()):
            members.setdefault(entry_id(demand_id, legacy), {"demand_id": demand_id, **legacy})
        summary, entries = stored(dossier(demand_id, list(members.values()), self.retention_years))
        for stored_entry in entries:
            if members[stored_entry["_id"]] != stored_entry:
                generation.entries.replace_one({"_id": stored_entry["_id"]}, stored_entry,
                                               upsert=True)
        return summary if _replaced(generation, current, summary) else None

    # Queries -------------------------------------------------------------------------------
    def dossier(self, demand_id: str, as_of: str | None = None) -> dict:
        """The dossier, whole or (``as_of``) as the case stood then, with the legal hold that
        stands on it now (the seals' record: not part of the case, so no rebuild redraws it)."""
        generation = self.generation()
        found = self._found(generation, demand_id)
        events = generation.timeline(found)
        moment = load_command(AsOf, {"as_of": as_of})["as_of"] if as_of is not None else None
        held = {"legal_hold": self.seals.legal_hold(str(demand_id)) if self.seals is not None else None}
        if moment is None:
            return {**public(found, events), **held}
        past = [e for e in events if datetime.fromisoformat(e["occurred_at"]) <= moment]
        if not past:
            raise NotFound(f"demand {demand_id} did not exist yet at {as_of}")
        # The case as it stood then: the same pure function over the events known by then.
        return {**public(dossier(str(demand_id), past, self.retention_years)), **held,
                "as_of": moment.isoformat()}

    def dossier_ids(self):
        """Every dossier's demand id, in order, read a page at a time."""
        collection, after = self.generation().dossiers, None
        while page := list(collection.find({} if after is None else {"_id": {"$gt": after}},
                                           {"_id": 1}, sort=[("_id", ASCENDING)], limit=1000)):
            yield from (found["_id"] for found in page)
            after = page[-1]["_id"]

    def dossiers(self) -> list[dict]:
        """Every dossier whole (for tests and small archives: it holds them all)."""
        return [self.dossier(demand_id) for demand_id in self.dossier_ids()]

    def search(self, payload: dict) -> dict:
        """Dossiers by enterprise, institution, category, station, status, submission dates
        and breaches, newest first, a page at a time by cursor (summaries, not timelines)."""
        query = load_command(SearchDossiers, payload)
        selector: dict = {}
        for key, field in (("enterprise", "enterprise.credit_code"),
                           ("institution", "assignment.institution_id"), ("category", "category"),
                           ("station", "station_id"), ("status", "status")):
            if query.get(key):
                selector[field] = str(query[key])
        dates = {}
        for key, operator in (("submitted_from", "$gte"), ("submitted_to", "$lte")):
            if query[key] is not None:  # stored as UTC ISO text, which sorts as time does
                dates[operator] = query[key].astimezone(timezone.utc).isoformat()
        if dates:
            selector["submitted_utc"] = dates
        if query["breached"] is not None:
            selector["breached"] = query["breached"]
        if query["after"] is not None:
            selector = {"$and": [selector, _after(*cursor_position(query["after"]))]}
        per_page = query["per_page"]
        found = list(self.generation().dossiers.find(
            selector, {"fold": 0, "events": 0},
            sort=[("submitted_utc", DESCENDING), ("_id", DESCENDING)], limit=per_page + 1))
        next_after = None
        if len(found) > per_page:
            found, last = found[:per_page], found[per_page - 1]
            next_after = cursor(last["submitted_utc"] or "", last["_id"])
        return {"items": [public(d) for d in found], "per_page": per_page, "next_after": next_after}

    def verify(self, demand_id: str, check_sources: bool = False) -> dict:
        """Whether the dossier is intact: its hash chain, its seal against the seal recorded in
        the archive's event store, and (``check_sources``) each entry against the event store it
        came from, read through the upstream logs it follows. Names the first broken entry."""
        upstream_log = getattr(self, "_upstream_log", None) if check_sources else None
        generation = self.generation()
        found = self._found(generation, demand_id)
        entries = public(found, generation.timeline(found))["events"]
        report = {"demand_id": str(demand_id), "entries": len(entries), "intact": True,
                  "first_broken": verify_chain({"demand_id": found["demand_id"], "events": entries}),
                  "seal": None, "sources_checked": False}
        if report["first_broken"] is None and len(entries) != found["event_count"]:
            report["first_broken"] = {
                "index": min(len(entries), found["event_count"]),
                "problem": f"the summary counts {found['event_count']} entries, "
                           f"{len(entries)} are stored"}
        recorded = self.seals.seal_of(str(demand_id)) if self.seals is not None else None
        if recorded is not None:
            held = found.get("seal") or {}
            report["seal"] = {"recorded": recorded, "matches": held.get("head") == recorded["head"]}
            if not report["seal"]["matches"] and report["first_broken"] is None:
                index = recorded["event_count"] - 1
                report["first_broken"] = {
                    "index": index, "problem": "the sealed timeline differs from the seal recorded "
                                               "when it was sealed"}
        if upstream_log is not None and report["first_broken"] is None:
            report["sources_checked"] = True
            report["first_broken"] = _compare_with_sources(entries, upstream_log)
        named = list(dict.fromkeys(sha for entry in entries for sha in files_named(entry["data"])))
        report["files"] = [{"sha256": sha, "problem": problem} for sha in named
                           if self.files is not None and (problem := self.files.check(sha))]
        report["intact"] = report["first_broken"] is None and not report["files"]
        return report

    def archived_file(self, demand_id: str, sha256: str) -> dict:
        """A file the dossier names, as kept: its name and media type (NotFound otherwise)."""
        generation = self.generation()
        found = self._found(generation, demand_id)
        if self.files is None:
            raise NotFound(f"no dossier for demand {demand_id}")
        for entry in generation.timeline(found):
            for described in files_described(entry["data"]):
                if described["sha256"] == sha256:
                    return {"name": described["name"], "media_type": described["media_type"]}
        raise NotFound(f"the dossier of {demand_id} names no file {sha256}")

    def printable(self, demand_id: str) -> dict:
        """What a printed dossier shows beyond the dossier itself: the names of its station and
        institution (from the registers) and every file it names, once each, in timeline order."""
        generation = self.generation()
        found = self._found(generation, demand_id)
        shown = public(found, generation.timeline(found))
        files = {}
        for entry in shown["events"]:
            for described in files_described(entry["data"]):
                files.setdefault(described["sha256"], {**described, "named_by": entry["name"]})
        station = generation.stations.find_one({"_id": shown["station_id"]}) or {}
        institution_id = (shown["assignment"] or {}).get("institution_id")
        institution = generation.institutions.find_one({"_id": institution_id}) or {}
        return {"dossier": shown, "files": list(files.values()), "station": station.get("name"),
                "institution": institution.get("name")}

    def printed(self, demand_id: str, printed_by: dict) -> dict:
        """The dossier printed as PDF/A (printing.py) into the files volume, for the gateway to
        stream: the print's file name there, and the name and type to download it as."""
        if self.files is None or self.prints is None:
            raise NotFound(f"no dossier for demand {demand_id}")
        name = print_dossier(self.printable(demand_id), self.verify(demand_id, check_sources=True),
                             printed_by, self.seals.clock().isoformat(), self.files.path,
                             self.prints)
        return {"print": name, "name": f"dossier-{demand_id}.pdf", "media_type": "application/pdf"}

    def _found(self, generation: Generation, demand_id: str) -> dict:
        """The dossier's summary; NotFound, or Disposed with its tombstone, if there is none."""
        found = generation.dossiers.find_one({"_id": str(demand_id)})
        if found is not None:
            return found
        tombstone = self.seals.tombstone(str(demand_id)) if self.seals is not None else None
        if tombstone is not None:
            raise disposed(tombstone)
        raise NotFound(f"no dossier for demand {demand_id}")

    # Retention acts (seals.py records them) ------------------------------------------------
    def disposals_due(self, payload: dict) -> dict:
        query = load_command(DisposalsDue, payload)
        return self.seals.due(query["after"], query["per_page"])

    def place_legal_hold(self, demand_id: str, payload: dict, by: dict) -> dict:
        reason = load_command(RetentionAct, payload)["reason"]
        self._found(self.generation(), demand_id)
        return self.seals.place_legal_hold(str(demand_id), reason, by)

    def release_legal_hold(self, demand_id: str, payload: dict, by: dict) -> dict:
        reason = load_command(RetentionAct, payload)["reason"]
        self._found(self.generation(), demand_id)
        return self.seals.release_legal_hold(str(demand_id), reason, by)

    def dispose(self, demand_id: str, payload: dict, by: dict) -> dict:
        """Dispose of a sealed dossier past its retention: the act recorded (the tombstone: who,
        when, why, the chain head then), then its entries, raw events and the files no other
        dossier names removed from every generation. Asked again after a removal cut short,
        it finishes the removal and answers that the dossier is disposed of."""
        reason = load_command(RetentionAct, payload)["reason"]
        demand_id = str(demand_id)
        try:
            found = self._found(self.generation(), demand_id)
        except Disposed:
            self._remove_content(demand_id)
            raise
        recorded = self.seals.dispose(demand_id, reason, by, found["chain_head"],
                                      found["event_count"])
        self._remove_content(demand_id)
        return recorded

    def _remove_content(self, demand_id: str) -> None:
        generations = [self.generation()]
        rebuilding = self._meta.find_one({"_id": "rebuild"})
        if rebuilding is not None:  # a rebuild's fold may have written the case already
            generations.append(self._of(rebuilding["generation"]))
        for generation in generations:
            found = generation.dossiers.find_one({"_id": demand_id})
            entries = generation.timeline(found) if found is not None else list(
                generation.entries.find({"demand_id": demand_id}))
            # The files first: cut short after them, the entries still say which they were.
            for sha256 in {sha for entry in entries for sha in files_named(entry["data"])}:
                if self.files is not None and not _named_elsewhere(generations, demand_id, sha256):
                    self.files.remove(sha256)
            generation.entries.delete_many({"demand_id": demand_id})
            generation.events.delete_many({"demand_id": demand_id})
            generation.dossiers.delete_one({"_id": demand_id})

    def _disposed_among(self, demand_ids) -> set[str]:
        ids = {demand_id for demand_id in demand_ids if demand_id}
        return self.seals.disposed_among(ids) if ids and self.seals is not None else set()

    # Rebuild -------------------------------------------------------------------------------
    def rebuild(self, upstream_log: UpstreamLog, progress: Callable[[str, int, int], None] | None = None,
                page: int = 1000, restart: bool = False) -> int:
        """Replay each upstream's whole log into a new generation, then put it in use; returns
        the events copied by this run.

        The generation in use stays readable, and followed, throughout. The new one is written
        in two passes: the raw events a page at a time (with the registers and each upstream's
        position), then the dossiers a step of buckets at a time, each with the same pure
        function as live following (so the result equals the live archive), their missing
        seals recorded per step. What is done is kept in ``archive_meta``: a rebuild cut short
        resumes where it stopped (``restart`` starts it over). Once the new generation is in
        use, live following pulls what arrived during the rebuild from the upstream logs.
        ``progress(stage, position, count)``: an upstream's copy, or ``"dossiers"``."""
        state = self._meta.find_one({"_id": "rebuild"})
        if state is not None and restart:
            self._of(state["generation"]).drop()
            state = None
        if state is None:
            state = {"_id": "rebuild", "generation": self._new_generation_name(),
                     "phase": "copy", "folded": 0, "width": None}
            self._meta.replace_one({"_id": "rebuild"}, state, upsert=True)
        target = self._of(state["generation"])
        copied = 0
        if state["phase"] == "copy":
            copied = self._copy(target, upstream_log, progress, page)
            # Every notification copied (ids count from 1), as if each joined a dossier.
            events = sum(found["position"] for found in target.positions.find({}))
            steps = min(BUCKETS, max(1, math.ceil(events / FOLD_STEP_EVENTS)))
            state = self._progressed(state, phase="fold",
                                     width=min(FOLD_STEP_BUCKETS, math.ceil(BUCKETS / steps)))
        if state["phase"] == "fold":
            self._fold(target, state, progress)
        self._swap(target)
        return copied

    def _new_generation_name(self) -> str:
        found = self._meta.find_one_and_update({"_id": "generations"}, {"$inc": {"made": 1}},
                                               upsert=True, return_document=True)
        return f"g{found['made']}"

    def _progressed(self, state: dict, **changes) -> dict:
        state = {**state, **changes}
        self._meta.replace_one({"_id": "rebuild"}, state)
        return state

    def _copy(self, target: Generation, upstream_log: UpstreamLog, progress, page: int) -> int:
        copied = 0
        for upstream in self.upstreams:
            found = target.positions.find_one({"_id": upstream})
            position = found["position"] if found else 0
            while batch := upstream_log(upstream, position, page):
                # A page cut short by a crash is written again.
                _file_raw(target, batch, self._disposed_among(_dossier_of(message) for message in batch))
                position = batch[-1].id
                target.positions.update_one({"_id": upstream}, {"$set": {"position": position}},
                                            upsert=True)
                copied += len(batch)
                if progress:
                    progress(upstream, position, copied)
        return copied

    def _fold(self, target: Generation, state: dict, progress) -> None:
        width, written = state["width"], 0
        for start in range(state["folded"], BUCKETS, width):
            buckets = list(range(start, min(start + width, BUCKETS)))
            raw = sorted(target.events.find({"bucket": {"$in": buckets}}, {"bucket": 0}),
                         key=lambda e: e["demand_id"])
            # A case disposed of since its events were copied is not folded back either.
            disposed_of = self._disposed_among({e["demand_id"] for e in raw})
            documents = [dossier(demand_id, list(events), self.retention_years)
                         for demand_id, events in groupby(raw, key=lambda e: e["demand_id"])
                         if demand_id not in disposed_of]
            del raw
            ids = [document["demand_id"] for document in documents]
            # A step cut short by a crash is done again from the start: its writes go first.
            target.entries.delete_many({"demand_id": {"$in": ids}})
            target.dossiers.delete_many({"_id": {"$in": ids}})
            summaries, entries = [], []
            for document in documents:
                summary, timeline = stored(document)
                summaries.append(summary)
                entries.extend(timeline)
            if entries:
                target.entries.insert_many(entries, ordered=False)
                target.dossiers.insert_many(summaries, ordered=False)
            if self.seals is not None:
                self.seals.seal_all([d for d in summaries if d["seal"] is not None])
            state = self._progressed(state, folded=buckets[-1] + 1)
            written += len(documents)
            if progress:
                progress("dossiers", buckets[-1] + 1, written)

    def _swap(self, target: Generation) -> None:
        """Put the new generation in use (one write), then drop the one it replaces."""
        replaced = self.generation()
        if replaced.name != target.name:
            self._meta.replace_one({"_id": "generation"}, {"current": target.name}, upsert=True)
            replaced.drop()
        self._meta.delete_one({"_id": "rebuild"})


def _advance(generation: Generation, message: Message) -> None:
    generation.positions.update_one(
        {"_id": message.service}, {"$max": {"position": message.id}}, upsert=True)


def _replaced(generation: Generation, current: dict, summary: dict) -> bool:
    """Write the summary if the dossier is still as it was read."""
    return bool(generation.dossiers.replace_one(
        {"_id": current["_id"], "event_count": current["event_count"],
         "chain_head": current["chain_head"]}, summary).matched_count)


def _file_raw(generation: Generation, messages: list[Message], disposed_of: set[str]) -> list[Message]:
    """A run's or a page's raw events in one write, and the registers their registrations
    belong to; the messages kept (a disposed case's late events stay out, never brought back)."""
    kept = [message for message in messages if _dossier_of(message) not in disposed_of]
    if kept:
        _insert_new(generation.events, [
            {"_id": f"{message.service}:{message.id}", **entry_of(message),
             "demand_id": _dossier_of(message), "bucket": bucket_of(_dossier_of(message))}
            for message in kept])
    for message in messages:
        _record_register(generation, message)
    return kept


def _record_register(generation: Generation, message: Message) -> None:
    """Keep the register an institution's or a station's registration belongs to."""
    if message.event not in REGISTERS:
        return
    key, name = REGISTERS[message.event]
    record = {k: v for k, v in message.data.items() if k != key}
    getattr(generation, name).replace_one(
        {"_id": message.data[key]}, {**record, "registered_at": message.occurred_at}, upsert=True)


def _insert_new(collection, documents: list[dict]) -> None:
    """Insert the documents, leaving alone those already there (same key, same content)."""
    try:
        collection.insert_many(documents, ordered=False)
    except BulkWriteError as error:
        if any(e.get("code") != 11000 for e in error.details.get("writeErrors", ())):
            raise


def _after(submitted_utc: str, demand_id: str) -> dict:
    """The dossiers after the cursor's, newest first (those with no submission yet last)."""
    if not submitted_utc:
        return {"submitted_utc": None, "_id": {"$lt": demand_id}}
    return {"$or": [{"submitted_utc": {"$lt": submitted_utc}},
                    {"submitted_utc": submitted_utc, "_id": {"$lt": demand_id}},
                    {"submitted_utc": None}]}


def _named_elsewhere(generations: list[Generation], demand_id: str, sha256: str) -> bool:
    """Whether another dossier names the file (files are kept by content, so shared). No index
    serves this: a disposal is rare, and an index would cost every entry written."""
    named = {"$or": [{"data.attachments.sha256": sha256},
                     {"data.evidence.documents.sha256": sha256}]}
    return any(generation.entries.find_one({"demand_id": {"$ne": demand_id}, **named}, {"_id": 1})
               for generation in generations)


def _dossier_of(message: Message) -> str | None:
    """The demand whose dossier a notification joins; the archive's own seals join none."""
    demand_id = message.data.get("demand_id")
    return str(demand_id) if demand_id and message.service != "archive" else None


def _compare_with_sources(entries: list[dict], upstream_log: UpstreamLog) -> dict | None:
    """The first entry that differs from the notification its service's event store holds."""
    for index, entry in enumerate(entries):
        found = upstream_log(entry["service"], entry["notification_id"] - 1, 1)
        source = entry_of(found[0]) if found and found[0].id == entry["notification_id"] else None
        if source is None or any(source[key] != entry.get(key) for key in ENTRY_FIELDS):
            return {"index": index, "service": entry["service"],
                    "notification_id": entry["notification_id"], "name": entry.get("name"),
                    "problem": "differs from the event store" if source else
                               "not in the event store"}
    return None
