"""Accounts on every store: the first operator, sign-in and lock-out, refresh tokens that are
used up, administrators' powers, and what the tokens say."""
import json
import stat
from datetime import timedelta

import jwt
import pytest

from services.accounts.application import Accounts
from services.accounts.keys import KeyRing
from services.accounts.second_factor import code_at
from services.intake.application import Intake
from shared.errors import Conflict, Forbidden, Invalid, NotFound, TooManyAttempts, Unauthenticated
from shared.eventstore import open_application
from tests import factories

OPERATOR = {"role": "operator", "subject": "ops-1"}
STRONG = "Panyu-energy-2026"


@pytest.fixture
def accounts(config, clock):
    config = {**config, "AUTH": {"issuer": "https://onestop.example", "audience": "onestop-api"}}
    app = open_application(Accounts, config)
    app.ring.ensure(clock())  # as the service's first start does
    app.clock = clock
    yield app
    app.close()


def claims_of(accounts, token):
    """Verified as any holder of the JWKS would, but by the test's clock, not today's."""
    key = jwt.PyJWK(accounts.jwks()["keys"][-1]).key
    return jwt.decode(token, key, algorithms=["ES256"], audience="onestop-api",
                      issuer="https://onestop.example", options={"verify_exp": False,
                                                                 "verify_iat": False})


@pytest.fixture
def matching(accounts, config, clock):
    """Matching on the same kind of store and the same clock, followed by accounts."""
    from services.matching.application import Matching

    app = open_application(Matching, config)
    app.clock = clock
    accounts.follow_upstreams(lambda upstream, after, limit: app.log(after, limit)
                              if upstream == "matching" else [], retry_backoff=0)
    yield app
    app.close()


def as_person(tokens):
    return {"role": "person", "subject": tokens["person"]["id"], "person": tokens["person"]["id"]}


def signed_in_operator(accounts, clock):
    """The first operator, password changed and authenticator set up, signed in with a code;
    the authenticator's secret is kept on the returned tokens (``secret``)."""
    first = accounts.first_operator()
    tokens = accounts.sign_in({"sign_in_name": "operator", "password": first["password"]})
    accounts.change_password({"current_password": first["password"], "new_password": STRONG},
                             as_person(tokens))
    pending = accounts.sign_in({"sign_in_name": "operator", "password": STRONG})
    assert pending["pending"] == "second_factor_setup"
    secret = accounts.propose_second_factor(as_person(pending))["secret"]
    accounts.confirm_second_factor({"code": code_at(secret, clock())}, as_person(pending))
    clock.advance(seconds=30)  # a code serves once: the next sign-in is a step later
    signed_in = accounts.sign_in({"sign_in_name": "operator", "password": STRONG,
                                  "code": code_at(secret, clock())})
    return {**signed_in, "secret": secret}


def station_person(accounts, name="zhang.wei", roles=("specialist",)):
    """A person of the Panyu station (registered by the first call)."""
    found = accounts.read("SELECT id FROM {s}organisations WHERE party = %s", "station-panyu")
    station_id = found[0]["id"] if found else accounts.register_organisation(
        {"kind": "station", "party": "station-panyu", "name": "番禺节能科技园站"}, OPERATOR)["id"]
    return accounts.create_person({"organisation_id": station_id, "sign_in_name": name,
                                   "name": "张伟", "roles": list(roles)}, OPERATOR)


def test_the_first_operator_is_made_once_and_must_change_the_one_time_password(accounts):
    first = accounts.first_operator()
    assert first["sign_in_name"] == "operator" and len(first["password"]) == 16
    assert accounts.first_operator() is None  # never a second one, never the password again
    tokens = accounts.sign_in({"sign_in_name": "Operator", "password": first["password"]})
    assert tokens["must_change_password"] is True
    claims = claims_of(accounts, tokens["access_token"])
    assert claims["act"] == {} and claims["pending"] == "password_change"  # no role until then
    by = as_person(tokens)
    for weak, problem in [("short1A!", "长度"), ("alllowercaseletters", "至少三类"),
                          ("Operator-2026-x", "登录名"), ("Password123", "常见")]:
        with pytest.raises(Invalid, match=problem):
            accounts.change_password({"current_password": first["password"], "new_password": weak}, by)
    with pytest.raises(Unauthenticated):
        accounts.change_password({"current_password": "not it", "new_password": STRONG}, by)
    accounts.change_password({"current_password": first["password"], "new_password": STRONG}, by)
    with pytest.raises(Unauthenticated):  # the one-time password is spent
        accounts.sign_in({"sign_in_name": "operator", "password": first["password"]})
    again = accounts.sign_in({"sign_in_name": "operator", "password": STRONG})
    claims = claims_of(accounts, again["access_token"])
    # An operator must also set up a second factor before acting (below).
    assert claims["act"] == {} and claims["pending"] == "second_factor_setup"


