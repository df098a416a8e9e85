"""Notices on the platform's logs: who is told what, in which language, read and unread; the
sending loop's tries, backoff, dead letters and replay; every template against its fields."""
import uuid
from zoneinfo import ZoneInfo

import pytest

from services.notices import texts
from services.notices.application import DELIVERY, Notices
from services.notices.channels import SendFailed
from shared.errors import Invalid, NotFound
from shared.vocabulary import catalogue
from shared.eventstore import open_application
from tests import factories

SPECIALIST = {"role": "specialist", "subject": "s-1"}
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def notices(platform, config):
    notices = open_application(Notices, config)
    notices.clock = platform.clock
    notices.follow_upstreams(platform.read_log, retry_backoff=0)

    def settle():
        platform.settle()
        notices.catch_up()
    platform.settle_all = settle
    yield notices
    notices.close()


class Outbox:
    """A channel that keeps what it was given (the real SMTP server is the e2e tests'); told
    to, it fails as a mail server that is down would."""

    def __init__(self):
        self.sent, self.down = [], False

    def send(self, address, subject, body, key):
        if self.down:
            raise SendFailed("the mail server did not answer")
        self.sent.append({"address": address, "subject": subject, "body": body, "key": key})


def people(directory, asked=None):
    """accounts' answer, from a dict: audience key -> persons; each question appended to
    ``asked``."""
    def of(audience):
        if "persons" in audience:
            return [person for group in directory.values() for person in group
                    if person["person_id"] in audience["persons"]]
        return directory.get(f"{audience['kind']}:{audience['party']}", [])

    def recipients(audiences):
        if asked is not None:
            asked.append(audiences)
        return [of(audience) for audience in audiences]
    return recipients


def kinds(page):
    return [item["kind"] for item in page["items"]]


@pytest.mark.parametrize("kind", sorted(texts.TEXTS))
def test_every_template_uses_only_the_fields_its_kind_declares_and_renders_in_both_languages(kind):
    text = texts.TEXTS[kind]
    for language in texts.LANGUAGES:
        used = texts.placeholders(text.subject[language]) | texts.placeholders(text.body[language])
        assert used <= set(text.fields), f"{kind} {language} uses undeclared {used - set(text.fields)}"
    sample = {name: "2026-03-02T08:08:00+00:00" if name in texts.INSTANTS else f"<{name}>"
              for name in text.fields}
    for language in texts.LANGUAGES:
        rendered = texts.render(kind, sample, language, SHANGHAI)
        assert rendered["subject"] and rendered["body"]
    with pytest.raises(KeyError):
        texts.render(kind, {}, "zh-CN", SHANGHAI)


def test_every_kind_of_notice_has_its_label_in_the_catalogue():
    assert set(catalogue()["notices"]) == set(texts.TEXTS)


def test_instants_show_in_the_stations_zone_with_the_offset_and_codes_as_labels():
    shown = texts.render("deadline_breached", {"title": "T", "stage": "assessment",
                                               "due_at": "2026-03-02T08:08:00+00:00"}, "zh-CN", SHANGHAI)
    assert "2026-03-02 16:08 (UTC+08:00)" in shown["body"] and "需求评估" in shown["body"]
    english = texts.render("deadline_breached", {"title": "T", "stage": "assessment",
                                                 "due_at": "2026-03-02T08:08:00+00:00"}, "en", SHANGHAI)
    assert "Assessment" in english["body"]


