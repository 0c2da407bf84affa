"""Measures what one search transfers on a synthetic archive (default: 480 issues, 2,000 profiles,
from bench/build_speed.py's generator): the archive is built with the `rundbrief` plugin, served
with gzip as a production server would, and searched in Debian's Chromium with an empty cache. The
limit (issue 13) is 300 KB for one query, the search page included.
Usage: python bench/search_transfer.py [--issues N] [--profiles N] [QUERY ...]"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from build_speed import REPO, goal, write_projects  # noqa: E402
from test_browser import CHROMIUM, _Handler  # noqa: E402  (the gzip server of the browser tests)

LIMIT = 300_000


def measure(base: str, query: str) -> tuple[int, int, int, int]:
    """Bytes transferred for the search page alone and for the whole query, and request counts."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 375, "height": 900})
        requests = []
        page.on("request", lambda request: requests.append(request))
        page.goto(f"{base}suche/?q={query}", wait_until="networkidle")
        page.wait_for_function("document.getElementById('rb-search-status').textContent.includes('für „')")
        page.wait_for_load_state("networkidle")
        sizes = {r.url: r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in requests}
        found = page.inner_text("#rb-search-status")
        browser.close()
    search = {url: size for url, size in sizes.items() if "/pagefind/" in url}
    print(f"  „{query}“: {found}")
    return sum(sizes.values()) - sum(search.values()), sum(sizes.values()), len(sizes) - len(search), len(sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--issues", type=int, default=480)
    parser.add_argument("--profiles", type=int, default=2000)
    parser.add_argument("queries", nargs="*", default=["Familien", "Mitstreiter*innen", "Projekt 1234"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=REPO / "bench") as tmp:
        project = write_projects(Path(tmp), args.issues, args.profiles)["Rundbrief, LinkedIn off"]
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")], check=True,
                       env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
        site = project / "site"
        indexed = len(list((site / "pagefind" / "fragment").iterdir()))
        print(f"{args.issues} issues, {args.profiles} profiles: built in {time.perf_counter() - start:.1f} s, "
              f"{indexed} pages searchable")
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            for query in args.queries:
                page, total, page_requests, requests = measure(f"http://127.0.0.1:{server.server_port}/", query)
                print(f"  search page weight {page / 1000:.1f} KB in {page_requests} requests; with the query "
                      f"{total / 1000:.1f} KB in {requests} requests (gzip)")
                print("  " + goal("one query's transfer, search page included", total / 1000, LIMIT / 1000, " KB"))
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
