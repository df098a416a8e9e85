"""Operations artefacts checked by the real tools: every kustomize overlay renders (kubectl's
kustomize) into manifests valid against the Kubernetes schemas; the alert rules pass
`promtool check rules` and name only metrics the platform exports; live /metrics output passes
`promtool check metrics`."""
import ipaddress
import re
import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from tests import factories
from tests.e2e.harness import Embedded

ROOT = Path(__file__).resolve().parents[2]
OVERLAYS = sorted(p.name for p in (ROOT / "deploy" / "k8s" / "overlays").iterdir())
KUBERNETES = "1.30.0"
SERVICES = ("accounts", "intake", "matching", "evaluation", "archive", "partners", "gateway")


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: scripts/install installs it (Debian's packages)"
    return found


def render(overlay: str) -> list[dict]:
    built = subprocess.run([tool("kubectl"), "kustomize", str(ROOT / "deploy" / "k8s" / "overlays" / overlay)],
                           capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    return [doc for doc in yaml.safe_load_all(built.stdout) if doc]


def test_production_talks_to_every_store_over_verified_tls():
    docs = render("production")
    (config,) = [d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "onestop-config"]
    settings = config["data"]
    assert settings["PGSSLMODE"] == "verify-full" and settings["PGSSLROOTCERT"] == "/etc/onestop/tls/ca.crt"
    assert yaml.safe_load(settings["ONESTOP_AMQP_SSL"]) == {"ca_certs": "/etc/onestop/tls/ca.crt", "cert_reqs": 2}
    assert settings["ONESTOP_RABBITMQ_MANAGEMENT_URL"].startswith("https://")
    for doc in docs:
        if doc["kind"] == "Deployment":
            pod = doc["spec"]["template"]["spec"]
            assert {"name": "tls-ca", "configMap": {"name": "onestop-tls-ca"}} in pod["volumes"]
            assert {"name": "tls-ca", "mountPath": "/etc/onestop/tls", "readOnly": True} \
                in pod["containers"][0]["volumeMounts"], doc["metadata"]["name"]
    dev = [d for d in render("dev") if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "onestop-config"]
    assert "PGSSLMODE" not in dev[0]["data"]  # the dev stores run without TLS


def rules() -> dict:
    (rule,) = [d for d in render("production") if d["kind"] == "PrometheusRule"]
    return {"groups": rule["spec"]["groups"]}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_overlay_renders_into_valid_manifests(overlay):
    docs = render(overlay)
    for doc in docs:
        if doc["apiVersion"].startswith("monitoring.coreos.com/"):
            continue  # the Prometheus Operator's CRDs: their rules are checked by promtool below
        kubernetes_validate.validate(doc, KUBERNETES, strict=True)
    kinds = {(d["kind"], d["metadata"]["name"]) for d in docs}
    for service in SERVICES:
        assert ("Deployment", f"onestop-{service}") in kinds and ("Service", f"onestop-{service}") in kinds
    assert {("StatefulSet", f"onestop-{store}") for store in ("rabbitmq", "postgres", "mongodb")} <= kinds
    assert ("NetworkPolicy", "default-deny") in kinds and ("Ingress", "onestop") in kinds
    # Webhooks leave for public addresses only: every inside range is cut out of the egress.
    (webhooks,) = [d for d in docs if d["kind"] == "NetworkPolicy" and d["metadata"]["name"] == "partners-webhooks-out"]
    blocks = [peer["ipBlock"] for rule in webhooks["spec"]["egress"] for peer in rule["to"]]
    assert {block["cidr"] for block in blocks} == {"0.0.0.0/0", "::/0"}
    cut = {ipaddress.ip_network(c) for block in blocks for c in block["except"]}
    for inside in ("10.96.0.1", "172.20.0.5", "192.168.1.1", "169.254.169.254", "127.0.0.1",
                   "100.64.1.1", "::1", "fd00::1", "fe80::1", "::ffff:10.0.0.1"):
        assert any(ipaddress.ip_address(inside) in network for network in cut
                   if network.version == ipaddress.ip_address(inside).version), inside
    assert {("ServiceMonitor", "onestop"), ("PrometheusRule", "onestop")} <= kinds
    for doc in docs:
        assert doc["metadata"].get("namespace") == f"onestop{'-dev' if overlay == 'dev' else ''}" \
            or doc["kind"] == "Namespace"
        if doc["kind"] != "Deployment":
            continue
        pod = doc["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        (container,) = pod["containers"]
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert container["readinessProbe"] and container["livenessProbe"]
        assert container["resources"]["requests"]["cpu"] and container["resources"]["limits"]["memory"]
        # production pins the image by digest; dev names a tag it rebuilds
        assert re.fullmatch(r"registry\.example/onestop@sha256:[0-9a-f]{64}", container["image"]) \
            if overlay == "production" else container["image"] == "registry.example/onestop:dev"
    # Least privilege: no Secret with a value is rendered (they are made out of band), each
    # Deployment reads only its own service's credentials (and its store's, where it has one),
    # only accounts mounts the signing keys and only partners the webhook secrets' key.
    assert not [d for d in docs if d["kind"] == "Secret"]
    extras = {"archive": {"onestop-archive-store"}, "partners": {"onestop-partners-broker"},
              "notices": {"onestop-notices-smtp"}}
    for doc in docs:
        if doc["kind"] != "Deployment":
            continue
        service = doc["metadata"]["name"].removeprefix("onestop-")
        (container,) = doc["spec"]["template"]["spec"]["containers"]
        secrets = {source["secretRef"]["name"] for source in container["envFrom"] if "secretRef" in source}
        assert secrets == {f"onestop-{service}-credentials"} | extras.get(service, set()), service
        mounted = {volume["secret"]["secretName"] for volume in doc["spec"]["template"]["spec"].get("volumes", [])
                   if "secret" in volume}
        keys = {"accounts": {"onestop-signing-keys"}, "partners": {"onestop-webhook-secrets-key"}}
        assert mounted == keys.get(service, set()), service
    # What the Ingress routes from outside: every path to the gateway (the console at /, the
    # API); the gateway itself refuses what it forwards to the metrics and the readiness check
    # (tests/e2e/test_access_matrix.py).
    (ingress,) = [d for d in docs if d["kind"] == "Ingress"]
    routed = {(path["path"], path["pathType"], path["backend"]["service"]["name"])
              for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]}
    assert routed == {("/", "Prefix", "onestop-gateway")}
    if overlay == "production":
        for service in SERVICES:
            assert ("HorizontalPodAutoscaler", f"onestop-{service}") in kinds
            assert ("PodDisruptionBudget", f"onestop-{service}") in kinds


def exported() -> set[str]:
    """Every sample name the platform's metrics produce (a histogram's series included)."""
    from prometheus_client import REGISTRY

    from shared import metrics  # noqa: F401  (registers every metric)
    suffixes = ("", "_total", "_bucket", "_sum", "_count")
    return {family.name + suffix for family in REGISTRY.collect() for suffix in suffixes}


def test_the_alert_rules_pass_promtool_and_name_only_exported_metrics(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(rules()), encoding="utf-8")
    checked = subprocess.run([tool("promtool"), "check", "rules", str(path)], capture_output=True,
                             text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    names = exported()
    for group in rules()["groups"]:
        for rule in group["rules"]:
            assert rule["annotations"]["runbook_url"].split("#")[1]
            assert rule["annotations"]["summary"]
            for name in re.findall(r"\bonestop_[a-z_]+", rule["expr"]):
                assert name in names, f"{rule['alert']} uses {name}, which nothing exports"


@pytest.mark.parametrize("board", ["operators.json", "station-managers.json"])
def test_the_dashboards_query_only_exported_metrics(board):
    import json
    dashboard = json.loads((ROOT / "deploy" / "grafana" / board).read_text(encoding="utf-8"))
    names = exported()
    assert dashboard["uid"] and dashboard["panels"]
    for panel in dashboard["panels"]:
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            for name in re.findall(r"\bonestop_[a-z_]+", target["expr"]):
                assert name in names, f"{panel['title']} uses {name}, which nothing exports"


def test_the_runbooks_exist_in_the_operations_guide():
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    anchors = {re.sub(r"[^a-z0-9 -]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
               for line in guide.splitlines() if line.startswith("#")}
    for group in rules()["groups"]:
        for rule in group["rules"]:
            assert rule["annotations"]["runbook_url"].split("#")[1] in anchors, rule["alert"]


def test_live_metrics_pass_promtool(tmp_path):
    platform = Embedded(tmp_path).start()
    try:
        platform.api.open_station()
        platform.api.call("POST", "/api/v1/institutions", as_=("specialist", "s-1"), json=factories.institution())
        created = platform.api.call("POST", "/api/v1/demands", as_=("specialist", "s-1"), json=factories.demand())
        platform.api.wait_dossier(created.json()["id"], "assigned", ("supervisor", "x"))
        text = platform.api.session.get(platform.api.base + "/metrics", timeout=10).text
    finally:
        platform.stop()
    assert 'onestop_events_total{event="DemandSubmitted",service="intake"}' in text
    assert 'onestop_demands{category="inspection_testing",status="assigned"} 1.0' in text
    checked = subprocess.run([tool("promtool"), "check", "metrics"], input=text, capture_output=True,
                             text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
