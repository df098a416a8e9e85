"""The gateway's evaluation routes: revisits, complaints, supervision checks, indicator
configurations, figures, reports, trends, published evaluations and improvement actions.

Mixed into ``GatewayService``, whose ``_viewer`` adds a specialist's station; the evaluation
service decides from that viewer who may read which scope.
"""
from __future__ import annotations

import csv
import io

from werkzeug.wrappers import Response

from gateway.http import language_of, route
from gateway.zones import in_station_zone
from gateway.schemas import (
    CheckPage, CheckView, ComplaintPage, ComplaintView, ConfigurationPage, ConfigurationView,
    EvaluationPage, EvaluationView, FiguresView, ImprovementActionPage, ImprovementActionView,
    ReportView, RevisitPage, TrendView)
from shared.commands import (
    AsShown, CloseImprovement, ComplaintNote, EvaluationQuery, FileComplaint, ListComplaints,
    ListRevisits,
    ListEvaluations, ListImprovementActions, Paging, PublishEvaluation, RecordCheck,
    RegisterConfiguration, ResolveComplaint, TrendQuery, WithdrawEvaluation)
from shared.vocabulary import DIMENSION_LABELS, INDICATOR_LABELS, UNIT_LABELS

READERS = ("supervisor", "specialist", "institution")
HANDLERS = ("specialist", "supervisor")
SCOPE = {"schema": {"type": "string"}, "description": "all, station:<id>, institution:<id> or "
                                                       "category:<code>"}
PERIOD = {"required": True, "schema": {"type": "string"},
          "description": "YYYY-MM, YYYY-Qn, YYYY or YYYY-MM-DD..YYYY-MM-DD"}
FORMAT = {"schema": {"type": "string", "enum": ["json", "csv"]}}