def test_what_a_password_change_or_an_authenticator_refuses_names_the_field_in_chinese(accounts, clock):
    """The console shows each refusal under the field the person typed it in: the request's own
    field names, in words the person reads."""
    first = accounts.first_operator()
    by = as_person(accounts.sign_in({"sign_in_name": "operator", "password": first["password"]}))
    with pytest.raises(Invalid) as short:
        accounts.change_password({"current_password": first["password"], "new_password": "Ab1!x"}, by)
    assert list(short.value.fields) == ["new_password"]
    assert "长度须为 10 至 128 个字符" in [m.in_language("zh-CN") for m in short.value.fields["new_password"]]
    with pytest.raises(Conflict) as same:
        accounts.change_password({"current_password": first["password"],
                                  "new_password": first["password"]}, by)
    assert same.value.details == {"new_password": ["新密码不能与当前密码相同"]}
    with pytest.raises(Unauthenticated) as wrong:
        accounts.change_password({"current_password": "Not-the-password-1", "new_password": STRONG}, by)
    assert wrong.value.details == {"reason": "wrong_credentials", "current_password": ["当前密码不正确"]}
    accounts.change_password({"current_password": first["password"], "new_password": STRONG}, by)

    pending = as_person(accounts.sign_in({"sign_in_name": "operator", "password": STRONG}))
    secret = accounts.propose_second_factor(pending)["secret"]
    right = code_at(secret, clock())
    with pytest.raises(Invalid) as refused:
        accounts.confirm_second_factor({"code": "000000" if right != "000000" else "111111"}, pending)
    assert [m.in_language("zh-CN") for m in refused.value.fields["code"]] == ["验证码不正确，请核对身份验证器的时间后重试"]
    assert accounts.confirm_second_factor({"code": right}, pending)["second_factor"] is True


def test_an_operator_acts_only_with_a_second_factor_and_each_code_serves_once(accounts, clock):
    tokens = signed_in_operator(accounts, clock)
    claims = claims_of(accounts, tokens["access_token"])
    assert claims["act"] == {"operator": claims["sub"]} and "pending" not in claims
    assert tokens["person"]["second_factor"] is True
    secret = tokens["secret"]
    used = code_at(secret, clock())
    with pytest.raises(Unauthenticated, match="验证码"):  # the password alone is not enough now
        accounts.sign_in({"sign_in_name": "operator", "password": STRONG})
    with pytest.raises(Unauthenticated, match="登录名或密码错误"):  # a code seen once is spent
        accounts.sign_in({"sign_in_name": "operator", "password": STRONG, "code": used})
    with pytest.raises(Unauthenticated, match="登录名或密码错误"):
        accounts.sign_in({"sign_in_name": "operator", "password": STRONG, "code": "000000"
                          if used != "000000" else "111111"})
    clock.advance(seconds=30)
    assert accounts.sign_in({"sign_in_name": "operator", "password": STRONG,
                             "code": code_at(secret, clock())})["pending"] is None
    with pytest.raises(Conflict):  # a second authenticator only after a reset
        accounts.propose_second_factor(as_person(tokens))
    reset = accounts.reset_second_factor(tokens["person"]["id"], OPERATOR)
    assert reset["second_factor"] is False
    clock.advance(seconds=30)
    assert accounts.sign_in({"sign_in_name": "operator", "password": STRONG})["pending"] == \
        "second_factor_setup"


def test_an_access_token_says_who_for_whom_and_lives_ten_minutes_at_most(accounts, clock):
    tokens = signed_in_operator(accounts, clock)
    claims = claims_of(accounts, tokens["access_token"])
    assert claims["iss"] == "https://onestop.example" and claims["aud"] == "onestop-api"
    assert claims["sub"] == tokens["person"]["id"] and claims["roles"] == ["operator"]
    assert claims["org"] == tokens["person"]["organisation_id"]
    assert claims["exp"] - claims["iat"] == 600 == tokens["expires_in"]
    assert claims["iat"] == int(clock().timestamp())
    assert len(claims["jti"]) == 32
    assert jwt.get_unverified_header(tokens["access_token"])["kid"] == accounts.jwks()["keys"][-1]["kid"]


