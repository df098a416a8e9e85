"""What each notice says, in Chinese first and in English: one template per kind, with the
fields it may use. A template that names a field its kind does not declare fails its test
(tests/unit/test_notices.py renders every kind), never a delivery.

Fields are filled when a notice is read or sent, not when it is recorded: ``title`` and
``institution`` are looked up then (a demand's title, an institution's current name), codes
(``category``, ``stage``) become their labels in the reader's language, and instants are shown
in the station's time zone with its offset.
"""
from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from shared.vocabulary import CATEGORY_LABELS, STAGE_LABELS

LANGUAGES = ("zh-CN", "en")
#: Fields holding a code, shown as its label.
LABELLED = {"category": CATEGORY_LABELS, "stage": STAGE_LABELS}
#: Fields holding an instant, shown in the station's zone.
INSTANTS = ("due_at", "respond_by", "start", "closes_at")


@dataclass(frozen=True)
class Text:
    audience: str  # enterprise, institution or station
    fields: tuple[str, ...]
    subject: dict[str, str]
    body: dict[str, str]


def _text(audience: str, fields: str, zh: tuple[str, str], en: tuple[str, str]) -> Text:
    return Text(audience, tuple(fields.split()), {"zh-CN": zh[0], "en": en[0]},
                {"zh-CN": zh[1], "en": en[1]})


