"""The onestop command: run the platform, create the first operator, rotate the signing keys,
mint development tokens, rebuild the archive and the read models, verify dossiers, replay dead
letters."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings


def main(argv=None) -> int:
    # Before anything imports sockets, threads or psycopg: nameko runs on eventlet, whose
    # deprecation notice (accepted, see docs/architecture.md) would otherwise open every command.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    if args.data_dir:
        os.environ["ONESTOP_DATA_DIR"] = args.data_dir
    if getattr(args, "host", None) or getattr(args, "port", None):
        host, _, port = os.environ.get("ONESTOP_HTTP_ADDRESS", DEFAULT_ADDRESS).rpartition(":")
        os.environ["ONESTOP_HTTP_ADDRESS"] = f"{args.host or host}:{args.port or port}"
    from shared.config import ConfigurationError, load

    try:
        config = load(args.config)
        return args.run(args, config) or 0
    except ConfigurationError as error:
        print(f"onestop: configuration error: {error}", file=sys.stderr)
        return 2


#: Where the embedded mode listens unless told otherwise (shared/config.yaml says the same).
DEFAULT_ADDRESS = "127.0.0.1:8000"

#: The services that keep an event store (and so a read model), as ``--service`` names them.
SERVICE_NAMES = ("accounts", "intake", "matching", "evaluation", "archive", "partners", "notices")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="onestop", description=__doc__)
    parser.add_argument("--config", help="nameko YAML configuration (default: the packaged one)")
    parser.add_argument("--data-dir", help="data folder of the embedded mode (default ./data)")
    commands = parser.add_subparsers(title="commands")

    up = commands.add_parser("up", help="run every service and the gateway in this process")
    up.add_argument("--host", help="the address to listen on (default 127.0.0.1; 0.0.0.0 for "
                                   "every interface)")
    up.add_argument("--port", type=int, help="the port to listen on (default 8000)")
    # SUPPRESS: given here it wins, not given it leaves the global option's value alone.
    up.add_argument("--data-dir", default=argparse.SUPPRESS,
                    help="the data folder (default ./data), as the global option")
    up.set_defaults(run=_up)

    token = commands.add_parser(
        "token", help="development only (AUTH.development_tokens; the embedded mode by default): "
                      "mint a token for a role and a party, with no person behind it")
    token.add_argument("--role", required=True, choices=("enterprise", "specialist", "institution",
                                                         "supervisor", "operator", "operating_institution"))
    token.add_argument("--subject", required=True, help="the party: a credit code, an id")
    token.add_argument("--ttl", type=int, default=3600, help="seconds (default 3600, at most 86400)")
    token.set_defaults(run=_token)

    accounts = commands.add_parser("accounts", help="people's accounts").add_subparsers(
        title="account commands")
    first = accounts.add_parser(
        "first-operator", help="create the platform's first operator with a one-time password, "
                               "printed once (a deployment's first step; `up` does it itself)")
    first.set_defaults(run=_first_operator)

    credentials = commands.add_parser(
        "credentials", help="least privilege: a PostgreSQL role and a RabbitMQ user per service") \
        .add_subparsers(title="credential commands")
    create = credentials.add_parser(
        "create", help="make (or give new passwords to) every service's role and user, with the "
                       "stores' administrator credentials; prints each service's credentials")
    create.add_argument("--format", choices=("k8s", "json"), default="k8s",
                        help="Kubernetes Secrets onestop-<service>-credentials (default), or JSON")
    create.set_defaults(run=_credentials)

    keys = commands.add_parser("keys", help="the keys that sign access tokens (AUTH.signing_keys)") \
        .add_subparsers(title="key commands")
    for verb, text in (("list", "list the keys, oldest first; the newest signs"),
                       ("rotate", "add a new key, which signs from now on; the others stay "
                                  "published until retired"),
                       ("retire", "remove the keys superseded longer ago than an access token "
                                  "lives: tokens they signed are refused from then on")):
        keys.add_parser(verb, help=text).set_defaults(run=_keys, verb=verb)

    archive = commands.add_parser("archive", help="archive maintenance").add_subparsers(title="archive commands")
    rebuild = archive.add_parser(
        "rebuild", help="replay every event store into a new archive, which replaces the one in use "
                        "when complete (that one stays readable meanwhile); resumes a rebuild cut short")
    rebuild.add_argument("--restart", action="store_true",
                         help="start a rebuild cut short over instead of resuming it")
    rebuild.set_defaults(run=_rebuild)
    verify = archive.add_parser("verify", help="check every dossier's hash chain and seal, and "
                                               "each entry against the event stores")
    verify.add_argument("--demand", help="only this demand's dossier")
    verify.set_defaults(run=_verify)

    readmodels = commands.add_parser(
        "readmodels", help="the services' read-model tables").add_subparsers(title="read-model commands")
    rebuild_tables = readmodels.add_parser(
        "rebuild", help="write every service's read-model rows again from its event store (after "
                        "an upgrade that adds tables); the events are only read")
    rebuild_tables.add_argument("--service", choices=SERVICE_NAMES,
                                help="only this service (default: every one)")
    rebuild_tables.set_defaults(run=_rebuild_read_models)

    partners = commands.add_parser("partners", help="institutions' access to the partner exchange") \
        .add_subparsers(title="partner commands")
    for verb, text in (("grant", "create the institution's RabbitMQ user, permissions and topic "
                                 "permissions; prints its credentials"),
                       ("revoke", "delete the institution's RabbitMQ user and its permissions")):
        command = partners.add_parser(verb, help=text)
        command.add_argument("institution_id")
        command.set_defaults(run=_partners, verb=verb)

    deadletters = commands.add_parser(
        "deadletters", help="notifications the services set aside after they failed every try "
                            "(through the running gateway, as an operator)").add_subparsers(
        title="dead-letter commands")
    for verb, text in (("list", "list every dead letter, replayed or not"),
                       ("replay", "apply again, after a fix, the dead letters not replayed yet")):
        command = deadletters.add_parser(verb, help=text)
        command.add_argument("--gateway", help="the gateway's base URL (default: "
                                               "http://<WEB_SERVER_ADDRESS>)")
        command.add_argument("--token", default=os.environ.get("ONESTOP_ACCESS_TOKEN"),
                             help="an operator's access token (default: ONESTOP_ACCESS_TOKEN; "
                                  "where development tokens are allowed, one is minted)")
        command.add_argument("--operator", default="onestop-cli",
                             help="who a minted development token names (recorded with a replay)")
        command.set_defaults(run=_deadletters, verb=verb)
        if verb == "replay":
            command.add_argument("--service", help="only this service's dead letters")
            command.add_argument("--upstream", help="only those of this upstream")
            command.add_argument("--notification", type=int,
                                 help="only this notification id (with --upstream)")

    docs = commands.add_parser("docs", help="generated documentation").add_subparsers(title="documents")
    events = docs.add_parser("events", help="print the event catalogue (docs/events.md)")
    events.set_defaults(run=_events)
    indicators = docs.add_parser("indicators", help="print the indicator table (docs/evaluation.md)")
    indicators.set_defaults(run=_indicators)
    disclosure = docs.add_parser("disclosure", help="print what each role reads of a dossier "
                                                    "(docs/disclosure.md)")
    disclosure.set_defaults(run=_disclosure)
    openapi = docs.add_parser("openapi", help="print the HTTP API's OpenAPI document "
                                              "(console/openapi.json, the console's types)")
    openapi.set_defaults(run=_openapi)
    partner_schemas = docs.add_parser("partners", help="write the partner events' JSON Schemas")
    partner_schemas.add_argument("folder", nargs="?", default="docs/partners/schemas")
    partner_schemas.set_defaults(run=_partner_schemas)
    return parser


def _up(args, config):
    from onestop.embedded import address_in_use, serve
    from gateway.console import console_folder  # after the embedded runtime's monkey patching
    from shared.config import data_dir

    address = str(config["WEB_SERVER_ADDRESS"])
    if address_in_use(address):
        print(f"onestop: {address} is already in use; stop what listens there or choose "
              "another address with ONESTOP_HTTP_ADDRESS=host:port", file=sys.stderr)
        return 1
    # Everything the platform writes here (event stores, archive, attachments, keys) is the
    # user's alone: the data folder holds people's accounts and enterprises' files.
    os.umask(0o077)
    folder = data_dir(config)
    folder.chmod(0o700)
    first = _first_operator_once(config)
    host, _, port = address.rpartition(":")
    url = f"http://{'127.0.0.1' if host in ('', '0.0.0.0') else host}:{port}"
    print(f"onestop: starting accounts, intake, matching, evaluation, archive, partners, notices and the gateway in "
          f"one process (broker {config['AMQP_URI']}, data in {folder})", flush=True)
    started = time.monotonic()

    def ready():
        print(f"onestop: ready in {time.monotonic() - started:.1f} s at {url} (API under /api/v1, "
              f"its description at {url}/openapi.json)", flush=True)
        if console_folder(config) is not None:
            print(f"onestop: the web console is at {url}/ (sign in there with your name and "
                  "password)", flush=True)
        if first:
            print(f"onestop: the first operator's account was created. Sign in as "
                  f"\"{first['sign_in_name']}\" with the one-time password\n"
                  f"    {first['password']}\n"
                  f"onestop: then choose a password of your own and set up an authenticator app "
                  f"(the console asks for both; README, \"Trying it\"). The one-time password is "
                  f"printed this once and kept in {first['kept']} (readable by you only).", flush=True)
        print("onestop: Ctrl-C stops it", flush=True)
    took = serve(config, on_ready=ready)
    print(f"onestop: stopped in {took:.1f} s; the data stays in {folder}", flush=True)


def _token(args, config):
    from datetime import datetime, timezone

    from services.accounts.keys import key_ring
    from services.accounts.tokens import development_token
    from shared.config import data_path

    ring = key_ring(config)
    if not ring.keys():
        print(f"onestop token: no platform has run with the data folder {data_path(config)} (no "
              f"signing key in {ring.folder}), so a token signed now would be refused. Pass the "
              "folder the platform uses: onestop --data-dir DIR token ..., or start it first "
              "(scripts/up).", file=sys.stderr)
        return 2
    if args.ttl <= 0:
        print("onestop token: --ttl must be a positive number of seconds", file=sys.stderr)
        return 2
    print(development_token(config, args.role, args.subject, args.ttl, datetime.now(timezone.utc)))


def _first_operator_once(config) -> dict | None:
    """The first operator's sign-in name and one-time password, kept in the data folder (0600),
    the first time only."""
    from services.accounts.application import Accounts
    from shared.config import data_dir
    from shared.eventstore import open_application

    accounts = open_application(Accounts, config)
    try:
        created = accounts.first_operator()
    finally:
        accounts.close()
    if created is None:
        return None
    kept = data_dir(config) / "first-operator-password"
    descriptor = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(f"sign-in name: {created['sign_in_name']}\none-time password: {created['password']}\n")
    return {**created, "kept": kept}


def _first_operator(args, config):
    first = _first_operator_once(config)
    if first is None:
        print("onestop accounts first-operator: the first operator exists already; an operator "
              "resets a password with POST /api/v1/persons/{id}/password-reset", file=sys.stderr)
        return 1
    print(f"sign-in name: {first['sign_in_name']}\none-time password: {first['password']}\n"
          f"(kept in {first['kept']}; change it at the first sign-in)")


def _credentials(args, config):
    from onestop.credentials import as_secrets, create

    try:
        made = create(config)
    except Exception as error:  # a store refused or did not answer: say which, change nothing more
        print(f"onestop credentials create: {type(error).__name__}: {error}", file=sys.stderr)
        return 2
    print(as_secrets(made) if args.format == "k8s" else json.dumps(made, indent=2))


def _keys(args, config):
    from datetime import datetime, timezone

    from services.accounts.keys import key_ring
    from services.accounts.tokens import MAX_ACCESS_SECONDS

    ring = key_ring(config)
    now = datetime.now(timezone.utc)
    if args.verb == "rotate":
        print(f"onestop keys: {ring.rotate(now).kid} signs from now on")
    elif args.verb == "retire":
        from datetime import timedelta

        retired = ring.retire(now, timedelta(seconds=MAX_ACCESS_SECONDS))
        print(f"onestop keys: retired {', '.join(retired) if retired else 'none'}")
    for key in ring.keys():
        print(f"{key.created.isoformat()}  {key.kid}")


def _event_logs(config):
    """The archive, and a reader of every service's log straight from its event store."""
    from onestop.platform import APPLICATIONS
    from services.archive.store import open_archive
    from shared.eventstore import open_application

    archive = open_archive(config)
    apps = {cls.service: open_application(cls, config) for cls in APPLICATIONS
            if cls.service != "archive"}
    apps["archive"] = archive.seals
    return archive, lambda upstream, after, limit: apps[upstream].log(after, limit)