def test_every_failure_gets_the_same_answer_and_five_lock_the_name_for_fifteen_minutes(accounts, clock):
    secret = signed_in_operator(accounts, clock)["secret"]
    answers = []
    for name in ("operator", "nobody-at-all"):
        for _ in range(5):
            with pytest.raises(Unauthenticated) as failed:
                accounts.sign_in({"sign_in_name": name, "password": "wrong-Password-1"})
            answers.append(repr(failed.value.args))
        with pytest.raises(TooManyAttempts) as locked:  # even the right password now
            accounts.sign_in({"sign_in_name": name, "password": STRONG})
        assert int(locked.value.details["retry_after"]) == 15 * 60
    assert len(set(answers)) == 1  # an existing name and an unknown one cannot be told apart
    clock.advance(minutes=15, seconds=1)
    assert accounts.sign_in({"sign_in_name": "operator", "password": STRONG,
                             "code": code_at(secret, clock())})["access_token"]
    failures = [json.loads(e.state)["reason"] for e in accounts.recorder.select_notifications(start=0, limit=1000)
                if e.topic.endswith("SignInFailed")]
    # Recorded for the person: five wrong passwords and the lock-out; the unknown name has no events.
    assert failures == ["wrong password"] * 5 + ["locked out"]


def test_a_refresh_token_is_used_up_and_one_used_twice_ends_the_session(accounts, clock):
    tokens = signed_in_operator(accounts, clock)
    renewed = accounts.refresh({"refresh_token": tokens["refresh_token"]})
    assert renewed["refresh_token"] != tokens["refresh_token"]
    clock.advance(seconds=31)  # past the interval in which its answer may have been lost
    with pytest.raises(Unauthenticated):  # the old one again: a copy is in other hands
        accounts.refresh({"refresh_token": tokens["refresh_token"]})
    with pytest.raises(Unauthenticated):  # so the session is over for the newest too
        accounts.refresh({"refresh_token": renewed["refresh_token"]})
    for unknown in ("not-a-token", "00000000-0000-0000-0000-000000000000.x"):
        with pytest.raises(Unauthenticated):
            accounts.refresh({"refresh_token": unknown})
    with pytest.raises(Invalid):
        accounts.refresh({"refresh_token": ""})


def test_the_token_replaced_last_presented_again_at_once_is_a_lost_answer_not_a_theft(accounts, clock):
    """A browser reloaded while its refresh was under way: the cookie the answer set never
    arrived, so the page presents the one it had. Within the interval it gets new tokens; the
    token of the lost answer then counts as replaced, and shows theft if it ever comes back."""
    tokens = signed_in_operator(accounts, clock)
    lost = accounts.refresh({"refresh_token": tokens["refresh_token"]})
    clock.advance(seconds=29)
    again = accounts.refresh({"refresh_token": tokens["refresh_token"]})
    assert again["refresh_token"] not in (lost["refresh_token"], tokens["refresh_token"])
    kept = accounts.refresh({"refresh_token": again["refresh_token"]})  # the session goes on
    # Only the token replaced last, and only once more: the first one is older than that now.
    with pytest.raises(Unauthenticated):
        accounts.refresh({"refresh_token": tokens["refresh_token"]})
    with pytest.raises(Unauthenticated):  # and presenting it ended the session
        accounts.refresh({"refresh_token": kept["refresh_token"]})


def test_a_lost_answer_is_recognised_only_within_the_interval(accounts, clock):
    tokens = signed_in_operator(accounts, clock)
    renewed = accounts.refresh({"refresh_token": tokens["refresh_token"]})
    clock.advance(seconds=31)
    with pytest.raises(Unauthenticated):
        accounts.refresh({"refresh_token": tokens["refresh_token"]})
    with pytest.raises(Unauthenticated):
        accounts.refresh({"refresh_token": renewed["refresh_token"]})


def test_signing_out_ends_the_session(accounts, clock):
    tokens = signed_in_operator(accounts, clock)
    accounts.sign_out({"refresh_token": tokens["refresh_token"]})
    with pytest.raises(Unauthenticated):
        accounts.refresh({"refresh_token": tokens["refresh_token"]})