class EvaluationRoutes:
    # Feedback revisits -----------------------------------------------------------------------
    @route("GET", "/api/v1/revisits", roles=HANDLERS, query=ListRevisits, response=RevisitPage,
           summary="Revisit tasks (回访): completed services whose feedback window lapsed, "
                   "oldest first, paged by cursor; instants in each one's station's time zone "
                   "(utc=true: as recorded)")
    def list_revisits(self, request, principal, query):
        viewer = self._viewer(principal)
        page = self.evaluation.list_revisits(viewer.get("station_id"), query)
        return {**page, "items": [in_station_zone(self, item, query, station_id=item["station_id"])
                                  for item in page["items"]]}

    # Complaints ------------------------------------------------------------------------------
    @route("POST", "/api/v1/complaints", roles=("enterprise",), body=FileComplaint,
           response=ComplaintView, status=201,
           summary="Complain about a station, a specialist or an institution")
    def file_complaint(self, request, principal, payload):
        return self._complaint_shown(self.evaluation.file_complaint(payload, principal.as_actor()))

    @route("GET", "/api/v1/complaints", roles=("enterprise", "institution") + HANDLERS,
           response=ComplaintPage, query=ListComplaints,
           summary="Complaints: an enterprise's own, those against an institution, a station's, "
                   "or (supervisor) all; newest first, paged by cursor")
    def list_complaints(self, request, principal, query):
        page = self.evaluation.list_complaints(self._viewer(principal), query)
        return {**page, "items": [self._complaint_shown(item, query) for item in page["items"]]}

    @route("GET", "/api/v1/complaints/<complaint_id>", roles=("enterprise", "institution") + HANDLERS,
           query=AsShown, response=ComplaintView, summary="Read a complaint and its history")
    def get_complaint(self, request, principal, complaint_id, query):
        return self._complaint_shown(self.evaluation.get_complaint(complaint_id, self._viewer(principal)),
                                     query)

    @route("POST", "/api/v1/complaints/<complaint_id>/answer", roles=("institution",),
           body=ComplaintNote, response=ComplaintView, status=201,
           summary="The institution complained about gives its side (it changes no status)")
    def answer_complaint(self, request, principal, complaint_id, payload):
        return self._complaint_shown(self.evaluation.answer_complaint(complaint_id, payload,
                                                                      principal.as_actor()))

    @route("POST", "/api/v1/complaints/<complaint_id>/investigation", roles=HANDLERS,
           body=ComplaintNote, response=ComplaintView, summary="Take a complaint up")
    def investigate_complaint(self, request, principal, complaint_id, payload):
        return self._handle(principal, complaint_id, "investigate", payload)

    @route("POST", "/api/v1/complaints/<complaint_id>/escalation", roles=HANDLERS,
           body=ComplaintNote, response=ComplaintView,
           summary="Escalate a complaint to a supervisor, who then resolves it")
    def escalate_complaint(self, request, principal, complaint_id, payload):
        return self._handle(principal, complaint_id, "escalate", payload)

    @route("POST", "/api/v1/complaints/<complaint_id>/resolution", roles=HANDLERS,
           body=ResolveComplaint, response=ComplaintView,
           summary="Resolve a complaint with its outcome")
    def resolve_complaint(self, request, principal, complaint_id, payload):
        return self._handle(principal, complaint_id, "resolve", payload)

    def _handle(self, principal, complaint_id, step, payload):
        return self._complaint_shown(self.evaluation.handle_complaint(complaint_id, step, payload,
                                                                      self._viewer(principal)))

    def _complaint_shown(self, complaint: dict, query: dict | None = None) -> dict:
        """A complaint with its instants where its station is."""
        return in_station_zone(self, complaint, query, station_id=complaint["station_id"])

    # Supervision -----------------------------------------------------------------------------
    @route("POST", "/api/v1/supervision/checks", roles=("supervisor",), body=RecordCheck,
           response=CheckView, status=201,
           summary="Record a spot check or revisit with findings; may suspend an institution")
    def record_check(self, request, principal, payload):
        return self.evaluation.record_check(payload, principal.as_actor())

    @route("GET", "/api/v1/supervision/checks", roles=("supervisor",), query=Paging,
           response=CheckPage, summary="Supervision checks, newest first, paged by cursor")
    def list_checks(self, request, principal, query):
        return self.evaluation.list_checks(query)

    # Indicator configurations ----------------------------------------------------------------
    @route("GET", "/api/v1/evaluation/configurations", roles=READERS, query=Paging,
           response=ConfigurationPage,
           summary="Indicator configuration versions in the order registered, the shipped "
                   "default first, paged by cursor; the last registered is current")
    def list_configurations(self, request, principal, query):
        return self.evaluation.list_configurations(query)

    @route("GET", "/api/v1/evaluation/configurations/<version>", roles=READERS,
           response=ConfigurationView, summary="One indicator configuration version")
    def get_configuration(self, request, principal, version):
        return self.evaluation.get_configuration(version)

    @route("POST", "/api/v1/evaluation/configurations", roles=("supervisor",),
           body=RegisterConfiguration, response=ConfigurationView, status=201,
           summary="Register a new indicator configuration version (docs/evaluation.md); it "
                   "becomes current")
    def register_configuration(self, request, principal, payload):
        return self.evaluation.register_configuration(payload, principal.as_actor())

    # Figures, reports, trends ----------------------------------------------------------------
    @route("GET", "/api/v1/evaluation/figures", roles=READERS, response=FiguresView,
           query={"scope": SCOPE, "period": PERIOD},
           summary="Raw figures of a scope over a period, counted from events")
    def get_figures(self, request, principal):
        return self.evaluation.get_figures(request.args.get("scope", "all"),
                                           request.args.get("period", ""), self._viewer(principal))

    @route("GET", "/api/v1/evaluation/report", roles=READERS, response=ReportView,
           query=EvaluationQuery,
           summary="Score a scope's period (not published): figures, indicator scores, grade")
    def get_report(self, request, principal, query):
        report = labelled(self.evaluation.get_report(query, self._viewer(principal)), language_of(request))
        return as_csv(report, language_of(request)) if query.get("format") == "csv" else report

    @route("GET", "/api/v1/evaluation/trend", roles=READERS, response=TrendView, query=TrendQuery,
           summary="Scores and indicator values of consecutive months, quarters or years")
    def get_trend(self, request, principal, query):
        return self.evaluation.get_trend(query, self._viewer(principal))

    # Published evaluations and improvement ---------------------------------------------------
    @route("POST", "/api/v1/evaluations", roles=("supervisor",), body=PublishEvaluation,
           response=EvaluationView, status=201,
           summary="Publish an evaluation (EvaluationPublished); a low grade raises improvement "
                   "actions")
    def publish_evaluation(self, request, principal, payload):
        return self.evaluation.publish_evaluation(payload, principal.as_actor())

    @route("POST", "/api/v1/evaluations/<evaluation_id>/withdrawal", roles=("supervisor",),
           body=WithdrawEvaluation, response=EvaluationView,
           summary="Withdraw a mistaken publication, saying why (EvaluationWithdrawn); it stays, "
                   "marked, its open improvement actions are withdrawn, and the period can be "
                   "published again")
    def withdraw_evaluation(self, request, principal, evaluation_id, payload):
        return self.evaluation.withdraw_evaluation(evaluation_id, payload, principal.as_actor())

    @route("GET", "/api/v1/evaluations", roles=READERS, response=EvaluationPage,
           query=ListEvaluations, summary="Published evaluations, newest first, paged by cursor")
    def list_evaluations(self, request, principal, query):
        return self.evaluation.list_evaluations(self._viewer(principal), query)

    @route("GET", "/api/v1/evaluations/<evaluation_id>", roles=READERS, response=EvaluationView,
           query={"format": FORMAT}, summary="A published evaluation (format=csv for a spreadsheet)")
    def get_evaluation(self, request, principal, evaluation_id):
        published = labelled(self.evaluation.get_evaluation(evaluation_id, self._viewer(principal)),
                             language_of(request))
        return as_csv(published, language_of(request)) if request.args.get("format") == "csv" else published

    @route("GET", "/api/v1/improvement-actions", roles=READERS, response=ImprovementActionPage,
           query=ListImprovementActions,
           summary="Improvement actions raised by low grades, open ones first, paged by cursor "
                   "(withdrawn ones only when asked for by status)")
    def list_improvement_actions(self, request, principal, query):
        return self.evaluation.list_improvement_actions(self._viewer(principal), query)

    @route("POST", "/api/v1/improvement-actions/<action_id>/progress", roles=READERS,
           body=ComplaintNote, response=ImprovementActionView,
           summary="Record progress on an improvement action")
    def record_improvement(self, request, principal, action_id, payload):
        return self.evaluation.improve(action_id, "progress", payload, self._viewer(principal))

    @route("POST", "/api/v1/improvement-actions/<action_id>/closure", roles=("supervisor",),
           body=CloseImprovement, response=ImprovementActionView,
           summary="Close an improvement action once checked")
    def close_improvement(self, request, principal, action_id, payload):
        return self.evaluation.improve(action_id, "close", payload, principal.as_actor())


