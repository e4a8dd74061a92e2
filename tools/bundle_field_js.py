"""Build jigiya/web/static/web/field.js, the one script of the field client a page loads:
idb-keyval (vendored), the outbox and the page part, joined so a page costs one request
(DESIGN.md: ≤ 6 per page). The service worker imports the first two separately.

    python tools/bundle_field_js.py          # write field.js
    python tools/bundle_field_js.py --check  # fail when field.js is not the bundle of its parts
"""

import sys
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "jigiya" / "web" / "static" / "web"
PARTS = ("idb-keyval.umd.js", "outbox.js", "offline.js")
TARGET = STATIC / "field.js"


def bundle() -> str:
    """The parts, each under a comment naming it."""
    header = "/* Built by tools/bundle_field_js.py from " + ", ".join(PARTS) + ": do not edit. */\n"
    return header + "".join(
        f"/* --- {name} --- */\n{(STATIC / name).read_text().rstrip()}\n" for name in PARTS
    )


def main(argv: list[str]) -> int:
    if "--check" in argv:
        if TARGET.read_text() != bundle():
            print(f"{TARGET} is stale: run python tools/bundle_field_js.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(bundle())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
