"""The gateway: HTTP in front of the services' RPC. It owns no data; it authenticates, checks
what each role may see, validates bodies and speaks JSON."""
from __future__ import annotations

import eventlet
from nameko.rpc import RpcProxy
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from werkzeug.wrappers import Response

from gateway.errors import ApiError, json_response
from gateway.http import route, unmatched
from gateway.openapi import document
from gateway.schemas import DemandView, DossierView, FiguresView, Health, InstitutionView
from shared.commands import RegisterInstitution, SubmitDemand

STAFF = ("specialist", "supervisor", "operator")
FALLBACK_METHODS = "GET,POST,PUT,PATCH,DELETE,OPTIONS,TRACE"
READY_TIMEOUT = 2.0


class GatewayService:
    name = "gateway"

    intake = RpcProxy("intake")
    matching = RpcProxy("matching")
    evaluation = RpcProxy("evaluation")
    archive = RpcProxy("archive")

    @route("POST", "/api/v1/institutions", roles=("specialist", "operator"),
           body=RegisterInstitution, response=InstitutionView, status=201,
           summary="Register a quality technical service institution")
    def register_institution(self, request, principal, payload):
        return self.matching.register_institution(payload, principal.as_actor())

    @route("GET", "/api/v1/institutions/<institution_id>", roles=STAFF + ("institution",),
           response=InstitutionView, summary="Read an institution")
    def get_institution(self, request, principal, institution_id):
        if principal.role == "institution" and principal.subject != institution_id:
            raise ApiError(404, "not_found", f"no institution {institution_id}")
        return self.matching.get_institution(institution_id)

    @route("POST", "/api/v1/demands", roles=("enterprise", "specialist"), body=SubmitDemand,
           response=DemandView, status=201, summary="Submit an enterprise's demand")
    def submit_demand(self, request, principal, payload):
        if principal.role == "enterprise" and payload["enterprise"]["credit_code"] != principal.subject:
            raise ApiError(403, "forbidden", "an enterprise may submit demands only for itself",
                           {"enterprise.credit_code": "must be the token's subject"})
        return self.intake.submit_demand(payload, principal.as_actor())

    @route("GET", "/api/v1/demands/<demand_id>", roles=STAFF + ("enterprise", "institution"),
           response=DemandView, summary="Read a demand with its status and assignment")
    def get_demand(self, request, principal, demand_id):
        demand = self.intake.get_demand(demand_id)
        self._require_party(principal, demand["enterprise"]["credit_code"],
                            (demand.get("assignment") or {}).get("institution_id"), demand_id)
        return demand

    @route("GET", "/api/v1/archive/demands/<demand_id>",
           roles=("specialist", "supervisor", "enterprise", "institution"),
           response=DossierView, summary="Read a demand's dossier: its whole timeline")
    def get_dossier(self, request, principal, demand_id):
        dossier = self.archive.get_dossier(demand_id)
        self._require_party(principal, (dossier.get("enterprise") or {}).get("credit_code"),
                            (dossier.get("assignment") or {}).get("institution_id"), demand_id)
        return dossier

    @route("GET", "/api/v1/evaluation/figures", roles=STAFF, response=FiguresView,
           query={"period": {"required": True, "schema": {"type": "string", "pattern": r"^\d{4}-\d{2}$"}}},
           summary="Raw figures of a month (YYYY-MM), counted from events")
    def get_figures(self, request, principal):
        return self.evaluation.get_figures(request.args.get("period", ""))

    @route("GET", "/openapi.json", summary="This document")
    def openapi(self, request):
        return document(type(self))

    @route("GET", "/healthz", response=Health, summary="The gateway process is alive")
    def healthz(self, request):
        return {"status": "ok", "services": {}}

    @route("GET", "/readyz", response=Health, summary="Every service answers over RPC")
    def readyz(self, request):
        services = {}
        for name in ("intake", "matching", "evaluation", "archive"):
            try:
                with eventlet.Timeout(READY_TIMEOUT):
                    getattr(self, name).health()
                services[name] = "ok"
            except (Exception, eventlet.Timeout):  # Timeout is not an Exception
                services[name] = "unavailable"
        ready = all(state == "ok" for state in services.values())
        return json_response({"status": "ok" if ready else "unavailable", "services": services},
                             status=200 if ready else 503)

    @route("GET", "/metrics", summary="Prometheus metrics")
    def metrics(self, request):
        return Response(generate_latest(), content_type=CONTENT_TYPE_LATEST)

    @route(FALLBACK_METHODS, "/", documented=False)
    @route(FALLBACK_METHODS, "/<path:path>", documented=False)
    def fallback(self, request, path=""):
        raise unmatched(type(self), request.method, request.path)

    @staticmethod
    def _require_party(principal, enterprise_code, institution_id, demand_id):
        """An enterprise sees only its own cases, an institution only those assigned to it;
        to anyone else the case does not exist."""
        if principal.role == "enterprise" and principal.subject != enterprise_code:
            raise ApiError(404, "not_found", f"no demand {demand_id}")
        if principal.role == "institution" and principal.subject != institution_id:
            raise ApiError(404, "not_found", f"no demand {demand_id}")
