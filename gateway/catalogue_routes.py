"""The gateway's routes of the service catalogue (mixed into ``GatewayService``): anyone signed in
reads the current version; supervisors and operators its history; a supervisor publishes a new
version, whole, with the reason (docs/categories/catalogue.md)."""
from __future__ import annotations

from marshmallow import Schema, fields

from gateway.http import route
from gateway.schemas import ActorView
from shared.commands import FIELD_KINDS, PublishCatalogue, SUB_ITEM_LIMITS

READERS = ("enterprise", "institution", "specialist", "supervisor", "operator")


class NamesView(Schema):
    zh_cn = fields.String(required=True, data_key="zh-CN", attribute="zh-CN")  # as stored
    en = fields.String(required=True)


class DemandFieldView(Schema):
    name = fields.String(required=True)
    label = fields.Nested(NamesView, required=True)
    kind = fields.String(required=True, metadata={"enum": list(FIELD_KINDS)})
    required = fields.Boolean(required=True)
    choices = fields.List(fields.String(), required=True)


class SubItemView(Schema):
    code = fields.String(required=True)
    name = fields.Nested(NamesView, required=True)
    qualifications = fields.List(fields.String(), required=True, metadata={
        "description": "the kinds that may serve it; empty: no statutory qualification"})
    fields_ = fields.List(fields.Nested(DemandFieldView), required=True, data_key="fields",
                          attribute="fields")
    time_limits = fields.Dict(keys=fields.String(metadata={"enum": list(SUB_ITEM_LIMITS)}),
                              values=fields.String(), required=True)


class CategoryView(Schema):
    code = fields.String(required=True)
    sub_items = fields.List(fields.Nested(SubItemView), required=True)


class TermView(Schema):
    term = fields.String(required=True)
    synonyms = fields.List(fields.String(), required=True)
    broader = fields.List(fields.String(), required=True)


class CatalogueDocumentView(Schema):
    categories = fields.List(fields.Nested(CategoryView), required=True)
    terms = fields.List(fields.Nested(TermView), required=True)


class CatalogueVersionView(Schema):
    version = fields.Integer(required=True)
    reason = fields.String(required=True)
    by = fields.Nested(ActorView, required=True)
    at = fields.String(required=True)
    catalogue = fields.Nested(CatalogueDocumentView, required=True)


class CatalogueHistoryView(Schema):
    items = fields.List(fields.Nested(CatalogueVersionView), required=True, metadata={
        "description": "every version, newest first"})


class CatalogueRoutes:
    @route("GET", "/api/v1/service-catalogue", roles=READERS, response=CatalogueVersionView,
           summary="The current version of the service catalogue: each category's sub-items with "
                   "the qualification kinds that may serve them, the fields a demand of each "
                   "carries and their default time limits; and the terms items are matched by")
    def get_service_catalogue(self, request, principal):
        return self.intake.service_catalogue()

    @route("GET", "/api/v1/service-catalogue/versions", roles=("supervisor", "operator"),
           response=CatalogueHistoryView,
           summary="Every version of the service catalogue, newest first, with who published "
                   "it, when and why")
    def list_catalogue_versions(self, request, principal):
        return self.intake.catalogue_history()

    @route("PUT", "/api/v1/service-catalogue", roles=("supervisor",), body=PublishCatalogue,
           response=CatalogueVersionView,
           summary="Publish a whole new version of the service catalogue, with the reason; it "
                   "applies to the demands submitted after it")
    def publish_catalogue(self, request, principal, payload):
        return self.intake.publish_catalogue(payload, principal.as_actor())
