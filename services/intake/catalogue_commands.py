"""Intake's commands and queries of the service catalogue (mixed into ``Intake``)."""
from __future__ import annotations

import json

from eventsourcing.persistence import IntegrityError

from services.intake.catalogue import DEFAULT_PUBLISHER, ServiceCatalogue, Version, default_document
from shared.calendar import WorkingCalendar, working_seconds
from shared.commands import PublishCatalogue
from shared.errors import Invalid
from shared.field_messages import said


class CatalogueCommands:
    """Reads come from the read model (a row per version); the aggregate is loaded only to
    publish. The first use of the catalogue publishes the default as version 1."""

    def service_catalogue(self) -> dict:
        """The current version, whole, with who published it, when and why."""
        return self._version_row(self.current_catalogue().number)

    def catalogue_history(self) -> dict:
        """Every version, newest first, each with its reason, who and when, and the document."""
        self.current_catalogue()
        return {"items": [json.loads(row["record"]) for row in self.read(
            "SELECT record FROM {s}catalogue_versions ORDER BY version DESC")]}

    def publish_catalogue(self, payload: dict, by: dict) -> dict:
        command = self.load_command(PublishCatalogue, payload)
        self._limits_within_the_platform(command)
        self.current_catalogue()  # the default is version 1 even when the first use is a change
        catalogue = self.repository.get(ServiceCatalogue.create_id())
        catalogue.publish(_document(command), command["reason"], by=by, at=self.clock().isoformat())
        self.save_or_conflict(catalogue, what="the catalogue",
                              details={"version": catalogue.current - 1})
        return self._version_row(catalogue.current)

    def current_catalogue(self) -> Version:
        found = self.read("SELECT version FROM {s}catalogue_versions ORDER BY version DESC LIMIT 1")
        if not found:
            return self._publish_default()
        return self.catalogue_version(found[0]["version"])

    def catalogue_version(self, number: int) -> Version:
        """A version's rules; versions never change once published, so each is kept once read."""
        kept = self._versions.get(number)
        if kept is None:
            record = self._version_row(number)
            kept = self._versions[number] = Version(number, record["catalogue"])
        return kept

    def _version_row(self, number: int) -> dict:
        (row,) = self.read("SELECT record FROM {s}catalogue_versions WHERE version = %s", number)
        return json.loads(row["record"])

    def _publish_default(self) -> Version:
        command = self.load_command(PublishCatalogue, {
            **default_document(), "reason": "the provisional default catalogue (catalogue.yaml)"})
        at = self.clock().isoformat()
        catalogue = ServiceCatalogue(by=DEFAULT_PUBLISHER, at=at)
        catalogue.publish(_document(command), command["reason"], by=DEFAULT_PUBLISHER, at=at)
        try:
            self.save(catalogue)
        except IntegrityError:
            pass  # another replica's first use published it at the same moment
        return self.catalogue_version(1)

    def _limits_within_the_platform(self, command: dict) -> None:
        """A sub-item's default limit may not be longer than the platform's (TIME_LIMITS)."""
        calendar = WorkingCalendar()
        problems: dict = {}
        for i, category in enumerate(command["categories"]):
            for j, sub_item in enumerate(category["sub_items"]):
                for stage, amount in sub_item["time_limits"].items():
                    if working_seconds(amount, calendar) > self.limits.seconds(stage, calendar):
                        problems.setdefault(i, {}).setdefault("sub_items", {}).setdefault(
                            j, {}).setdefault("time_limits", {})[stage] = [
                            said("limit_too_long", limit=self.limits.settings[stage])]
        if problems:
            raise Invalid("子项的默认时限不能长于平台规定的时限",
                          {"categories": problems})


def _document(command: dict) -> dict:
    """The catalogue as it is written (``fields``, ``zh-CN``), without the reason."""
    written = PublishCatalogue().dump(command)
    written.pop("reason")
    return written