def _rebuild(args, config):
    from services.archive.projection import BUCKETS

    archive, read_log = _event_logs(config)
    started = time.perf_counter()

    shown = [0]

    def progress(stage, position, count):
        elapsed = time.perf_counter() - started
        if stage == "dossiers":
            if position - shown[0] >= BUCKETS // 16 or position == BUCKETS:  # a line a 16th
                shown[0] = position
                print(f"  dossiers: {count} written, bucket {position} of {BUCKETS}", flush=True)
            return
        print(f"  {stage}: up to notification {position}, {count} events, "
              f"{count / elapsed if elapsed else 0:.0f} events/s", flush=True)

    applied = archive.rebuild(read_log, progress=progress, restart=args.restart)
    elapsed = time.perf_counter() - started
    print(f"archive rebuilt: {applied} events copied, {sum(1 for _ in archive.dossier_ids())} "
          f"dossiers in {elapsed:.2f} s ({applied / elapsed if elapsed else 0:.0f} events/s)")


def _rebuild_read_models(args, config):
    from eventsourcing.persistence import InterfaceError, OperationalError
    from psycopg import Error as PostgresError

    from onestop.platform import APPLICATIONS
    from shared.config import data_path, section
    from shared.eventstore import open_application

    chosen = [cls for cls in APPLICATIONS if args.service in (None, cls.service)]
    kind = section(config, "EVENT_STORE").get("kind") or "sqlite"
    folder = data_path(config)
    for cls in chosen:
        if kind == "sqlite" and not (folder / f"{cls.service}.sqlite3").exists():
            # Opening would create an empty store, and "rebuild" it: say what is missing instead.
            print(f"onestop readmodels rebuild: no {cls.service} event store in {folder} "
                  "(set --data-dir or ONESTOP_DATA_DIR); nothing was changed", file=sys.stderr)
            return 1
    for cls in chosen:
        started = time.perf_counter()

        def progress(position, last, read, service=cls.service):
            elapsed = time.perf_counter() - started
            rate = read / elapsed if elapsed else 0
            left = max(last - position, 0)
            print(f"  {service}: notification {position} of {last}, {rate:.0f}/s, "
                  f"about {left / rate if rate else 0:.0f} s left", flush=True)
        try:
            app = open_application(cls, config)
            read = app.rebuild_read_model(progress)
        except (OperationalError, InterfaceError, PostgresError) as error:
            print(f"onestop readmodels rebuild: cannot reach {cls.service}'s event store: {error}. "
                  "Its events were not touched; run the command again once it answers.",
                  file=sys.stderr)
            return 1
        elapsed = time.perf_counter() - started
        print(f"{cls.service}: read model rebuilt from {read} notifications in {elapsed:.2f} s "
              f"({read / elapsed if elapsed else 0:.0f}/s)", flush=True)
        app.close()