CSV_COLUMNS = {
    "zh-CN": ("部分", "维度", "编号", "名称", "单位", "数值", "得分", "权重"),
    "en": ("section", "dimension", "id", "name", "unit", "value", "score", "weight"),
}
SECTIONS = {"zh-CN": {"total": "总分", "dimension": "维度", "indicator": "指标", "figure": "原始数据",
                      "configuration": "指标配置"},
            "en": {"total": "total", "dimension": "dimension", "indicator": "indicator",
                   "figure": "figure", "configuration": "configuration"}}


def labelled(report: dict, language: str) -> dict:
    """A report whose dimensions, indicators and units also carry their names in ``language``
    (``label``, ``unit_label``); a dimension a configuration added keeps the name it was given."""
    def label(labels, code, given):
        return labels.get(code, {}).get(language, given)
    return {**report, "dimensions": [
        {**dimension, "label": label(DIMENSION_LABELS, dimension["id"], dimension["name"]),
         "indicators": [{**line, "label": label(INDICATOR_LABELS, line["id"], line["name"]),
                         "unit_label": label(UNIT_LABELS, line["unit"], line["unit"])}
                        for line in dimension["indicators"]]}
        for dimension in report["dimensions"]]}


def as_csv(report: dict, language: str = "zh-CN") -> Response:
    """A labelled report as one CSV table in ``language`` (Chinese unless English is asked
    for): the total, each dimension and indicator, then raw figures. It starts with a byte order
    mark, so a spreadsheet opened on a Chinese desktop reads it as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    sections = SECTIONS[language]
    writer.writerow(CSV_COLUMNS[language])
    writer.writerow((sections["total"], "", _text(report["scope"]), f"{report['period']} "
                     f"({report['first_day']}..{report['last_day']})",
                     _text(f"{sections['configuration']} {report['configuration_version']}"),
                     _text(report["grade"] or ""), _cell(report["total"]), ""))
    for dimension in report["dimensions"]:
        writer.writerow((sections["dimension"], _text(dimension["id"]), _text(dimension["id"]),
                         _text(dimension.get("label", dimension["name"])), "", "",
                         _cell(dimension["score"]), dimension["weight"]))
        for line in dimension["indicators"]:
            writer.writerow((sections["indicator"], _text(dimension["id"]), _text(line["id"]),
                             _text(line.get("label", line["name"])),
                             _text(line.get("unit_label", line["unit"])), _cell(line["value"]),
                             _cell(line["score"]), line["weight"]))
    for figure, value in report["figures"].items():
        writer.writerow((sections["figure"], "", _text(figure), "", "", _cell(value), "", ""))
    name = f"evaluation-{report['scope'].replace(':', '-')}-{report['period']}.csv"
    return Response(out.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _cell(value) -> str:
    return "" if value is None else f"{value:g}"


#: What makes a spreadsheet read a cell as a formula (OWASP's list, tab and return included).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value) -> str:
    """A text cell a spreadsheet shows as text: one that would start a formula (a name a
    supervisor typed into a configuration, "=HYPERLINK(...)") gets a leading apostrophe."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
