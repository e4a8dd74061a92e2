"""Page weight: every HTML page of the project against the budget of DESIGN.md.

Every URL pattern is discovered (nothing new goes unmeasured), its parameters filled with real
ids, and the page fetched signed in as the demo administrator, who may open everything. The
first load of a page is its HTML plus every same-site stylesheet, script and image it
references; each is gzip-compressed (level 6, what a reverse proxy would send) and summed.
"""

import gzip
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.db import connection
from django.http import HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from benchmarks.context import Context
from benchmarks.report import Column, Section, kb

BUDGET_BYTES = 100_000  # compressed, first load
BUDGET_REQUESTS = 6
SKIPPED_PREFIXES = ("django-admin/", "static/", "api/", "i18n/")
# Pages a signed-in user is redirected away from: measured signed out.
SIGNED_OUT = {"accounts:login"}
PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Page:
    route: str  # e.g. "places/<uuid:place_id>/"
    name: str  # e.g. "places:detail"


def discover(
    patterns: list[Any] | None = None, prefix: str = "", namespace: str = ""
) -> list[Page]:
    """Every URL pattern below the root URLconf, in URLconf order, minus the skipped prefixes."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    pages = []
    for entry in patterns:
        route = prefix + str(entry.pattern).lstrip("^")
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            pages += discover(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            pages.append(Page(route=route, name=f"{namespace}{entry.name or ''}"))
    return pages


def fill(route: str, params: dict[str, Any]) -> str:
    """The route with each parameter replaced by the id of the object `params` gives for it."""

    def value(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in params:
            raise LookupError(
                f"No object for URL parameter “{name}” in “{route}”: "
                "add one to PATH_PARAMS in benchmarks/context.py."
            )
        return str(params[name].pk)

    if "(?P<" in route or route.endswith("$"):
        raise LookupError(f"Regular-expression route “{route}”: give it a plain path() route.")
    return "/" + PARAM.sub(value, route)


class _Assets(HTMLParser):
    """The URLs of the stylesheets, scripts and images a page makes the browser load."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        rel = (found.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel:
            self._add(found.get("href"))
        elif tag in ("script", "img"):
            self._add(found.get("src"))

    def _add(self, url: str | None) -> None:
        if url and url not in self.urls:
            self.urls.append(url)


def same_site_assets(html: str, page_url: str) -> list[str]:
    """Asset paths on this site (data: URIs and other hosts are not ours to count)."""
    parser = _Assets()
    parser.feed(html)
    paths = []
    for url in parser.urls:
        absolute = urlsplit(urljoin(f"http://testserver{page_url}", url))
        if absolute.scheme in ("http", "https") and absolute.netloc == "testserver":
            path = absolute.path + (f"?{absolute.query}" if absolute.query else "")
            if path not in paths:
                paths.append(path)
    return paths


def body(response: HttpResponseBase) -> bytes:
    content = (
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if response.streaming
        else response.content  # type: ignore[attr-defined]
    )
    response.close()
    return content


def gzipped(content: bytes) -> int:
    return len(gzip.compress(content, compresslevel=6, mtime=0))


def measure(client: Client, url: str) -> dict[str, Any]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    html = body(response)
    row: dict[str, Any] = {
        "status": response.status_code,
        "html_bytes": len(html),
        "queries": len(queries),
    }
    compressed = gzipped(html)
    missing = []
    assets = []
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        assets = same_site_assets(html.decode(response.charset or "utf-8"), url)
        for asset in assets:
            asset_response = client.get(asset)
            content = body(asset_response)
            if asset_response.status_code != 200:
                missing.append(f"{asset} ({asset_response.status_code})")
            compressed += gzipped(content)
    row |= {
        "assets": assets,
        "missing_assets": missing,
        "gzip_bytes": compressed,
        "requests": 1 + len(assets),
    }
    if response.status_code != 200:
        row["verdict"] = "n/a"
    elif compressed <= BUDGET_BYTES and row["requests"] <= BUDGET_REQUESTS and not missing:
        row["verdict"] = "OK"
    else:
        row["verdict"] = "OVER"
    return row


def page_weight(ctx: Context) -> Section:
    section = Section(
        key="page_weight",
        title=(
            f"Page weight, first load, signed in as {ctx.admin.username} "
            f"(budget ≤ {BUDGET_BYTES // 1000} KB gzip, ≤ {BUDGET_REQUESTS} requests)"
        ),
        columns=[
            Column("route", "page", right=False),
            Column("status", "status"),
            Column("html_bytes", "HTML KB", kb),
            Column("gzip_bytes", "gzip KB (all)", kb),
            Column("requests", "requests"),
            Column("queries", "SQL"),
            Column("verdict", "verdict", right=False),
        ],
    )
    # 405s (POST-only endpoints) and the like are expected here, not worth a warning each.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    signed_in, signed_out = ctx.client(ctx.admin), ctx.client(None)
    for page in discover():
        url = fill(page.route, ctx.params)
        client = signed_out if page.name in SIGNED_OUT else signed_in
        row = {"route": "/" + PARAM.sub(r"<\g<name>>", page.route), "name": page.name, "url": url}
        section.rows.append(row | measure(client, url))
    over = section.over_budget()
    section.notes += [
        "HTML KB is uncompressed; gzip KB adds every same-site stylesheet, script and image "
        "(1 KB = 1 000 bytes).",
        f"Signed out: {', '.join(sorted(SIGNED_OUT))} (a signed-in user is redirected).",
        "n/a: not a page (e.g. 405 for a POST-only endpoint, 302 for a redirect).",
        "Ids used: " + "; ".join(f"{name} = {obj}" for name, obj in ctx.params.items()) + ".",
        f"{len(over)} page(s) over budget." if over else "Every page is within budget.",
    ]
    for row in section.rows:
        if row["missing_assets"]:
            section.notes.append(f"{row['url']}: missing assets {', '.join(row['missing_assets'])}")
    return section