def test_each_party_is_told_what_concerns_it_and_nobody_else_is(platform, notices):
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    lab = matching.register_institution(factories.institution(name="番禺检测中心"), SPECIALIST,
                                        station=factories.PANYU)
    platform.settle_all()
    demand = intake.submit_demand(factories.demand(title="LED灯具安全检测"), SPECIALIST)
    platform.settle_all()
    enterprise = {"enterprise": demand["enterprise"]["credit_code"]}
    institution = {"institution": lab["id"]}
    specialist = {"specialist": "s-1"}

    lab_acts = {"role": "institution", "subject": lab["id"]}
    assignment = matching.assignments(lab_acts, {"status": "in_service"})["items"][0]
    matching.complete_service(assignment["assignment_id"], {"report_number": "R-1"}, lab_acts)
    platform.settle_all()

    mine = notices.inbox("p-ent", enterprise, {}, "zh-CN")
    assert kinds(mine) == ["feedback_requested", "demand_assigned", "demand_accepted", "demand_received"]
    assigned = mine["items"][1]
    assert "番禺检测中心" in assigned["body"] and "LED灯具安全检测" in assigned["subject"]
    assert assigned["at"].endswith("+08:00") and assigned["at_utc"].endswith("Z")
    assert mine["unread"] == 4 and not any(item["read"] for item in mine["items"])
    assert kinds(notices.inbox("p-lab", institution, {}, "zh-CN")) == ["offer_made"]
    assert kinds(notices.inbox("s-1", specialist, {}, "zh-CN")) == ["demand_submitted"]
    stranger = {"enterprise": factories.credit_code()}
    assert notices.inbox("p-other", stranger, {}, "zh-CN")["items"] == []

    english = notices.inbox("p-ent", enterprise, {}, "en")["items"][0]
    assert english["subject"] == "Service completed, please rate it: LED灯具安全检测"

    read = notices.mark_read(assigned["id"], "p-ent", enterprise, "zh-CN")
    assert read["read"] is True
    unread = notices.inbox("p-ent", enterprise, {"unread": True}, "zh-CN")
    assert unread["unread"] == 3 and assigned["id"] not in [item["id"] for item in unread["items"]]
    # Read by one person of the enterprise, still unread for another.
    assert notices.inbox("p-ent-2", enterprise, {}, "zh-CN")["unread"] == 4
    with pytest.raises(NotFound):
        notices.mark_read(assigned["id"], "p-other", stranger, "zh-CN")
    with pytest.raises(NotFound):
        notices.mark_read("not-an-id", "p-ent", enterprise, "zh-CN")


def test_pages_by_cursor(platform, notices):
    intake = platform.apps["intake"]
    code = factories.credit_code()
    for number in range(2):
        intake.submit_demand(factories.demand(code, title=f"第{number}项"), SPECIALIST)
    platform.settle_all()
    # Each demand: received, then accepted by the station's rules.
    first = notices.inbox("p", {"enterprise": code}, {"per_page": 3}, "zh-CN")
    rest = notices.inbox("p", {"enterprise": code}, {"per_page": 3, "after": first["next_after"]}, "zh-CN")
    assert len(first["items"]) == 3 and len(rest["items"]) == 1 and rest["next_after"] is None
    assert rest["items"][0]["subject"] == "需求已提交：第0项"
    with pytest.raises(Invalid):
        notices.inbox("p", {"enterprise": code}, {"per_page": 0}, "zh-CN")


def test_sending_tries_again_later_sets_aside_after_the_last_try_and_an_operators_replay_sends_it(platform, notices):
    intake, clock = platform.apps["intake"], platform.clock
    code = factories.credit_code()
    directory = {f"enterprise:{code}": [
        {"person_id": "p-1", "name": "李华", "email": "li@example.cn", "mobile": "13800138000"},
        {"person_id": "p-2", "name": "王芳", "email": None, "mobile": "13900139000"}]}
    notices.choose_preferences("p-2", {"channels": ["sms"], "language": "en"})
    notices.max_attempts, notices.retry_base_seconds = 3, 10
    mail, texts_out = Outbox(), Outbox()
    mail.down = True
    intake.submit_demand(factories.demand(code, consultation=True), SPECIALIST)
    platform.settle_all()
    channels = {"email": mail, "sms": texts_out}

    assert notices.deliver(people(directory), channels) == 1  # the text; the mail failed
    assert [t["address"] for t in texts_out.sent] == ["13900139000"]
    assert texts_out.sent[0]["subject"].startswith("Demand received")  # p-2 chose English
    assert notices.deliver(people(directory), channels) == 0  # waiting for its retry time
    for wait in (10, 20):
        clock.advance(seconds=wait)
        notices.deliver(people(directory), channels)
    letters = notices.abandoned_deliveries()
    assert [(letter["upstream"], letter["event"], letter["replayed"]) for letter in letters] == [
        (DELIVERY, "demand_received", False)]
    assert "did not answer" in letters[0]["error"]
    clock.advance(days=1)
    assert notices.deliver(people(directory), channels) == 0  # set aside: no more tries

    mail.down = False
    outcomes = notices.redeliver("ops-1", letters[0]["notification_id"])
    assert [outcome["outcome"] for outcome in outcomes] == ["replayed"]
    assert notices.deliver(people(directory), channels) == 1
    assert [(m["address"], m["subject"]) for m in mail.sent] == [
        ("li@example.cn", "需求已提交：Safety test of an LED lamp")]
    # Each delivery has one key on every try: a message sent twice is known as one.
    assert mail.sent[0]["key"].endswith(".p-1.email")
    assert notices.abandoned_deliveries(replayed=True)[0]["replayed"] is True
    assert notices.abandoned_deliveries(replayed=False) == []