def test_a_disabled_person_is_refused_refresh_at_once_and_sign_in_as_any_failure(accounts):
    created = station_person(accounts)
    tokens = accounts.sign_in({"sign_in_name": "zhang.wei", "password": created["one_time_password"]})
    accounts.disable_person(created["id"], {"enabled": False, "reason": "调离工作站"}, OPERATOR)
    with pytest.raises(Unauthenticated):
        accounts.refresh({"refresh_token": tokens["refresh_token"]})
    with pytest.raises(Unauthenticated, match="登录名或密码错误"):
        accounts.sign_in({"sign_in_name": "zhang.wei", "password": created["one_time_password"]})
    with pytest.raises(Conflict):
        accounts.disable_person(created["id"], {"enabled": False, "reason": "again"}, OPERATOR)
    accounts.disable_person(created["id"], {"enabled": True, "reason": "回到工作站"}, OPERATOR)
    assert accounts.sign_in({"sign_in_name": "zhang.wei", "password": created["one_time_password"]})


def test_who_may_create_whom(accounts):
    created = station_person(accounts)
    assert created["roles"] == ["specialist"] and created["must_change_password"]
    with pytest.raises(Conflict, match="已被使用"):  # names are taken whatever their case
        station_person(accounts, name="Zhang.Wei")
    with pytest.raises(Conflict, match="不能拥有角色"):
        station_person(accounts, name="li.na", roles=("operator",))
    code = factories.credit_code()
    enterprise = accounts.register_organisation(
        {"kind": "enterprise", "party": code, "name": "广州灯饰有限公司"}, OPERATOR)
    admin = accounts.create_person({"organisation_id": enterprise["id"], "sign_in_name": "boss",
                                    "name": "陈总", "roles": ["enterprise_admin"]}, OPERATOR)
    as_admin = {"role": "enterprise", "subject": code, "person": admin["id"],
                "organisation": enterprise["id"], "roles": ["enterprise_admin"]}
    colleague = accounts.create_person({"organisation_id": enterprise["id"], "sign_in_name": "clerk",
                                        "name": "小王", "roles": ["enterprise_member"]}, as_admin)
    assert colleague["organisation_id"] == enterprise["id"]
    station_id = accounts.read("SELECT id FROM {s}organisations WHERE kind = 'station'")[0]["id"]
    with pytest.raises(Forbidden):  # not in another organisation
        accounts.create_person({"organisation_id": station_id, "sign_in_name": "mole",
                                "name": "某人", "roles": ["specialist"]}, as_admin)
    as_member = {**as_admin, "person": colleague["id"], "roles": ["enterprise_member"]}
    with pytest.raises(Forbidden):  # a member administers nobody
        accounts.reset_password(admin["id"], as_member)
    listed = accounts.list_persons({"organisation_id": enterprise["id"], "per_page": 1}, as_admin)
    assert [p["sign_in_name"] for p in listed["items"]] == ["boss"] and listed["next_after"]


def test_no_secret_leaves_the_service(accounts, clock):
    secret = signed_in_operator(accounts, clock)["secret"]
    station_person(accounts)
    for message in accounts.log(0, 1000):
        text = str(message.data)
        assert "argon2" not in text and "hash" not in text and secret not in text, message.event


def test_the_key_ring_rotates_retires_and_refuses_keys_others_can_read(tmp_path, clock):
    ring = KeyRing(tmp_path / "keys")
    first = ring.ensure(clock())
    assert ring.ensure(clock()).kid == first.kid
    assert stat.S_IMODE(next((tmp_path / "keys").glob("*.pem")).stat().st_mode) == 0o600
    clock.advance(minutes=1)
    second = ring.rotate(clock())
    assert ring.current().kid == second.kid
    assert [k["kid"] for k in ring.jwks()["keys"]] == [first.kid, second.kid]
    assert ring.retire(clock() + timedelta(minutes=5), timedelta(minutes=10)) == []
    assert ring.retire(clock() + timedelta(minutes=11), timedelta(minutes=10)) == [first.kid]
    assert [k["kid"] for k in ring.jwks()["keys"]] == [second.kid]
    third = ring.rotate(clock())  # in the same second as the one before: still the newest
    assert ring.current().kid == third.kid and third.created > second.created
    for kept in (tmp_path / "keys").glob("*.pem"):
        kept.chmod(0o440)  # a Secret mounted for the pod's fsGroup
    assert ring.current().kid == third.kid
    next((tmp_path / "keys").glob("*.pem")).chmod(0o644)
    with pytest.raises(Exception, match="read by others"):
        ring.keys()


