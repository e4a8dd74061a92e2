"""Screenshots of the home page for the README, taken from a server that is already running.

    make run                                    # or any running Jigiya with the demo world
    .venv/bin/python docs/screenshot.py [BASE_URL]

Logs in as the demo program manager and writes docs/screenshot-home.png (1280x900) and
docs/screenshot-mobile.png (390x844, a phone). Uses Playwright with Debian's Chromium at
/usr/bin/chromium (apt-get install chromium); it never downloads a browser and starts no server.
"""

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DOCS = Path(__file__).resolve().parent
# (file name, viewport, is it a phone)
SHOTS = [
    ("screenshot-home.png", {"width": 1280, "height": 900}, False),
    ("screenshot-mobile.png", {"width": 390, "height": 844}, True),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--username", default="manager")
    parser.add_argument("--password", default="Jigiya-demo-2026", help="the demo password")
    parser.add_argument("--language", default="fr", help="Accept-Language of the browser")
    parser.add_argument("--out", type=Path, default=DOCS, help="folder for the PNG files")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for name, viewport, phone in SHOTS:
            context = browser.new_context(
                viewport=viewport, locale=args.language, is_mobile=phone, has_touch=phone
            )
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", args.username)
            page.fill("#id_password", args.password)
            page.click("form.stacked button[type=submit]")
            page.wait_for_load_state("networkidle")
            if page.url.rstrip("/") != base:
                print(f"login as {args.username} failed: landed on {page.url}", file=sys.stderr)
                return 1
            path = args.out / name
            page.screenshot(path=str(path))
            print(f"wrote {path} ({viewport['width']}x{viewport['height']})")
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
