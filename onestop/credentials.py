"""Least privilege on the stores: a PostgreSQL role and a RabbitMQ user for each service, with
only what that service needs (`onestop credentials create`).

- PostgreSQL: a login role named as the service's schema (``onestop_intake``...), which owns that
  schema and may only connect to the database besides: it cannot create schemas nor read
  another service's tables.
- RabbitMQ: a user ``onestop-<service>`` on the platform's vhost whose permissions name the RPC
  exchange, its own RPC and reply queues, its own events exchange and follow queues, and the
  events exchanges of the services it follows (read: to bind; never write). The gateway gets
  the RPC resources only, and no PostgreSQL role (it holds no data).

Run with the stores' administrator credentials (``ONESTOP_PG_*``, ``ONESTOP_RABBITMQ_MANAGEMENT_*``);
running it again gives every service a new password (a rotation). What it prints is each
service's credentials, as environment variables or as the Kubernetes Secrets the Deployments
read (``onestop-<service>-credentials``).
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import requests

from shared.config import section


@dataclass(frozen=True)
class Service:
    name: str
    upstreams: tuple[str, ...]
    stores_events: bool = True


def services() -> list[Service]:
    """Every service of the platform and whom it follows (onestop/platform.py)."""
    from onestop.platform import SERVICES
    from shared.runtime import Follow

    found = []
    for service in SERVICES:
        upstreams = sorted({entrypoint.upstream for member in vars_of(service).values()
                            for entrypoint in getattr(member, "nameko_entrypoints", ())
                            if isinstance(entrypoint, Follow)})
        found.append(Service(service.name, tuple(upstreams),
                             stores_events=getattr(service, "application", None) is not None))
    return found


def vars_of(cls) -> dict:
    members = {}
    for base in reversed(cls.__mro__):
        members.update(vars(base))
    return members


def permissions(service: Service) -> dict[str, str]:
    """The service's RabbitMQ permissions: configure, write and read regular expressions."""
    name = re.escape(service.name)
    rpc = ["nameko-rpc", f"rpc-{name}", rf"rpc\.reply-{name}-.*",
           # nameko's standalone proxies (log pulls, the gateway's key fetches) name their
           # reply queues alike for every service; each name ends in a random UUID.
           r"rpc\.reply-standalone_rpc_proxy-.*"]
    own = [rf"{name}\.events", rf"{name}\.follows\..*"] if service.stores_events else []
    followed = [re.escape(f"{upstream}.events") for upstream in service.upstreams]

    def pattern(names):
        return f"^({'|'.join(names)})$"
    return {"configure": pattern(rpc + own + followed), "write": pattern(rpc + own),
            "read": pattern(rpc + own + followed)}


def role_of(config: dict, service: Service) -> str:
    from shared.eventstore import schema_of

    return schema_of(section(config, "EVENT_STORE"), service.name)


def create(config: dict) -> dict[str, dict[str, str]]:
    """Makes (or gives new passwords to) every service's role and user; returns each service's
    environment: ONESTOP_AMQP_URI, and ONESTOP_PG_USER and ONESTOP_PG_PASSWORD where it stores."""
    import psycopg
    from psycopg import sql

    store = section(config, "EVENT_STORE")
    broker = section(config, "PARTNERS")
    amqp = urlsplit(str(config["AMQP_URI"]))
    vhost = unquote(amqp.path.lstrip("/")) or "/"
    port = amqp.port or (5671 if amqp.scheme == "amqps" else 5672)
    credentials = {}
    with psycopg.connect(host=store["postgres_host"], port=store["postgres_port"],
                         dbname=store["postgres_dbname"], user=store["postgres_user"],
                         password=store.get("postgres_password") or None, autocommit=True) as admin:
        for service in services():
            user, password = f"onestop-{service.name}", secrets.token_urlsafe(24)
            _management(broker, "PUT", f"users/{quote(user, safe='')}", {"password": password, "tags": ""})
            _management(broker, "PUT", f"permissions/{quote(vhost, safe='')}/{quote(user, safe='')}",
                        permissions(service))
            host = f"{quote(user, safe='')}:{quote(password, safe='')}@{amqp.hostname}:{port}"
            env = {"ONESTOP_AMQP_URI": urlunsplit((amqp.scheme, host, amqp.path, "", ""))}
            if service.stores_events:
                role, pg_password = role_of(config, service), secrets.token_urlsafe(24)
                exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
                # Nothing more than a login, whatever an older role of that name could do.
                admin.execute(sql.SQL("{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                                      "NOREPLICATION NOBYPASSRLS PASSWORD {}").format(
                    sql.SQL("ALTER" if exists else "CREATE"), sql.Identifier(role), sql.Literal(pg_password)))
                admin.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                    sql.Identifier(store["postgres_dbname"]), sql.Identifier(role)))
                admin.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {} AUTHORIZATION {}").format(
                    sql.Identifier(role), sql.Identifier(role)))
                admin.execute(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(sql.Identifier(role), sql.Identifier(role)))
                # Tables made before the service had a role of its own become its own.
                for (table,) in admin.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (role,)):
                    admin.execute(sql.SQL("ALTER TABLE {}.{} OWNER TO {}").format(
                        sql.Identifier(role), sql.Identifier(table), sql.Identifier(role)))
                env.update(ONESTOP_PG_USER=role, ONESTOP_PG_PASSWORD=pg_password)
            credentials[service.name] = env
    return credentials


def as_secrets(credentials: dict[str, dict[str, str]]) -> str:
    """Kubernetes Secrets, one per service, for ``kubectl apply -f -``."""
    import yaml

    return "---\n".join(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
        "metadata": {"name": f"onestop-{name}-credentials"}, "stringData": env}, sort_keys=False)
        for name, env in credentials.items())


def _management(broker: dict, method: str, path: str, body: dict) -> None:
    answer = requests.request(method, f"{str(broker.get('management_url')).rstrip('/')}/api/{path}",
                              json=body, timeout=10,
                              auth=(str(broker.get("management_user")), str(broker.get("management_password") or "")))
    if answer.status_code not in (200, 201, 204):
        raise RuntimeError(f"RabbitMQ's management API: {method} /api/{path}: HTTP {answer.status_code} "
                           f"{answer.text[:200]}")