def test_an_enterprise_registers_itself_and_acts_once_a_specialist_verified_it(accounts):
    code = factories.credit_code()
    registration = {"credit_code": code, "organisation_name": "佛山照明电器有限公司",
                    "sign_in_name": "fs-lighting", "name": "黄敏", "mobile": "13912345678",
                    "password": "Foshan-light-88"}
    with pytest.raises(Invalid, match="至少三类"):
        accounts.register_enterprise({**registration, "password": "onlylowercaseletters"})
    registered = accounts.register_enterprise(registration)
    assert registered["organisation"]["verified"] is False
    assert registered["person"]["roles"] == ["enterprise_admin"]
    assert registered["person"]["must_change_password"] is False  # chosen by themselves
    with pytest.raises(Conflict, match="已注册"):  # the second account of a code: invited, not registered
        accounts.register_enterprise({**registration, "sign_in_name": "fs-lighting-2"})
    tokens = accounts.sign_in({"sign_in_name": "fs-lighting", "password": "Foshan-light-88"})
    claims = claims_of(accounts, tokens["access_token"])
    assert claims["act"] == {} and claims["pending"] == "verification"
    enterprise_id = registered["organisation"]["id"]
    waiting = accounts.list_organisations({"verified": False}, {"role": "specialist", "subject": "s-1"})
    assert [o["id"] for o in waiting["items"]] == [enterprise_id]
    with pytest.raises(Forbidden):  # only staff verify
        accounts.verify_enterprise(enterprise_id, {"evidence": "营业执照原件已核对"},
                                   {"role": "enterprise", "subject": code})
    verified = accounts.verify_enterprise(enterprise_id, {"evidence": "营业执照原件已核对"},
                                          {"role": "specialist", "subject": "s-1"})
    assert verified["verified"] is True
    with pytest.raises(Conflict):
        accounts.verify_enterprise(enterprise_id, {"evidence": "again"}, {"role": "specialist", "subject": "s-1"})
    renewed = accounts.refresh({"refresh_token": tokens["refresh_token"]})
    assert claims_of(accounts, renewed["access_token"])["act"] == {"enterprise": code}
    assert accounts.list_organisations({"verified": False}, {"role": "specialist", "subject": "s-1"})["items"] == []


def test_a_specialist_taken_off_the_station_loses_the_role_and_the_session(accounts, config, clock):
    intake = open_application(Intake, config)
    intake.clock = clock
    try:
        accounts.follow_upstreams(lambda upstream, after, limit: intake.log(after, limit)
                                  if upstream == "intake" else [], retry_backoff=0)
        station = intake.register_station(factories.station(), OPERATOR)
        person = station_person(accounts)
        intake.add_specialist(station["id"], factories.specialist(person["id"]), OPERATOR)
        intake.add_specialist(station["id"], factories.specialist("dev-staff"), OPERATOR)
        tokens = accounts.sign_in({"sign_in_name": "zhang.wei", "password": person["one_time_password"]})
        assert intake.staff_station(person["id"])["station_id"] == station["id"]
        accounts.catch_up()
        assert accounts.person(person["id"], OPERATOR)["roles"] == ["specialist"]  # joining changes nothing

        intake.remove_specialist(station["id"], person["id"], {"reason": "调往其他园区"}, OPERATOR)
        intake.remove_specialist(station["id"], "dev-staff", {"reason": "a name, not a person"}, OPERATOR)
        with pytest.raises(NotFound):  # the station's work is refused at once
            intake.staff_station(person["id"])
        with pytest.raises(Conflict):
            intake.remove_specialist(station["id"], person["id"], {"reason": "again"}, OPERATOR)
        accounts.catch_up()
        assert accounts.person(person["id"], OPERATOR)["roles"] == []
        with pytest.raises(Unauthenticated):  # and refresh is refused from then on
            accounts.refresh({"refresh_token": tokens["refresh_token"]})
        assert accounts.dead_letters() == []
    finally:
        intake.close()