def test_a_person_with_no_channel_gets_the_inbox_only_and_bad_preferences_are_refused(platform, notices):
    intake = platform.apps["intake"]
    code = factories.credit_code()
    directory = {f"enterprise:{code}": [{"person_id": "p-1", "name": "李华", "email": "li@example.cn",
                                         "mobile": None}]}
    notices.choose_preferences("p-1", {"channels": []})
    with pytest.raises(Invalid):
        notices.choose_preferences("p-1", {"channels": ["pigeon"]})
    with pytest.raises(Invalid):
        notices.choose_preferences("p-1", {"channels": ["email"], "language": "fr"})
    assert notices.preferences("p-1") == {"channels": [], "language": "zh-CN", "chosen": True}
    intake.submit_demand(factories.demand(code, consultation=True), SPECIALIST)
    platform.settle_all()
    mail = Outbox()
    assert notices.deliver(people(directory), {"email": mail, "sms": Outbox()}) == 0
    assert mail.sent == [] and notices.inbox("p-1", {"enterprise": code}, {}, "zh-CN")["unread"] == 1


def test_the_owner_hears_of_a_booking_and_the_enterprise_of_its_answer(platform, notices):
    from tests.unit.test_sharing import ENTERPRISE_A, instrument, slot
    matching = platform.apps["matching"]
    lab = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    owner = {"role": "institution", "subject": lab["id"]}
    listed = matching.list_instrument(instrument(), owner)
    kept = matching.book_slot(listed["id"], slot("01T09:30", "01T10:00"), ENTERPRISE_A)
    turned_down = matching.book_slot(listed["id"], slot("01T10:00", "01T10:30"), ENTERPRISE_A)
    matching.confirm_booking(kept["id"], owner)
    matching.decline_booking(turned_down["id"], {"reason": "设备维护"}, owner)
    platform.settle_all()
    told = notices.inbox("p-lab", {"institution": lab["id"]}, {}, "zh-CN")
    assert kinds(told) == ["booking_requested", "booking_requested"]
    assert "X 射线荧光光谱仪" in told["items"][-1]["body"] and "2026-12-01 09:30 (UTC+08:00)" in told["items"][-1]["body"]
    answered = notices.inbox("p-ent", {"enterprise": ENTERPRISE_A["subject"]}, {}, "zh-CN")
    assert kinds(answered) == ["booking_declined", "booking_confirmed"]
    assert "设备维护" in answered["items"][0]["body"]


def test_the_institutions_a_hall_demand_was_listed_for_are_told_without_who_asks(platform, notices):
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    intake.change_station_settings(platform.station["id"], {
        "hall": {"categories": ["inspection_testing"], "window_hours": 4},
        "reason": "institutions may show interest first"}, {"role": "operator", "subject": "ops-1"})
    eligible = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    narrow = matching.register_institution(factories.institution(qualifications=[{
        "type": "CMA", "number": "CMA-9", "scope": ["GB 7000.1"],
        "valid_from": "2021-01-01", "valid_until": "2099-12-31"}]), SPECIALIST, station=factories.PANYU)
    platform.settle_all()
    demand = intake.submit_demand(factories.demand(title="番禺灯具厂的LED灯具检测"), SPECIALIST)
    platform.settle_all()

    (told,) = notices.inbox("p-lab", {"institution": eligible["id"]}, {}, "zh-CN")["items"]
    assert told["kind"] == "hall_opened" and told["demand_id"] is None
    assert told["subject"] == "需求大厅有新需求：检验检测服务"
    # Monday 09:00 and four working hours, lunch excepted, in the station's zone.
    assert "LED lamp" in told["body"] and "2026-11-30 14:30 (UTC+08:00)" in told["body"]
    assert "番禺灯具厂" not in told["body"] + told["subject"]
    assert demand["enterprise"]["name"] not in told["body"]
    assert notices.inbox("p-narrow", {"institution": narrow["id"]}, {}, "zh-CN")["items"] == []
    english = notices.inbox("p-lab", {"institution": eligible["id"]}, {}, "en")["items"][0]
    assert english["subject"] == "New in the demand hall: Inspection and testing"