TEXTS: dict[str, Text] = {
    # To the enterprise, about its demand
    "demand_received": _text(
        "enterprise", "title category",
        ("需求已提交：{title}", "您的需求《{title}》（{category}）已提交服务站，服务站将尽快评估并与您联系。"),
        ("Demand received: {title}", "Your demand \"{title}\" ({category}) has reached the station, "
                                     "which will assess it and contact you shortly.")),
    "information_requested": _text(
        "enterprise", "title questions",
        ("请补充材料：{title}", "服务站需要您补充以下信息后才能继续评估《{title}》：{questions}"),
        ("Information needed: {title}", "The station needs the following before it can go on "
                                        "with \"{title}\": {questions}")),
    "demand_accepted": _text(
        "enterprise", "title category",
        ("需求已受理：{title}", "您的需求《{title}》已受理（{category}），正在为您匹配服务机构。"),
        ("Demand accepted: {title}", "Your demand \"{title}\" was accepted ({category}); a "
                                     "service institution is being matched.")),
    "demand_rejected": _text(
        "enterprise", "title reason",
        ("需求不予受理：{title}", "很抱歉，您的需求《{title}》不予受理。原因：{reason}"),
        ("Demand not accepted: {title}", "Your demand \"{title}\" was not accepted. "
                                         "Reason: {reason}")),
    "demand_answered": _text(
        "enterprise", "title answer",
        ("咨询已答复：{title}", "服务站已答复您的咨询《{title}》：{answer}"),
        ("Your question was answered: {title}", "The station answered \"{title}\": {answer}")),
    "demand_assigned": _text(
        "enterprise", "title institution promised_date",
        ("已确定服务机构：{title}", "《{title}》将由{institution}为您服务，承诺完成日期：{promised_date}。"),
        ("Institution assigned: {title}", "{institution} will serve \"{title}\"; promised "
                                          "completion date: {promised_date}.")),
    "quote_given": _text(
        "enterprise", "title institution amount valid_until",
        ("报价待确认：{title}", "{institution}为《{title}》报价 {amount} 元（有效期至 {valid_until}），"
                          "请登录平台接受或拒绝；接受后方可开始检测或认证。"),
        ("A quote awaits you: {title}", "{institution} quoted {amount} yuan for \"{title}\" "
                                        "(valid until {valid_until}); sign in to accept or decline "
                                        "it. The work starts once you accept.")),
    "feedback_requested": _text(
        "enterprise", "title institution",
        ("服务已完成，请评价：{title}", "{institution}已完成《{title}》的服务，请登录平台对本次服务进行评价。"),
        ("Service completed, please rate it: {title}",
         "{institution} completed \"{title}\"; please sign in and rate the service.")),
    "complaint_answered": _text(
        "enterprise", "statement",
        ("投诉进展：被投诉方已答复", "您的投诉已收到被投诉方的答复：{statement}"),
        ("Complaint update: the other party answered", "The party you complained about "
                                                       "answered: {statement}")),
    "complaint_resolved": _text(
        "enterprise", "resolution",
        ("投诉已办结", "您的投诉已办结：{resolution}"),
        ("Complaint resolved", "Your complaint was resolved: {resolution}")),
    "booking_confirmed": _text(
        "enterprise", "instrument start",
        ("仪器预约已确认：{instrument}", "您预约的{instrument}（{start} 开始）已由所属机构确认，请按时前往使用。"),
        ("Booking confirmed: {instrument}", "Your booking of {instrument} from {start} was "
                                            "confirmed by its owner; please come on time.")),
    "booking_declined": _text(
        "enterprise", "instrument start reason",
        ("仪器预约未获确认：{instrument}", "很抱歉，您预约的{instrument}（{start} 开始）未获确认。原因：{reason}"),
        ("Booking declined: {instrument}", "Your booking of {instrument} from {start} was "
                                           "declined. Reason: {reason}")),
    # To the institution
    "booking_requested": _text(
        "institution", "instrument start purpose",
        ("新的仪器预约：{instrument}", "有企业预约了{instrument}（{start} 开始），用途：{purpose}。请登录平台确认或婉拒。"),
        ("New booking: {instrument}", "An enterprise booked {instrument} from {start} for: "
                                      "{purpose}. Sign in to confirm or decline it.")),
    "offer_made": _text(
        "institution", "title respond_by",
        ("新的服务邀请：{title}", "您收到服务邀请《{title}》，请在{respond_by}前登录平台查看需求并接受或婉拒。"),
        ("New service offer: {title}", "You have a new offer, \"{title}\"; sign in to read the "
                                       "request, and accept or decline it before {respond_by}.")),
    "hall_opened": _text(
        "institution", "category items closes_at",
        ("需求大厅有新需求：{category}", "需求大厅新挂出一项{category}需求（{items}），您的资质符合要求。"
                                   "如有意承接，请在{closes_at}前登录平台在需求大厅表达意向。"),
        ("New in the demand hall: {category}", "A {category} demand ({items}) is listed in the "
                                               "demand hall and you qualify for it. If you want "
                                               "to serve it, express your interest in the hall "
                                               "before {closes_at}.")),
    "assignment_cancelled": _text(
        "institution", "title reason",
        ("服务已取消：{title}", "《{title}》的服务已取消。原因：{reason}"),
        ("Service cancelled: {title}", "The service for \"{title}\" was cancelled. "
                                       "Reason: {reason}")),
    "feedback_received": _text(
        "institution", "title",
        ("收到服务评价：{title}", "企业已对《{title}》的服务作出评价，请登录平台查看。"),
        ("Feedback received: {title}", "The enterprise rated your service for \"{title}\"; "
                                       "sign in to read it.")),
    "complaint_against_institution": _text(
        "institution", "summary",
        ("收到一项投诉", "有一项针对贵机构的投诉：{summary}。请登录平台查看并答复。"),
        ("A complaint about you", "A complaint was made about your institution: {summary}. "
                                  "Please sign in to read and answer it.")),
    "qualification_expiring": _text(
        "institution", "number valid_until",
        ("资质即将到期：{number}", "贵机构的资质 {number} 将于 {valid_until} 到期，请及时办理续期。"),
        ("Qualification expiring: {number}", "Your qualification {number} expires on "
                                             "{valid_until}; please renew it in time.")),
    # To the station's specialists
    "demand_submitted": _text(
        "station", "title category",
        ("新需求待评估：{title}", "新需求《{title}》（{category}）已提交，请及时评估。"),
        ("New demand to assess: {title}", "A new demand \"{title}\" ({category}) is waiting "
                                          "for assessment.")),
    "information_supplied": _text(
        "station", "title",
        ("企业已补充材料：{title}", "企业已为《{title}》补充材料，请继续评估。"),
        ("Information supplied: {title}", "The enterprise supplied the information for "
                                          "\"{title}\"; please go on with the assessment.")),
    "matching_failed": _text(
        "station", "title",
        ("未能自动匹配机构：{title}", "《{title}》未能自动匹配到服务机构，请人工指派。"),
        ("No institution matched: {title}", "No institution could be matched for \"{title}\"; "
                                            "please assign one by hand.")),
    "deadline_approaching": _text(
        "station", "title stage due_at",
        ("时限即将到期：{title}", "《{title}》的{stage}时限将于{due_at}到期。"),
        ("Time limit approaching: {title}", "The {stage} time limit of \"{title}\" lapses at "
                                            "{due_at}.")),
    "deadline_breached": _text(
        "station", "title stage due_at",
        ("已超出时限：{title}", "《{title}》的{stage}时限已于{due_at}届满，仍未完成。"),
        ("Time limit breached: {title}", "The {stage} time limit of \"{title}\" lapsed at "
                                         "{due_at} before the stage was done.")),
    "complaint_received": _text(
        "station", "summary",
        ("收到一项投诉", "服务站收到一项投诉：{summary}。请在时限内受理。"),
        ("Complaint received", "The station received a complaint: {summary}. Please "
                               "acknowledge it within the time limit.")),
    "verification_due": _text(
        "enterprise", "name serial_number due_on",
        ("计量器具即将到期：{name}（{serial_number}）",
         "您的计量器具{name}（出厂编号 {serial_number}）将于 {due_on} 到期，请在计量器具台账中一键申请检定/校准。"),
        ("Instrument due: {name} ({serial_number})",
         "Your measuring instrument {name} (serial number {serial_number}) is due on {due_on}; "
         "ask for its verification or calibration with one click in your instrument register.")),
    "revisit_due": _text(
        "station", "title",
        ("待回访：{title}", "《{title}》尚未收到企业评价，请进行回访。"),
        ("Revisit due: {title}", "\"{title}\" has no feedback yet; please revisit the enterprise.")),
}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def render(kind: str, values: dict, language: str, zone: ZoneInfo) -> dict:
    """The notice's subject and body in ``language``; a value its kind declares but lacks is
    a KeyError (a template's own fault, caught by the tests)."""
    text = TEXTS[kind]
    language = language if language in LANGUAGES else LANGUAGES[0]
    shown = {name: _shown(name, values[name], language, zone) for name in text.fields}
    return {"subject": text.subject[language].format(**shown),
            "body": text.body[language].format(**shown)}


def _shown(name: str, value, language: str, zone: ZoneInfo) -> str:
    if value is None or value == "":
        return "—"
    if name in LABELLED:
        return LABELLED[name].get(value, {}).get(language, str(value))
    if name in INSTANTS:
        moment = datetime.fromisoformat(str(value)).astimezone(zone)
        return f"{moment:%Y-%m-%d %H:%M} (UTC{moment.isoformat()[-6:]})"
    if isinstance(value, (list, tuple)):
        return ("；" if language == "zh-CN" else "; ").join(str(part) for part in value)
    return str(value)