def test_the_trail_lists_sign_ins_failures_role_changes_and_dossier_reads(accounts, clock):
    from services.accounts.readmodel import AUDITED
    from shared.commands import AUDITED_EVENTS

    assert set(AUDITED) == set(AUDITED_EVENTS)  # every kind listed can be asked for
    created = station_person(accounts)
    with pytest.raises(Unauthenticated):
        accounts.sign_in({"sign_in_name": "zhang.wei", "password": "not-the-password"})
    clock.advance(seconds=1)
    accounts.sign_in({"sign_in_name": "zhang.wei", "password": created["one_time_password"]})
    clock.advance(seconds=1)
    accounts.change_role(created["id"], {"action": "grant", "role": "station_manager",
                                         "reason": "站长"}, OPERATOR)
    supervisor = {"role": "supervisor", "subject": "panyu-amr", "person": "p-sup", "organisation": "o-amr"}
    clock.advance(seconds=1)
    accounts.record_access("d-1", "export", supervisor)
    trail = accounts.audit({}, {"role": "supervisor", "subject": "panyu-amr"})["items"]
    assert [(e["event"], e["person_id"]) for e in trail] == [
        ("DossierAccessed", "p-sup"), ("RoleGranted", created["id"]),
        ("PersonSignedIn", created["id"]), ("SignInFailed", created["id"]),
        ("PersonCreated", created["id"])]  # newest first
    assert trail[0]["action"] == "export" and trail[0]["demand_id"] == "d-1"
    assert trail[1]["role"] == "station_manager" and trail[1]["by"]["subject"] == "ops-1"
    assert trail[3]["reason"] == "wrong password"
    only = accounts.audit({"person_id": created["id"], "event": "SignInFailed"}, OPERATOR)["items"]
    assert [e["event"] for e in only] == ["SignInFailed"]
    paged = accounts.audit({"per_page": 2}, OPERATOR)
    assert len(paged["items"]) == 2 and paged["next_after"]
    with pytest.raises(Forbidden):
        accounts.audit({}, {"role": "specialist", "subject": "s-1"})


def test_a_suspended_institution_s_people_are_refused_until_it_is_reinstated(accounts, matching):
    lab = matching.register_institution(factories.institution(), {"role": "specialist", "subject": "s-1"},
                                        factories.PANYU)
    organisation = accounts.register_organisation(
        {"kind": "institution", "party": lab["id"], "name": lab["name"]}, OPERATOR)
    member = accounts.create_person({"organisation_id": organisation["id"], "sign_in_name": "lab.member",
                                     "name": "实验员", "roles": ["institution_member"]}, OPERATOR)
    tokens = accounts.sign_in({"sign_in_name": "lab.member", "password": member["one_time_password"]})
    matching.change_standing(lab["id"], {"action": "suspend", "reason": "资质暂停"}, OPERATOR)
    accounts.catch_up(["matching"])
    with pytest.raises(Unauthenticated):  # refresh refused at once
        accounts.refresh({"refresh_token": tokens["refresh_token"]})
    with pytest.raises(Unauthenticated, match="暂停"):
        accounts.sign_in({"sign_in_name": "lab.member", "password": member["one_time_password"]})
    matching.change_standing(lab["id"], {"action": "reinstate", "reason": "整改完成"}, OPERATOR)
    accounts.catch_up(["matching"])
    assert accounts.sign_in({"sign_in_name": "lab.member", "password": member["one_time_password"]})


def test_an_institution_registers_itself_applies_and_acts_for_its_id_once_approved(accounts, matching):
    code = factories.credit_code()
    registered = accounts.register_institution({
        "credit_code": code, "organisation_name": "南沙计量检测所", "sign_in_name": "ns-metrology",
        "name": "冯工", "mobile": "13800000001", "password": "Nansha-lab-2026"})
    assert registered["person"]["roles"] == ["institution_member"]
    tokens = accounts.sign_in({"sign_in_name": "ns-metrology", "password": "Nansha-lab-2026"})
    claims = claims_of(accounts, tokens["access_token"])
    assert claims["act"] == {"institution": code} and "pending" not in claims  # it may apply
    applied = matching.register_institution(factories.institution(credit_code=code),
                                            {"role": "institution", "subject": code})
    accounts.catch_up(["matching"])
    renewed = accounts.refresh({"refresh_token": tokens["refresh_token"]})
    assert claims_of(accounts, renewed["access_token"])["act"] == {"institution": code}  # still applying
    matching.review(applied["id"], {"decision": "approve", "reason": "资质齐全"},
                    {"role": "specialist", "subject": "s-1"}, factories.PANYU)
    accounts.catch_up(["matching"])
    approved = accounts.refresh({"refresh_token": renewed["refresh_token"]})
    assert claims_of(accounts, approved["access_token"])["act"] == {"institution": applied["id"]}
    # Its standing follows it under its id from then on.
    matching.change_standing(applied["id"], {"action": "suspend", "reason": "暂停"}, OPERATOR)
    accounts.catch_up(["matching"])
    with pytest.raises(Unauthenticated):
        accounts.refresh({"refresh_token": approved["refresh_token"]})


