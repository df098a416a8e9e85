"""The lock files scripts/install installs from (requirements/*.lock, made by scripts/lock) hold
every version pyproject.toml pins, each with the hashes of its files."""
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def locked(name: str) -> dict[str, tuple[str, list[str]]]:
    """{package: (version, hashes)} of requirements/<name>.lock."""
    found, current = {}, None
    for line in (ROOT / "requirements" / f"{name}.lock").read_text().splitlines():
        if match := re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line):
            current = re.sub(r"[-_.]+", "-", match.group(1)).lower()
            found[current] = (match.group(2), [])
        elif current and (digest := re.search(r"--hash=sha256:([0-9a-f]{64})", line)):
            found[current][1].append(digest.group(1))
    return found


@pytest.mark.parametrize("name, groups", [("runtime", ("dependencies",)), ("test", ("dependencies", "test"))])
def test_each_lock_holds_every_pinned_version_with_hashes(name, groups):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = [*project["dependencies"], *(project["optional-dependencies"]["test"] if "test" in groups else [])]
    lock = locked(name)
    for pin in pins:
        package, version = pin.split("==")
        key = re.sub(r"[-_.]+", "-", package).lower()
        assert key in lock, f"{package} is not in requirements/{name}.lock: run scripts/lock"
        assert lock[key][0] == version, f"{package}: pyproject says {version}, the lock {lock[key][0]}"
    assert all(hashes for _, hashes in lock.values()), "every locked version carries its hashes"
