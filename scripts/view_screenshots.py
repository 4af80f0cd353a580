"""Screenshots of the view for docs/: the opening view at 1366×768 and 1920×1080, and one chain with a gap panel.

Usage: python scripts/view_screenshots.py [OUT_DIR]   (needs Debian's /usr/bin/chromium and playwright)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from graph.build.pipeline import load_build
from graph.view.page import write_html

ROOT = Path(__file__).resolve().parent.parent
SHOTS = [
    ("view-1366.png", 1366, 768, ""),
    ("view-1920.png", 1920, 1080, ""),
    (
        "view-1366-liion-gap.png",
        1366,
        768,
        "document.getElementById('ckg-chain').value = 'chain-liion';"
        "document.getElementById('ckg-chain').dispatchEvent(new Event('change'));"
        "ckgView.showPanel('seg-liion-anode');",
    ),
]


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "index.html"
        write_html(load_build(ROOT / "seeds").G, page_path)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            for name, width, height, script in SHOTS:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(page_path.as_uri())
                page.wait_for_function("window.ckgReady === true", timeout=30000)
                if script:
                    page.evaluate(script)
                page.wait_for_timeout(300)
                page.screenshot(path=str(out / name))
                page.close()
            browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
