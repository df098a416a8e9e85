"""The web console's files (console/, built into console/dist by scripts/install), served by
the gateway at ``/`` beside the API: each built file as it is, and ``index.html`` for every
other page path, where the console's own router takes over.

Built assets are named by their content's hash, so they are cached for a year; the page itself
is revalidated on every load, so a new release reaches people at their next visit. The page's
policy lets it load its own scripts, styles and images only, and talk to this origin only.
"""
from __future__ import annotations

import mimetypes
from pathlib import Path

from werkzeug.wrappers import Response
from werkzeug.wsgi import wrap_file

from shared.config import section

#: Paths that are the API's (or the platform's own), never the console's.
NOT_PAGES = ("api/", ".well-known/", "openapi.json", "metrics", "healthz", "readyz")
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
               "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
DEFAULT_FOLDER = Path(__file__).resolve().parents[1] / "console" / "dist"


def console_folder(config: dict) -> Path | None:
    """The built console (``GATEWAY.console_dir``), or None where there is none: an API-only
    gateway answers every other path with the API's 404."""
    folder = Path(section(config, "GATEWAY").get("console_dir") or DEFAULT_FOLDER)
    return folder if (folder / "index.html").is_file() else None


def console_file(request, folder: Path, path: str) -> Response | None:
    """The console's answer to a GET of ``path``, or None when the path is not the console's."""
    if request.method not in ("GET", "HEAD") or path.startswith(NOT_PAGES):
        return None
    root = folder.resolve()
    wanted = (root / path).resolve()
    if wanted != root and root not in wanted.parents:
        return None  # outside the folder: no page of ours
    if wanted.is_file():
        return _file(request, wanted, immutable=wanted.parent.name == "assets")
    if "." in Path(path).name:
        return None  # a file that is not there, not a page of the console's router
    return _file(request, root / "index.html", immutable=False)


def _file(request, stored: Path, immutable: bool) -> Response:
    media_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or media_type in ("application/javascript", "image/svg+xml"):
        media_type += "; charset=utf-8"
    content = stored.open("rb")
    headers = {"Content-Length": str(stored.stat().st_size),
               "Cache-Control": "public, max-age=31536000, immutable" if immutable else "no-cache",
               "Content-Security-Policy": PAGE_POLICY}
    return Response(wrap_file(request.environ, content), direct_passthrough=True,
                    content_type=media_type, headers=headers)
