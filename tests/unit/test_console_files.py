"""The console's files at /: built files as they are (hashed assets cached for a year), the page
for every route of the console's own, and nothing outside its folder or of the API's."""
import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.console import console_file, console_folder


@pytest.fixture
def built(tmp_path):
    (tmp_path / "dist" / "assets").mkdir(parents=True)
    (tmp_path / "dist" / "index.html").write_text("<!doctype html><title>一站式</title>", encoding="utf-8")
    (tmp_path / "dist" / "assets" / "index-3f2a.js").write_text("console.log(1)")
    (tmp_path / "dist" / "favicon.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text("not the console's")
    return tmp_path / "dist"


def get(folder, path, method="GET"):
    request = Request(EnvironBuilder(path="/" + path, method=method).get_environ())
    return console_file(request, folder, path)


def body(response):
    return b"".join(response.response).decode()


def test_built_files_pages_and_their_caching(built):
    asset = get(built, "assets/index-3f2a.js")
    assert body(asset) == "console.log(1)"
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert asset.mimetype in ("text/javascript", "application/javascript")
    for page in ("", "demands/123", "specialist/queue"):
        shown = get(built, page)
        assert "一站式" in body(shown) and shown.headers["Cache-Control"] == "no-cache"
        assert shown.mimetype == "text/html" and "script-src 'self'" in shown.headers["Content-Security-Policy"]
    assert get(built, "favicon.svg").headers["Cache-Control"] == "no-cache"


def test_nothing_outside_the_folder_nor_the_api_s_paths_nor_a_missing_file(built):
    assert get(built, "../secret.txt") is None
    assert get(built, "assets/../../secret.txt") is None
    for path in ("api/v1/nothing", ".well-known/jwks.json", "openapi.json", "metrics", "readyz"):
        assert get(built, path) is None
    assert get(built, "assets/missing-1234.js") is None  # a file, not a page: the API's 404
    assert get(built, "demands", method="POST") is None


def test_no_console_built_means_none_is_served(tmp_path, built):
    assert console_folder({"GATEWAY": {"console_dir": str(tmp_path / "nowhere")}}) is None
    assert console_folder({"GATEWAY": {"console_dir": str(built)}}) == built
