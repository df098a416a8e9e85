"""Notices as people get them, through the HTTP API and a real mail server (aiosmtpd in its own
process): an enterprise's person receives an e-mail at each step of its case and reads the same
notices in its inbox, in Chinese or English; a mailbox the server refuses is tried again, set
aside as a dead letter, and sent once an operator replays it."""
import mailbox
import subprocess
import sys
from email.header import decode_header, make_header
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import wait_for
from tests.e2e.harness import Embedded, free_port

PASSWORD = "Notices-world-2026!"
LAB = ("specialist", "s-1")


@pytest.fixture(scope="module")
def mail(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mail")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "tests.e2e.mail_server.Recording", str(folder / "maildir"), str(folder / "refused")],
        cwd=Path(__file__).resolve().parents[2], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for(lambda: (folder / "maildir").exists(), 20, message="the mail server to start")
    yield {"port": port, "box": mailbox.Maildir(folder / "maildir"), "refused": folder / "refused"}
    server.terminate()
    server.wait(10)


@pytest.fixture(scope="module")
def platform(tmp_path_factory, mail):
    platform = Embedded(tmp_path_factory.mktemp("notices"), ONESTOP_SMTP_HOST="127.0.0.1",
                        ONESTOP_SMTP_PORT=str(mail["port"]), ONESTOP_MAIL_FROM="station@onestop.example",
                        ONESTOP_NOTICES_SEND_INTERVAL="0.2", ONESTOP_NOTICES_RETRY_SECONDS="0.2",
                        ONESTOP_NOTICES_MAX_ATTEMPTS="2").start()
    platform.api.open_station()
    yield platform
    platform.stop()


@pytest.fixture(scope="module")
def lab(platform):
    """The park's testing institution, which accepts offers at once."""
    return ok(platform.api.call("POST", "/api/v1/institutions", as_=LAB,
                                json=factories.institution(name="番禺产品检测中心")), 201)


@pytest.fixture(scope="module")
def operator(platform):
    return platform.api.first_operator_token(PASSWORD)


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def mails_to(box, address) -> list:
    return [message for message in box if address in message["To"]]


def enterprise_person(api, operator, code, name, email):
    organisation = ok(api.call("POST", "/api/v1/organisations", as_=operator, json={
        "kind": "enterprise", "party": code, "name": "广州灯具有限公司"}), 201)["id"]
    _, tokens = api.new_person(operator, organisation, name, ["enterprise_admin"], PASSWORD, email=email)
    return tokens["access_token"]


def test_an_enterprise_is_mailed_at_each_step_and_reads_the_same_notices_in_its_inbox(platform, mail, operator, lab):
    api, box = platform.api, mail["box"]
    code = factories.credit_code()
    li = enterprise_person(api, operator, code, "li-hua", "li.hua@lamps.example")
    demand = ok(api.call("POST", "/api/v1/demands", as_=li,
                         json=factories.demand(code, title="LED筒灯型式试验")), 201)["id"]
    api.wait_status(demand, "assigned", li)
    (assignment,) = ok(api.call("GET", "/api/v1/assignments", as_=("institution", lab["id"])))["items"]
    ok(api.call("POST", f"/api/v1/assignments/{assignment['assignment_id']}/completion",
                as_=("institution", lab["id"]), json={"report_number": "R-2026-1"}))

    received = wait_for(lambda: (lambda m: m if len(m) == 4 else None)(mails_to(box, "li.hua@lamps.example")),
                        30, message="four e-mails to the enterprise")
    steps = ["需求已提交：LED筒灯型式试验", "需求已受理：LED筒灯型式试验", "已确定服务机构：LED筒灯型式试验",
             "服务已完成，请评价：LED筒灯型式试验"]
    assert sorted(subject(m) for m in received) == sorted(steps)  # a Date header has whole seconds
    (assigned,) = [m for m in received if subject(m) == steps[2]]
    assert "番禺产品检测中心" in assigned.get_payload(decode=True).decode("utf-8")
    assert all(m["From"] == "station@onestop.example" for m in received)
    assert len({m["Message-ID"] for m in received}) == 4

    inbox = ok(api.call("GET", "/api/v1/notifications", as_=li))
    assert [n["subject"] for n in inbox["items"]] == list(reversed(steps))
    assert inbox["unread"] == 4 and inbox["items"][0]["at"].endswith("+08:00")
    english = ok(api.call("GET", "/api/v1/notifications", as_=li, headers={"Accept-Language": "en"}))
    assert english["items"][0]["subject"] == "Service completed, please rate it: LED筒灯型式试验"
    read = ok(api.call("POST", f"/api/v1/notifications/{inbox['items'][0]['id']}/read", as_=li))
    assert read["read"] is True
    assert ok(api.call("GET", "/api/v1/notifications?unread=true", as_=li))["unread"] == 3

    # Chosen: English, and no e-mail; the inbox keeps every notice.
    assert ok(api.call("PUT", "/api/v1/notifications/preferences", as_=li,
                       json={"channels": [], "language": "en"})) == {"channels": [], "language": "en", "chosen": True}
    refused = api.call("PUT", "/api/v1/notifications/preferences", as_=li, json={"channels": ["fax"]})
    assert refused.status_code == 422 and refused.json()["error"] == "validation_failed"
    assert "channels" in refused.json()["details"]
    missing = api.call("POST", "/api/v1/notifications/00000000-0000-0000-0000-000000000000/read", as_=li)
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


def test_a_refused_mailbox_is_tried_again_set_aside_and_sent_once_an_operator_replays_it(platform, mail, operator, lab):
    api, box = platform.api, mail["box"]
    code = factories.credit_code()
    address = "wang.fang@bulbs.example"
    mail["refused"].write_text(address)
    wang = enterprise_person(api, operator, code, "wang-fang", address)
    ok(api.call("POST", "/api/v1/demands", as_=wang, json=factories.demand(code, title="灯泡能效检测")), 201)

    def set_aside():
        letters = ok(api.call("GET", "/api/v1/dead-letters?service=notices&replayed=false", as_=operator))
        found = {letter["event"]: letter for letter in letters["items"] if letter["upstream"] == "delivery"}
        return found if len(found) == 3 else None
    # Each of the case's three notices so far (received, accepted, assigned) ran out of tries.
    letters = wait_for(set_aside, 30, message="the refused deliveries set aside")
    assert set(letters) == {"demand_received", "demand_accepted", "demand_assigned"}
    assert all("refused" in letter["error"] for letter in letters.values())
    assert mails_to(box, address) == []

    mail["refused"].write_text("")
    replayed = ok(api.call("POST", "/api/v1/dead-letters/replay", as_=operator, json={
        "service": "notices", "upstream": "delivery",
        "notification_id": letters["demand_received"]["notification_id"]}))
    assert [(o["event"], o["outcome"]) for o in replayed["items"]] == [("demand_received", "replayed")]
    (sent,) = wait_for(lambda: mails_to(box, address) or None, 30, message="the replayed e-mail")
    assert subject(sent) == "需求已提交：灯泡能效检测"
    # The other two stay set aside until they are replayed too.
    waiting = ok(api.call("GET", "/api/v1/dead-letters?service=notices&replayed=false", as_=operator))["items"]
    assert {letter["event"] for letter in waiting if letter["upstream"] == "delivery"} == {
        "demand_accepted", "demand_assigned"}
    assert len(mails_to(box, address)) == 1
