"""Loading the nameko YAML configuration and deriving what each part needs from it."""
from __future__ import annotations

import secrets
from importlib import resources
from pathlib import Path

import yaml
from nameko.cli.main import setup_yaml_parser

DEFAULT_CONFIG = "config.yaml"


class ConfigurationError(Exception):
    pass


def load(path: str | Path | None = None) -> dict:
    """The configuration at ``path`` (default: the packaged one), environment interpolated."""
    setup_yaml_parser()
    if path is None:
        text = resources.files("shared").joinpath(DEFAULT_CONFIG).read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def data_path(config: dict) -> Path:
    """The data folder, whether or not it exists yet."""
    return Path(config.get("DATA_DIR") or "./data").resolve()


def data_dir(config: dict) -> Path:
    """The data folder, created if missing."""
    path = data_path(config)
    path.mkdir(parents=True, exist_ok=True)
    return path


def jwt_secret(config: dict, create: bool = True) -> str:
    """The configured secret, or (embedded mode only) one generated once into the data folder
    (``create=False``: FileNotFoundError rather than a secret no running platform knows).

    Separate processes would each generate their own and refuse each other's tokens, so the
    distributed mode must be given one."""
    configured = (config.get("AUTH") or {}).get("jwt_secret")
    if configured:
        return str(configured)
    if not str(config.get("AMQP_URI", "")).startswith("memory://"):
        raise ConfigurationError(
            "AUTH.jwt_secret (ONESTOP_JWT_SECRET) must be set when services run as separate processes")
    keep = (data_dir(config) if create else data_path(config)) / "jwt-secret"
    if not keep.exists() and not create:
        raise FileNotFoundError(keep)
    if not keep.exists():
        keep.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        keep.chmod(0o600)
    return keep.read_text(encoding="utf-8").strip()


def section(config: dict, name: str) -> dict:
    return dict(config.get(name) or {})


def attachment_max_bytes(config: dict) -> int:
    """The largest attachment accepted (ATTACHMENTS.max_bytes; 10 MiB by default): the gateway
    stops reading there and intake refuses beyond it."""
    return int(section(config, "ATTACHMENTS").get("max_bytes") or 10 * 1024 * 1024)