def test_a_guessed_refresh_token_ends_nothing_a_replaced_one_does(accounts, clock):
    tokens = signed_in_operator(accounts, clock)
    session = tokens["refresh_token"].split(".")[0]
    with pytest.raises(Unauthenticated):  # the session id is public (its events); the secret is not
        accounts.refresh({"refresh_token": f"{session}.a-guess"})
    renewed = accounts.refresh({"refresh_token": tokens["refresh_token"]})  # the owner goes on
    assert renewed["refresh_token"].split(".")[0] == session


def test_a_new_password_ends_the_other_sessions_and_no_session_outlives_its_maximum_age(accounts, clock):
    created = station_person(accounts)
    first = accounts.sign_in({"sign_in_name": "zhang.wei", "password": created["one_time_password"]})
    other = accounts.sign_in({"sign_in_name": "zhang.wei", "password": created["one_time_password"]})
    accounts.change_password({"current_password": created["one_time_password"], "new_password": STRONG},
                             as_person(first))
    with pytest.raises(Unauthenticated):  # a stolen refresh token dies with the old password
        accounts.refresh({"refresh_token": other["refresh_token"]})
    current = accounts.sign_in({"sign_in_name": "zhang.wei", "password": STRONG})
    for days in (6, 6, 6, 6, 5):  # refreshed within a week each time: alive to day 29...
        clock.advance(days=days)
        current = accounts.refresh({"refresh_token": current["refresh_token"]})
    clock.advance(days=2)  # ...but not past thirty days from its sign-in
    with pytest.raises(Unauthenticated):
        accounts.refresh({"refresh_token": current["refresh_token"]})


def test_a_credit_code_claimed_here_first_is_not_handed_the_institution_the_staff_register(accounts, matching):
    code = factories.credit_code()
    accounts.register_institution({
        "credit_code": code, "organisation_name": "冒名机构", "sign_in_name": "squatter",
        "name": "某人", "mobile": "13800000002", "password": "Claimed-first-2026"})
    real = matching.register_institution(factories.institution(credit_code=code),
                                          {"role": "specialist", "subject": "s-1"}, factories.PANYU)
    accounts.catch_up(["matching"])
    tokens = accounts.sign_in({"sign_in_name": "squatter", "password": "Claimed-first-2026"})
    assert claims_of(accounts, tokens["access_token"])["act"] == {"institution": code}
    assert real["id"] != code  # never the institution's id


def test_an_operating_institution_s_people_act_for_its_credit_code_as_the_stations_name_it(accounts):
    code = factories.credit_code()
    with pytest.raises(Invalid) as refused:
        accounts.register_organisation({"kind": "operating_institution", "party": "station-1", "name": "x"}, OPERATOR)
    assert list(refused.value.fields) == ["party"]
    organisation = accounts.register_organisation(
        {"kind": "operating_institution", "party": code, "name": "番禺质量服务有限公司"}, OPERATOR)
    with pytest.raises(Conflict):  # its people hold its role only
        accounts.create_person({"organisation_id": organisation["id"], "sign_in_name": "runner.x",
                                "name": "李工", "roles": ["specialist"]}, OPERATOR)
    member = accounts.create_person({"organisation_id": organisation["id"], "sign_in_name": "runner.li",
                                     "name": "李工", "roles": ["operating_institution_member"]}, OPERATOR)
    first = accounts.sign_in({"sign_in_name": "runner.li", "password": member["one_time_password"]})
    accounts.change_password({"current_password": member["one_time_password"], "new_password": STRONG},
                             as_person(first))
    tokens = accounts.sign_in({"sign_in_name": "runner.li", "password": STRONG})
    assert tokens["pending"] is None and tokens["acts"] == {"operating_institution": code}
    assert claims_of(accounts, tokens["access_token"])["act"] == {"operating_institution": code}
