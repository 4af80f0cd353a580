"""Screenshot of the 招商地图 page (``chainkg serve`` at ``/map``) for docs/: the 新能源锂电 chain, all its gaps,
at 1200×1000, with every non-loopback request blocked (the script fails if the page attempts one).

Usage: python scripts/map_screenshot.py [OUT_PNG]   (needs Debian's /usr/bin/chromium and playwright)
"""

from __future__ import annotations

import os
import re
import sys
import threading
import urllib.parse
from pathlib import Path

from playwright.sync_api import sync_playwright

from graph.build.source import load_pages_for_serving
from graph.sparql.server import make_server

ROOT = Path(__file__).resolve().parent.parent


def main(out: Path) -> None:
    os.chdir(
        ROOT
    )  # the page names the pool by the path it was read from: seeds/pool, as `chainkg serve` shows it
    served = load_pages_for_serving(seeds_dir=Path("seeds"))
    srv = make_server(served.full, served.view, map_page=served.map_page, port=0, workers=1)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    external: list[str] = []

    def block(route) -> None:
        if urllib.parse.urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            page.route(re.compile(r"^[a-z]+://"), block)
            page.goto(srv.url + "map")
            page.select_option("#chain", "liion")
            page.screenshot(path=str(out))
            browser.close()
    finally:
        srv.shutdown()
        srv.server_close()
    if external:
        raise SystemExit(f"the page tried to reach: {external}")
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT / "docs" / "targets-map.png")