def _verify(args, config):
    archive, read_log = _event_logs(config)
    archive.follow_upstreams(read_log)  # entries are checked against the event stores
    ids = [args.demand] if args.demand else list(archive.dossier_ids())
    broken = 0
    for demand_id in ids:
        report = archive.verify(demand_id, check_sources=True)
        if not report["intact"]:
            broken += 1
            print(f"BROKEN {demand_id}: entry {report['first_broken']}")
    print(f"archive verify: {len(ids) - broken} of {len(ids)} dossiers intact")
    return 1 if broken else 0


def _deadletters(args, config):
    import requests

    from datetime import datetime, timezone

    from services.accounts.tokens import development_token
    from shared.config import development_tokens_allowed

    host, _, port = str(config["WEB_SERVER_ADDRESS"]).rpartition(":")
    base = args.gateway or f"http://{'127.0.0.1' if host in ('', '0.0.0.0') else host}:{port}"
    token = args.token
    if not token:
        if not development_tokens_allowed(config):
            print("onestop deadletters: sign in as an operator and pass the access token "
                  "(--token or ONESTOP_ACCESS_TOKEN)", file=sys.stderr)
            return 2
        token = development_token(config, "operator", args.operator, 300, datetime.now(timezone.utc))
    headers = {"Authorization": f"Bearer {token}"}
    try:
        if args.verb == "list":
            items, page = [], {"per_page": 100}
            while True:  # every page
                response = requests.get(f"{base}/api/v1/dead-letters", headers=headers,
                                        params=page, timeout=60)
                if not response.ok:
                    break
                found = response.json()
                items += found["items"]
                if not found["next_after"]:
                    break
                page["after"] = found["next_after"]
        else:
            chosen = {"service": args.service, "upstream": args.upstream,
                      "notification_id": args.notification}
            response = requests.post(f"{base}/api/v1/dead-letters/replay", headers=headers,
                                     json={k: v for k, v in chosen.items() if v is not None},
                                     timeout=300)
    except requests.RequestException as error:
        print(f"onestop deadletters: the gateway at {base} did not answer: {error}", file=sys.stderr)
        return 2
    if not response.ok:
        print(f"onestop deadletters {args.verb}: {response.status_code} {response.text}",
              file=sys.stderr)
        return 2
    if args.verb != "list":
        items = response.json()["items"]
    for item in items:
        state = item.get("outcome") or ("replayed" if item["replayed"] else "set aside")
        print(f"{item['service']:<11} {item['upstream']}#{item['notification_id']:<8} "
              f"{item['event']:<28} {state}" + (f": {item['error']}" if item.get("error") and
                                                 state != "replayed" else ""))
    if args.verb == "list":
        print(f"{len(items)} dead letters, {sum(not i['replayed'] for i in items)} not replayed")
        return 0
    failed = sum(item["outcome"] == "failed" for item in items)
    print(f"replayed {len(items) - failed} of {len(items)}" + (f"; {failed} failed again" if failed else ""))
    return 1 if failed else 0


