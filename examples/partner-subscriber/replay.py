"""Fetch the events an institution missed, over HTTP, after the last event_id it handled.

    ONESTOP_API=https://onestop.example ONESTOP_TOKEN=<institution token> \\
    python replay.py [<last event_id>]
"""
from __future__ import annotations

import json
import os
import sys
import urllib.parse
import urllib.request


def fetch(after: str | None) -> dict:
    query = urllib.parse.urlencode({"limit": 500, **({"after": after} if after else {})})
    request = urllib.request.Request(f"{os.environ['ONESTOP_API']}/api/v1/partner/events?{query}",
                                     headers={"Authorization": f"Bearer {os.environ['ONESTOP_TOKEN']}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def main() -> None:
    after = sys.argv[1] if len(sys.argv) > 1 else None
    while True:
        page = fetch(after)
        for envelope in page["items"]:
            print(json.dumps(envelope, ensure_ascii=False))
        after = page["next_after"]
        if not page["more"]:
            break


if __name__ == "__main__":
    main()
