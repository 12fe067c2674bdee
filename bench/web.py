"""The web app in Chromium (headless, loopback) over a 100,000-item catalogue.

Loads the synthetic catalogue of bench/catalog.py (movies, episodes, tracks with realistic
titles), moves 10,000 of its movies into a library of their own, builds the search index,
starts `revenge serve --no-worker`, signs a browser in, and measures:

- home page: first contentful paint and "loaded" (the home shelves on screen), each with a
  cold cache (a new browser profile) and a warm one (the same page opened again);
- search as you type: from the last keystroke to the results on screen (the next frame after
  they are in the page), over 100 queries (half the issue's examples, half titles being typed);
- bytes of script and style the first page loads, as sent (compressed) and unpacked;
- scrolling the 10,000-item library to its end: the longest frame (requestAnimationFrame gaps)
  and the longest task (Long Tasks API).

Goals: FCP < 500 ms, loaded < 1 s, search p95 < 150 ms, < 200 KB, no frame > 50 ms.

Beside each figure, a baseline measured in the same run on the same machine: a plain text file
from the same server (the browser's own floor for a page) and the search API called directly
from the page (the server's share of search-as-you-type). The machine is shared, so compare the
ratios across runs rather than the raw times.

    python bench/web.py [--items 100000] [--runs 10] [--queries 100]

Database: REVENGE_BENCH_DATABASE_URL or REVENGE_TEST_DATABASE_URL (a server URL; a scratch
database is created on it), else an embedded PostgreSQL. Chromium: /usr/bin/chromium or
REVENGE_CHROMIUM (`apt-get install -y chromium`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO_ROOT / "src"), str(REPO_ROOT)]

import httpx
import psycopg
from bench._catalog import load, search_queries, settle
from bench._common import scratch_database
from bench.stream import running
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from revenge.infra.db import migrate
from revenge.testing.browser import Quiet
from revenge.testing.services import free_port

USER, PASSWORD = "bench", "bench-password-1"
LIBRARY_ITEMS = 10_000

# Resolves when the home page shows its shelves (or says it has none): the time, in the page.
HOME_SHOWN = """() => {
    const main = document.querySelector('main');
    const ready = main && main.querySelector('h1') && !main.querySelector('.loading')
        && (main.querySelector('.shelf') || main.querySelector('p.muted'));
    return ready ? performance.now() : false;
}"""

FCP = """() => {
    const [entry] = performance.getEntriesByName('first-contentful-paint');
    return entry ? entry.startTime : false;
}"""

# Script and style the page loaded: bytes on the wire (compressed) and unpacked.
ASSETS = """() => performance.getEntriesByType('resource')
    .filter((r) => /\\.(m?js|css)(\\?|$)/.test(r.name))
    .map((r) => ({ name: r.name, sent: r.encodedBodySize, size: r.decodedBodySize,
                   transfer: r.transferSize }))"""

# Records when the results for `query` are in the page and the next frame has been drawn.
WATCH_RESULTS = """(query) => {
    const results = document.getElementById('search-results');
    window.__shown = null;
    window.__observer?.disconnect();
    window.__observer = new MutationObserver(() => {
        if (results.dataset.query === query && window.__shown === null) {
            window.__shown = 0;
            requestAnimationFrame(() => { window.__shown = performance.now(); });
        }
    });
    window.__observer.observe(results, { attributes: true, attributeFilter: ['data-query'] });
    document.getElementById('search-input').addEventListener(
        'keydown', () => { window.__typed = performance.now(); }, { once: true, capture: true });
}"""

API_SEARCH = """async (query) => {
    const api = await import('/static/js/api.js');
    const started = performance.now();
    await api.api('/api/v1/search', { query: { q: query, limit: 60 } });
    return performance.now() - started;
}"""

# Scrolls to the end of the grid as a fast reader would, one screen per frame, recording each
# frame's gap and every long task; ends once the page stops growing at the bottom.
SCROLL = """async () => {
    const longTasks = [];
    const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push(entry.duration);
    });
    observer.observe({ type: 'longtask', buffered: false });
    const gaps = [];
    let last = performance.now();
    let still = 0;
    let height = 0;
    const started = performance.now();
    await new Promise((done) => {
        function frame(now) {
            gaps.push(now - last);
            last = now;
            window.scrollBy(0, window.innerHeight);
            const bottom = window.scrollY + window.innerHeight >= document.body.scrollHeight - 2;
            const grown = document.body.scrollHeight !== height;
            height = document.body.scrollHeight;
            still = bottom && !grown ? still + 1 : 0;
            if (still > 90 || now - started > 180000) done(); else requestAnimationFrame(frame);
        }
        requestAnimationFrame(frame);
    });
    observer.disconnect();
    gaps.shift();
    return { gaps, longTasks, seconds: (performance.now() - started) / 1000,
             cells: document.querySelectorAll('.vgrid-cell').length,
             height: document.body.scrollHeight };
}"""


def chromium() -> str:
    path = os.environ.get("REVENGE_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        sys.exit(f"no Chromium at {path}: apt-get install -y chromium (or set REVENGE_CHROMIUM)")
    return path


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def seed(db_url: str, items: int, env: dict[str, str]) -> uuid.UUID:
    """The catalogue, a 10,000-movie library, a user to sign in as, the search index."""
    migrate.upgrade(db_url)
    started = time.perf_counter()
    load(db_url, items)
    library = uuid.uuid4()
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO libraries (id, name, type) VALUES (%s, 'Ten thousand', 'movie')",
            (library,),
        )
        conn.execute(
            "UPDATE movies SET library_id = %s WHERE id IN (SELECT id FROM movies LIMIT %s)",
            (library, LIBRARY_ITEMS),
        )
    subprocess.run(
        [sys.executable, "-m", "revenge", "user", "create", USER, "--admin"],
        env={**env, "REVENGE_NEW_USER_PASSWORD": PASSWORD},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run([sys.executable, "-m", "revenge", "search", "rebuild"], env=env, check=True)
    settle(db_url)
    print(f"seeded {items:,} items in {time.perf_counter() - started:.1f} s", flush=True)
    return library


def signed_in(browser: Browser, url: str, **options: Any) -> BrowserContext:
    """A new browser profile (empty cache) holding a fresh session's cookies.

    Signed in over HTTP, not in the page, so no file of the app is cached yet; each profile
    gets its own session because a refresh token works once.
    """
    resp = httpx.post(
        f"{url}/api/v1/auth/browser/login",
        json={"username": USER, "password": PASSWORD},
        headers={"Origin": url},
        timeout=30,
    )
    resp.raise_for_status()
    context = browser.new_context(**options)
    context.add_cookies(
        [
            {"name": c.name, "value": c.value or "", "domain": "127.0.0.1", "path": c.path}
            for c in resp.cookies.jar
        ]
    )
    return context


def open_home(page: Page, url: str) -> tuple[float, float]:
    page.goto(f"{url}/")
    try:
        shown = float(page.wait_for_function(HOME_SHOWN, timeout=30_000).json_value())
    except Exception:
        sys.exit(f"the home page did not show at {page.url}: {page.inner_text('body')[:500]!r}")
    fcp = float(page.wait_for_function(FCP, timeout=30_000).json_value())
    return fcp, shown


def open_floor(page: Page, url: str) -> float:
    page.goto(f"{url}/static/vendor/blurhash-2.0.5.LICENSE")
    return float(page.wait_for_function(FCP, timeout=30_000).json_value())


def home(browser: Browser, url: str, runs: int) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {
        k: [] for k in ("cold fcp", "cold loaded", "warm fcp", "warm loaded", "floor fcp")
    }
    for _ in range(runs):
        context = signed_in(browser, url)
        page = context.new_page()
        fcp, shown = open_home(page, url)
        figures["cold fcp"].append(fcp)
        figures["cold loaded"].append(shown)
        fcp, shown = open_home(page, url)
        figures["warm fcp"].append(fcp)
        figures["warm loaded"].append(shown)
        context.close()
        context = browser.new_context()
        figures["floor fcp"].append(open_floor(context.new_page(), url))
        context.close()
    return figures


def first_page_bytes(browser: Browser, url: str) -> list[dict[str, Any]]:
    context = signed_in(browser, url)
    page = context.new_page()
    quiet = Quiet(page)
    open_home(page, url)
    quiet.wait()
    assets = list(page.evaluate(ASSETS))
    context.close()
    return assets


def search(
    context: BrowserContext, url: str, queries: list[str]
) -> tuple[list[float], list[float]]:
    page = context.new_page()
    page.goto(f"{url}/search")
    page.wait_for_selector("#search-input")
    box = page.locator("#search-input")
    shown: list[float] = []
    direct: list[float] = []
    for query in queries:
        box.fill(query[:-1])
        if query[:-1].strip():
            page.wait_for_function(
                "(q) => document.getElementById('search-results').dataset.query === q",
                arg=query[:-1],
            )
        page.evaluate(WATCH_RESULTS, query)
        page.keyboard.type(query[-1])
        page.wait_for_function("() => window.__shown > 0", timeout=30_000)
        shown.append(float(page.evaluate("() => window.__shown - window.__typed")))
        direct.append(float(page.evaluate(API_SEARCH, query)))
    page.close()
    return shown, direct


def idle_frames(context: BrowserContext, url: str) -> list[float]:
    """Frame gaps of a page with nothing to do (a short text file): the machine's own floor."""
    page = context.new_page()
    page.goto(f"{url}/static/vendor/blurhash-2.0.5.LICENSE")
    gaps = list(page.evaluate(SCROLL)["gaps"])
    page.close()
    return gaps