def _events(args, config):
    from onestop.catalogue import markdown

    sys.stdout.write(markdown())


def _openapi(args, config):
    from gateway.openapi import document
    from gateway.service import GatewayService

    sys.stdout.write(json.dumps(document(GatewayService), ensure_ascii=False, indent=2) + "\n")


def _partners(args, config):
    from services.partners.broker_access import BrokerAccessError
    from services.partners.service import broker_access

    access = broker_access(config)
    try:
        if args.verb == "grant":
            print(json.dumps(access.grant(args.institution_id), indent=2))
        elif access.revoke(args.institution_id):
            print(f"revoked: inst-{args.institution_id}")
        else:
            print(f"nothing to revoke: inst-{args.institution_id} has no user")
    except BrokerAccessError as error:
        print(f"onestop partners {args.verb}: {error}", file=sys.stderr)
        return 2
    return 0


def _partner_schemas(args, config):
    from pathlib import Path

    from onestop.partner_docs import files

    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files().items():
        (folder / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(files())} schemas to {folder}")


def _disclosure(args, config):
    from onestop.disclosure_docs import markdown

    sys.stdout.write(markdown())


def _indicators(args, config):
    from onestop.indicator_docs import markdown

    sys.stdout.write(markdown())


if __name__ == "__main__":
    sys.exit(main())
