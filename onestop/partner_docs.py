"""docs/partners/schemas/: the JSON Schema (2020-12) of each integration event version,
generated from the marshmallow contracts (a test checks the files match)."""
from __future__ import annotations

import json

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from services.partners import contract

DIALECT = "https://json-schema.org/draft/2020-12/schema"
BASE = "https://onestop.example/partners/schemas/"


def _definitions(event: contract.PartnerEvent) -> dict:
    spec = APISpec(title="partners", version="1", openapi_version="3.1.0",
                   plugins=[MarshmallowPlugin()])
    spec.components.schema(event.schema.__name__, schema=event.schema)
    text = json.dumps(spec.to_dict()["components"]["schemas"])
    return json.loads(text.replace("#/components/schemas/", "#/$defs/"))


def schema_of(event: contract.PartnerEvent) -> dict:
    return {
        "$schema": DIALECT,
        "$id": f"{BASE}{event.name}.v{event.version}.json",
        "title": f"{event.name} v{event.version}",
        "description": event.summary,
        "type": "object",
        "required": ["event_id", "event", "schema_version", "occurred_at", "institution_id", "data"],
        "additionalProperties": False,
        "properties": {
            "event_id": {"type": "string", "format": "uuid",
                         "description": "unique; deduplicate on it"},
            "event": {"const": event.name},
            "schema_version": {"const": event.version},
            "occurred_at": {"type": "string", "description": "ISO 8601, UTC"},
            "institution_id": {"type": "string", "format": "uuid"},
            "data": {"$ref": f"#/$defs/{event.schema.__name__}"},
        },
        "$defs": _definitions(event),
    }


def files() -> dict[str, str]:
    """File name -> content, for every published event version."""
    return {f"{event.name}.v{event.version}.json":
            json.dumps(schema_of(event), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            for event in contract.EVENTS.values()}
