"""The ``onestop`` command: run the platform, mint development tokens, rebuild the archive."""
from __future__ import annotations

import argparse
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
    from shared.config import ConfigurationError, load

    try:
        config = load(args.config)
        return args.run(args, config) or 0
    except ConfigurationError as error:
        print(f"onestop: configuration error: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="onestop", description=__doc__)
    parser.add_argument("--config", help="nameko YAML configuration (default: the packaged one)")
    parser.add_argument("--data-dir", help="data folder of the embedded mode (default ./data)")
    commands = parser.add_subparsers(title="commands")

    up = commands.add_parser("up", help="run every service and the gateway in this process")
    up.set_defaults(run=_up)

    token = commands.add_parser("token", help="mint a development token with the configured secret")
    token.add_argument("--role", required=True)
    token.add_argument("--subject", required=True)
    token.add_argument("--ttl", type=int, default=None, help="seconds (default: AUTH.token_ttl_seconds)")
    token.set_defaults(run=_token)

    archive = commands.add_parser("archive", help="archive maintenance").add_subparsers(title="archive commands")
    rebuild = archive.add_parser("rebuild", help="drop the archive and replay every event store into it")
    rebuild.set_defaults(run=_rebuild)

    docs = commands.add_parser("docs", help="generated documentation").add_subparsers(title="documents")
    events = docs.add_parser("events", help="print the event catalogue (docs/events.md)")
    events.set_defaults(run=_events)
    return parser


def _up(args, config):
    from onestop.embedded import address_in_use, serve
    from shared.config import data_dir, jwt_secret

    address = str(config["WEB_SERVER_ADDRESS"])
    if address_in_use(address):
        print(f"onestop: {address} is already in use; stop what listens there or choose "
              "another address with ONESTOP_HTTP_ADDRESS=host:port", file=sys.stderr)
        return 1
    jwt_secret(config)  # generated now, so `onestop token` agrees with the running gateway
    print(f"onestop: serving http://{config['WEB_SERVER_ADDRESS']} "
          f"(broker {config['AMQP_URI']}, data {data_dir(config)})", flush=True)
    serve(config)


def _token(args, config):
    from gateway.auth import issue
    from shared.config import jwt_secret, section

    ttl = args.ttl if args.ttl is not None else int(section(config, "AUTH").get("token_ttl_seconds") or 86400)
    try:
        print(issue(jwt_secret(config), args.role, args.subject, ttl))
    except ValueError as error:
        print(f"onestop token: {error}", file=sys.stderr)
        return 2


def _rebuild(args, config):
    from onestop.platform import APPLICATIONS
    from services.archive.projection import Archive
    from services.archive.store import open_database
    from shared.eventstore import open_application

    apps = {cls.service: open_application(cls, config) for cls in APPLICATIONS}
    archive = Archive(open_database(config))
    started = time.perf_counter()

    def progress(upstream, position):
        print(f"  {upstream}: replayed up to notification {position}", flush=True)

    applied = archive.rebuild(lambda upstream, after, limit: apps[upstream].log(after, limit),
                              progress=progress)
    elapsed = time.perf_counter() - started
    print(f"archive rebuilt: {applied} events in {elapsed:.2f} s "
          f"({applied / elapsed if elapsed else 0:.0f} events/s)")


def _events(args, config):
    from onestop.catalogue import markdown

    sys.stdout.write(markdown())


if __name__ == "__main__":
    sys.exit(main())