def scroll(context: BrowserContext, url: str, library: uuid.UUID) -> dict[str, Any]:
    page = context.new_page()
    quiet = Quiet(page)
    page.goto(f"{url}/libraries/{library}")
    page.wait_for_selector(".vgrid-cell")
    quiet.wait()
    found = dict(page.evaluate(SCROLL))
    found["count"] = page.locator("main .toolbar .muted").inner_text()
    page.close()
    return found


def line(
    name: str, values: list[float], goal: str = "", baseline: list[float] | None = None
) -> str:
    text = (
        f"{name:22} median {statistics.median(values):7.1f} ms  p95 {pct(values, 95):7.1f} ms"
        f"  max {max(values):7.1f} ms"
    )
    if baseline:
        text += f"  ({statistics.median(values) / statistics.median(baseline):4.1f}x baseline)"
    return text + (f"  goal {goal}" if goal else "")


def run(db_url: str, base: Path, items: int, runs: int, queries: int) -> None:
    env = {
        **os.environ,
        "REVENGE_DATABASE_URL": db_url,
        "REVENGE_DATA_DIR": str(base),
        "PYTHONPATH": f"{REPO_ROOT / 'src'}:{REPO_ROOT}",
        "REVENGE_SCANNING__REALTIME": "false",
        "REVENGE_SCANNING__INTERVAL_HOURS": "0",
    }
    library = seed(db_url, items, env)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "revenge", "serve", "--no-worker", "--port", str(port)]
    load_before = loadavg()
    with running(cmd, port, env), sync_playwright() as pw:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        browser = pw.chromium.launch(executable_path=chromium(), headless=True, args=args)
        open_home(signed_in(browser, url).new_page(), url)  # warm the server up
        figures = home(browser, url, runs)
        assets = first_page_bytes(browser, url)
        context = signed_in(browser, url, viewport={"width": 1280, "height": 800})
        shown, direct = search(context, url, search_queries(queries))
        scrolled = scroll(context, url, library)
        idle = idle_frames(context, url)
        browser.close()
    print(f"{items:,} items; Chromium headless on loopback; load average {load_before} before,"
          f" {loadavg()} after ({os.cpu_count()} cores)")  # fmt: skip
    print(f"home page, {runs} runs each (baseline: a plain text file's first paint)")
    print(line("  cold: first paint", figures["cold fcp"], "< 500 ms", figures["floor fcp"]))
    print(line("  cold: loaded", figures["cold loaded"], "< 1000 ms", figures["floor fcp"]))
    print(line("  warm: first paint", figures["warm fcp"], "< 500 ms", figures["floor fcp"]))
    print(line("  warm: loaded", figures["warm loaded"], "< 1000 ms", figures["floor fcp"]))
    print(line("  baseline: text file", figures["floor fcp"]))
    print(f"search as you type, {queries} queries (baseline: the search API from the page)")
    print(line("  keystroke to results", shown, "p95 < 150 ms", direct))
    print(line("  baseline: API alone", direct))
    sent = sum(a["sent"] for a in assets)
    size = sum(a["size"] for a in assets)
    print(f"first page: {len(assets)} scripts and styles, {sent / 1024:.1f} KB sent"
          f" ({size / 1024:.1f} KB unpacked), goal < 200 KB")  # fmt: skip
    for asset in sorted(assets, key=lambda a: -a["sent"])[:8]:
        print(f"    {asset['sent'] / 1024:6.1f} KB  {asset['name'].split('/static/', 1)[-1]}")
    gaps, tasks = scrolled["gaps"], scrolled["longTasks"]
    print(f"scrolling a {LIBRARY_ITEMS:,}-item library to the end ({scrolled['count']},"
          f" {len(gaps)} frames in {scrolled['seconds']:.1f} s, {scrolled['cells']} cells in the"
          f" page at the end)")  # fmt: skip
    print(f"  longest frame {max(gaps):.1f} ms, p99 {pct(gaps, 99):.1f} ms,"
          f" frames over 50 ms: {sum(g > 50 for g in gaps)}; long tasks: {len(tasks)},"
          f" longest {max(tasks, default=0):.0f} ms (goal: no frame > 50 ms)")  # fmt: skip
    print(f"  baseline: a page doing nothing, {len(idle)} frames: longest {max(idle):.1f} ms,"
          f" p99 {pct(idle, 99):.1f} ms, over 50 ms: {sum(g > 50 for g in idle)}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="revenge-bench-web-"))
    try:
        with scratch_database() as db:
            run(db, base, args.items, args.runs, args.queries)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
