"""Matching's answers as plain data: an institution, whole (its staff's view) or as the
directory shows it to everyone else."""
from __future__ import annotations

from services.matching.domain import Institution

#: What anyone may read of an institution in the directory: what it offers and holds, not how
#: it stands with the platform or how loaded it is.
PUBLIC = ("id", "name", "categories", "parks", "home_park", "qualifications", "price_list",
          "satisfaction", "on_time_rate")


def institution_view(institution: Institution) -> dict:
    return {
        "id": str(institution.id),
        "name": institution.name,
        "credit_code": institution.credit_code,
        "status": institution.status,
        "status_reason": institution.status_reason,
        "categories": institution.categories,
        "qualifications": [
            {**q, "valid_from": q["valid_from"].isoformat(), "valid_until": q["valid_until"].isoformat()}
            for q in institution.qualifications
        ],
        "track_record": getattr(institution, "track_record", []),  # none in older snapshots
        "parks": institution.parks,
        "home_park": institution.home_park,
        "capacity": institution.capacity,
        "auto_accept_offers": institution.auto_accept_offers,
        "satisfaction": institution.satisfaction,
        "on_time_rate": institution.on_time_rate,
        "price_list": institution.price_list,
        "contact": getattr(institution, "contact", None),  # none before a profile change
        "registered_at": institution.created_on.isoformat(),
    }


def serving(view: dict, category: str, items: list[str], required_types: tuple[str, ...]) -> dict:
    """The institution as a demand it serves shows it: its name, the valid qualifications that
    cover the demand's items (of the types its category requires, where it requires some), and
    its prices for those items."""
    wanted = {item.casefold() for item in items}
    qualifications = [q for q in view["qualifications"] if q["status"] == "valid"
                      and (not required_types or q["type"] in required_types)
                      and wanted & {s.casefold() for s in q["scope"]}]
    return {"id": view["id"], "name": view["name"], "contact": view["contact"],
            "qualifications": qualifications,
            "prices": [p for p in view["price_list"] if p["item"].casefold() in wanted]}


def directory_entry(view: dict, staff: bool, load: dict | None) -> dict:
    """An institution as the directory shows it: to staff, whole with its load (open
    assignments against capacity); to anyone else, what it offers, and only valid
    qualifications."""
    if staff:
        return {**view, "open_assignments": (load or {}).get("open", 0)}
    public = {key: view[key] for key in PUBLIC}
    public["qualifications"] = [q for q in view["qualifications"] if q["status"] == "valid"]
    return public
