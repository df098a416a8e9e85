"""Loading the nameko YAML configuration and deriving what each part needs from it."""
from __future__ import annotations

import stat
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


def refuse_readable_by_others(path: Path) -> None:
    """A key file anyone on the machine may read is refused, naming the mode it must have."""
    found = stat.S_IMODE(path.stat().st_mode)
    if found & 0o007:
        raise ConfigurationError(f"{path} may be read by others (mode {found:o}); "
                                 "it must be 0600, or 0440 for a pod's fsGroup")


def section(config: dict, name: str) -> dict:
    return dict(config.get(name) or {})


def attachment_folders(config: dict) -> tuple[Path, Path]:
    """Where attachments are kept (ATTACHMENTS.folder; DATA_DIR/attachments by default), and
    where the gateway streams an upload for intake to take (ATTACHMENTS.incoming; the folder's
    ``incoming`` by default: the same volume, so taking it is a rename)."""
    settings = section(config, "ATTACHMENTS")
    folder = Path(settings.get("folder") or data_path(config) / "attachments")
    return folder, Path(settings.get("incoming") or folder / "incoming")


def archive_files_folder(config: dict) -> Path:
    """Where the archive keeps the files its dossiers name (ARCHIVE.files; DATA_DIR/archive-files
    by default)."""
    return Path(section(config, "ARCHIVE").get("files") or data_path(config) / "archive-files")


def archive_prints_folder(config: dict) -> Path:
    """Where the archive writes a printed dossier for the gateway to stream and remove: a
    folder of ARCHIVE.files, the volume both of them mount."""
    return archive_files_folder(config) / "prints"


def attachment_max_bytes(config: dict) -> int:
    """The largest attachment accepted (ATTACHMENTS.max_bytes; 10 MiB by default): the gateway
    stops reading there and intake refuses beyond it."""
    return int(section(config, "ATTACHMENTS").get("max_bytes") or 10 * 1024 * 1024)


def development_tokens_allowed(config: dict) -> bool:
    """Whether tokens for a role and a party without a person (``onestop token``) are minted
    and accepted: ``AUTH.development_tokens`` true, false, or ``embedded`` (the default: only
    where the services run in one process, on the in-process transport)."""
    setting = str(section(config, "AUTH").get("development_tokens", "embedded")).strip().lower()
    if setting == "embedded":
        return str(config.get("AMQP_URI", "")).startswith("memory://")
    if setting not in ("true", "false"):
        raise ConfigurationError("AUTH.development_tokens must be true, false or embedded")
    return setting == "true"


def issuer(config: dict) -> str:
    """Who signs the platform's access tokens (``AUTH.issuer``): in a deployment the URL people
    reach it at. Unset, ``onestop``: the embedded mode's processes and its CLI then agree
    whatever address the gateway was given."""
    return str(section(config, "AUTH").get("issuer") or "onestop").rstrip("/")


#: What an example or a template says in place of a secret.
PLACEHOLDERS = ("change-me", "changeme")


def refuse_placeholders(config: dict) -> None:
    """A process given a secret that still says CHANGE-ME (an example file applied as it was)
    refuses to start, naming the setting, rather than run on a password everyone knows."""
    secrets_ = {
        "AMQP_URI": config.get("AMQP_URI"),
        "EVENT_STORE.postgres_password": section(config, "EVENT_STORE").get("postgres_password"),
        "ARCHIVE.mongo_uri": section(config, "ARCHIVE").get("mongo_uri"),
        "PARTNERS.amqp_uri": section(config, "PARTNERS").get("amqp_uri"),
        "PARTNERS.management_password": section(config, "PARTNERS").get("management_password"),
    }
    for name, value in secrets_.items():
        if value and any(placeholder in str(value).lower() for placeholder in PLACEHOLDERS):
            raise ConfigurationError(f"{name} still holds an example value (CHANGE-ME): give it "
                                     "the real secret (docs/operations.md)")
