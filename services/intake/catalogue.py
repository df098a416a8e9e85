"""The service catalogue: the categories' sub-items, what may serve each, what a demand of each
carries and how long its stages may take; and the terms items and scopes are matched through.

One ``ServiceCatalogue`` holds every version a supervisor published (the first one from
``catalogue.yaml``, the provisional default). A demand records the version current when it was
submitted, and is checked and matched by that version's rules ever after: a new version applies
to new demands only. ``Version`` answers what intake asks of one version; it decides nothing
about institutions (matching does, from what the accept event carries).
"""
from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import yaml
from eventsourcing.domain import Aggregate, event

from shared.catalogue import CATEGORIES
from shared.errors import Invalid
from shared.field_messages import said

DEFAULT_FILE = Path(__file__).with_name("catalogue.yaml")
#: Who publishes the default, the first time the catalogue is used.
DEFAULT_PUBLISHER = {"role": "system", "subject": "default-catalogue"}
_CATALOGUE = uuid.UUID("6f0c2d4e-8b1a-4c7e-9f35-2a7d5e1b3c90")


def default_document() -> dict:
    return yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))


class ServiceCatalogue(Aggregate):
    """The one catalogue of the platform (a fixed id), every version kept."""

    @staticmethod
    def create_id(**_) -> uuid.UUID:
        return _CATALOGUE

    @event("CatalogueOpened")
    def __init__(self, by: dict, at: str):
        #: every version published, oldest first: {version, catalogue, reason, by, at}
        self.versions: list[dict] = []

    @property
    def current(self) -> int:
        return len(self.versions)

    def publish(self, catalogue: dict, reason: str, by: dict, at: str) -> None:
        self._published(version=self.current + 1, catalogue=catalogue, reason=reason, by=by, at=at)

    @event("CatalogueVersionPublished")
    def _published(self, version, catalogue, reason, by, at):
        self.versions.append({"version": version, "catalogue": catalogue, "reason": reason,
                              "by": by, "at": at})


class Version:
    """One version of the catalogue, as a demand under it is checked and matched."""

    def __init__(self, number: int, catalogue: dict):
        self.number = number
        self.catalogue = catalogue
        self.sub_items = {sub_item["code"]: {**sub_item, "category": category["code"]}
                          for category in catalogue["categories"] for sub_item in category["sub_items"]}
        self._terms: dict[str, dict] = {}
        for entry in catalogue.get("terms", []):
            for word in [entry["term"], *entry["synonyms"]]:
                self._terms[word.casefold()] = entry

    def sub_item(self, code: str, category: str, where: str) -> dict:
        """The sub-item ``code`` of ``category``; Invalid naming ``where`` if there is none."""
        found = self.sub_items.get(code)
        if found is None or found["category"] != category:
            raise Invalid(f"服务目录第 {self.number} 版的{CATEGORIES[category]}中没有子项 {code}",
                          _at(where, said("unknown_sub_item", version=self.number,
                                          category=CATEGORIES[category])))
        return found

    def checked_details(self, sub_item: dict, details: dict) -> dict:
        """``details`` as the sub-item's fields ask: none unknown, the required ones given, each
        of its kind (a date as YYYY-MM-DD). Invalid naming each field that is not."""
        problems: dict = {}
        specs = {spec["name"]: spec for spec in sub_item["fields"]}
        for name in details:
            if name not in specs:
                problems[name] = [said("unknown_field")]
        for name, spec in specs.items():
            value = details.get(name)
            if value is None or value == "":
                if spec["required"]:
                    problems[name] = [said("required")]
                continue
            problem = _kind_problem(spec, value)
            if problem:
                problems[name] = [problem]
        if problems:
            raise Invalid("需求明细与所选子项要求填写的信息不符", {"details": problems})
        return {name: details[name] for name in specs if details.get(name) not in (None, "")}

    def qualification_kinds(self, category: str, sub_items: list[str]) -> list[str]:
        """The kinds of qualification that may serve a demand of ``sub_items`` (of its whole
        category when it names none): any one a sub-item names. Empty when none of them needs
        a statutory qualification."""
        chosen = [self.sub_items[code] for code in sub_items if code in self.sub_items] or [
            sub_item for sub_item in self.sub_items.values() if sub_item["category"] == category]
        return sorted({kind for sub_item in chosen for kind in sub_item["qualifications"]})

    def covering_terms(self, item: str) -> list[str]:
        """The scope terms that cover ``item``: itself, its synonyms, and its broader terms up
        the chain with theirs. A narrower term never covers a broader one."""
        covering, pending = [], [item]
        while pending:
            word = pending.pop(0)
            entry = self._terms.get(word.casefold())
            for found in [word] + ([entry["term"], *entry["synonyms"]] if entry else []):
                if found.casefold() not in (c.casefold() for c in covering):
                    covering.append(found)
            pending += [b for b in (entry["broader"] if entry else [])
                        if b.casefold() not in (c.casefold() for c in covering)]
        return covering

    def time_limits(self, sub_item: str | None) -> dict:
        return dict((self.sub_items.get(sub_item or "") or {}).get("time_limits") or {})


def _kind_problem(spec: dict, value):
    kind = spec["kind"]
    if kind == "number":
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else said("not_number")
    if not isinstance(value, str):
        return said("not_text")
    if kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return said("detail_date")
    elif kind == "choice" and value not in spec["choices"]:
        return said("one_of", choices=", ".join(spec["choices"]))
    elif len(value) > 2000:
        return said("length_max", max=2000)
    return None


def _at(where: str, message) -> dict:
    """``{"a": {"b": [message]}}`` for ``where`` = "a.b"."""
    found: dict = {}
    place = found
    parts = where.split(".")
    for part in parts[:-1]:
        place = place.setdefault(part, {})
    place[parts[-1]] = [message]
    return found