def test_a_sending_round_asks_accounts_once_for_all_its_audiences_and_sends_a_page_at_a_time(platform, notices):
    intake = platform.apps["intake"]
    codes = [factories.credit_code() for _ in range(3)]
    directory = {f"enterprise:{code}": [{"person_id": f"p-{n}", "name": "李华",
                                         "email": f"p{n}@example.cn", "mobile": None}]
                 for n, code in enumerate(codes)}
    for code in codes:
        intake.submit_demand(factories.demand(code, consultation=True), SPECIALIST)
    platform.settle_all()
    recorded = notices.read("SELECT kind FROM {s}notices")
    assert len(recorded) > 3
    asked, mail = [], Outbox()

    # Pages of two: each enterprise's notices and the station's, over several pages.
    sent = notices.deliver(people(directory, asked), {"email": mail, "sms": Outbox()}, page=2)
    enterprises = [row for row in recorded if row["kind"] != "demand_submitted"]
    assert sent == len(enterprises)
    assert sorted({m["address"] for m in mail.sent}) == ["p0@example.cn", "p1@example.cn", "p2@example.cn"]
    # One question a page (the last page may be short), naming each of its audiences once.
    assert len(asked) == (len(recorded) + 1) // 2
    assert all(len(question) == len({str(a) for a in question}) for question in asked)
    # Nothing is left outstanding, and another round sends nothing again.
    assert notices.read("SELECT COUNT(*) AS n FROM {s}notices WHERE outstanding = 1")[0]["n"] == 0
    asked.clear()
    assert notices.deliver(people(directory, asked), {"email": mail, "sms": Outbox()}) == 0
    assert asked == [] and len(mail.sent) == 3


class Refusing(Outbox):
    """A channel that raises for one address what no channel should (a defect, not a refusal),
    and calls ``during`` when it sends to another."""

    def __init__(self, broken, during=None):
        super().__init__()
        self.broken, self.during = broken, during

    def send(self, address, subject, body, key):
        if address == self.broken:
            raise ValueError("a header the mail library cannot take")
        if self.during:
            self.during(address)
        super().send(address, subject, body, key)


def three_enterprises(platform, notices):
    codes = [factories.credit_code() for _ in range(3)]
    directory = {f"enterprise:{code}": [{"person_id": f"p-{n}", "name": "李华",
                                         "email": f"p{n}@example.cn", "mobile": None}]
                 for n, code in enumerate(codes)}
    for code in codes:
        platform.apps["intake"].submit_demand(factories.demand(code, consultation=True), SPECIALIST)
    platform.settle_all()
    return codes, directory


def test_a_defect_in_one_notice_of_a_page_sets_only_it_aside_and_the_others_are_sent_once(platform, notices):
    codes, directory = three_enterprises(platform, notices)
    notices.max_attempts, notices.retry_base_seconds = 2, 10
    mail = Refusing("p1@example.cn")
    sent = notices.deliver(people(directory), {"email": mail, "sms": Outbox()})
    assert sent == len(mail.sent) and {m["address"] for m in mail.sent} == {"p0@example.cn", "p2@example.cn"}
    platform.clock.advance(seconds=10)
    notices.deliver(people(directory), {"email": mail, "sms": Outbox()})  # its last try
    platform.clock.advance(days=1)
    assert notices.deliver(people(directory), {"email": mail, "sms": Outbox()}) == 0
    assert len(mail.sent) == sent  # the others were recorded as sent, not sent again
    letters = notices.abandoned_deliveries()
    assert letters and all("header" in letter["error"] for letter in letters)


def test_a_notice_read_while_its_page_is_sent_keeps_its_read_mark_and_nothing_is_sent_again(platform, notices):
    codes, directory = three_enterprises(platform, notices)
    enterprise = {"enterprise": codes[0]}
    (first,) = notices.inbox("p-0", enterprise, {}, "zh-CN")["items"]

    def read_it(address):  # the person reads it in the inbox as its mail goes out
        if address == "p0@example.cn":
            notices.mark_read(first["id"], "p-0", enterprise, "zh-CN")
    mail = Refusing(None, during=read_it)
    sent = notices.deliver(people(directory), {"email": mail, "sms": Outbox()})
    assert sent == 3 == len(mail.sent)
    # The page's transaction lost to the read; each notice was recorded again as it stood.
    assert notices.deliver(people(directory), {"email": mail, "sms": Outbox()}) == 0
    assert len(mail.sent) == 3
    assert notices.inbox("p-0", enterprise, {}, "zh-CN")["items"][0]["read"] is True
    assert notices.read("SELECT COUNT(*) AS n FROM {s}notices WHERE outstanding = 1")[0]["n"] == 0
    # And the events say so too, not only the rows: each notice addressed and its mail sent.
    for row in notices.read("SELECT notice_id, audience FROM {s}notices"):
        recorded = notices.repository.get(uuid.UUID(row["notice_id"]))
        assert recorded.addressed and all(d["state"] == "sent" for d in recorded.deliveries.values())
