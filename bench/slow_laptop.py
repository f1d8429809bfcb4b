"""Chart pages on a slow office laptop: Chromium with its CPU four times slower and a 10 Mbit/s
line, first visit (empty cache) and the next visit, per chart page; prints the time until every
chart on the page is drawn and the bytes that came over the network.

Usage (a scratch database: the script migrates it and loads the demo data into it):

    createdb -h 127.0.0.1 -U postgres tpps_slow
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tpps_slow .venv/bin/python bench/slow_laptop.py \\
        [--runs 3] [--cpu 4] [--mbit 10] [--latency 40] [--skip-setup] [--screenshots DIR]
    .venv/bin/python bench/slow_laptop.py --url http://127.0.0.1:8000     # a running `make run`

Without --url it runs `migrate` and `demo_data` (not with --skip-setup) and always
`collectstatic`, then starts gunicorn with DEBUG off, WhiteNoise and two workers as `make run`
does (bench/load.py's start_server) and stops it at the end. Only loopback addresses.

A visit: a new browser context (its own empty HTTP cache) logged in as the demo operator; the
page gets a CDP session with `Emulation.setCPUThrottlingRate` and
`Network.emulateNetworkConditions`; the clock is the page's own (performance.now(), from the
start of its navigation) when every `.chart` on it holds plotly's `.main-svg`. The next visit is
the same URL again in the same context (HTML is never cached: no-store; CSS/JS come from the
cache). Bytes: CDP's encodedDataLength of every response (headers included). Each page is
measured --runs times; best and median are printed.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from playwright.sync_api import sync_playwright

from load import BASE_DIR, DEMO_PASSWORD, RUN_ENV, require_loopback, start_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
ACCOUNT = "operator"  # sees every page with names, for the whole city
# label → path, or (page to read, regex of a link on it)
PAGES = {
    "dasbor": "/laporan/",
    "register stunting": "/balita/stunting/",
    "anak": ("/balita/", r'href="(/balita/anak/\d+/)"'),
    "kelurahan": ("/laporan/", r'href="(/laporan/kelurahan/\d+/)'),
    "peringkat": "/laporan/peringkat/",
}
# Installed in every document before its scripts: the page's own clock when its first chart and
# when every chart holds plotly's svg, noted by a MutationObserver (it runs as plotly adds them).
WATCH_CHARTS = """(() => {
  const seen = () => {
    const charts = [...document.querySelectorAll('.chart')];
    const drawn = charts.filter(c => c.querySelector('.main-svg')).length;
    if (drawn && window.__firstChart === undefined) { window.__firstChart = performance.now(); }
    if (charts.length && drawn === charts.length && window.__everyChart === undefined) {
      window.__everyChart = performance.now();
    }
  };
  new MutationObserver(seen).observe(document, {childList: true, subtree: true});
})();"""
CHARTS_DRAWN = "() => window.__everyChart !== undefined && [window.__firstChart, window.__everyChart]"
WIDTHS = {"desktop": (1366, 768), "phone": (390, 844)}


def setup(args):
    env = dict(os.environ, **RUN_ENV, SECRET_KEY="bench-slow-laptop-" + "x" * 40)
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    commands = [] if args.skip_setup else [["migrate", "-v0"], ["demo_data"]]
    for command in [*commands, ["collectstatic", "--noinput", "-v0"]]:
        subprocess.run(manage + command, env=env, cwd=BASE_DIR, check=True, stdout=subprocess.DEVNULL)


def log_in(browser, base):
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/masuk/")
    page.fill("#id_username", ACCOUNT)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if "/masuk/" in page.url:
        sys.exit(f"Login as {ACCOUNT} failed (demo data loaded?).")
    urls = {}
    for label, target in PAGES.items():
        if isinstance(target, str):
            urls[label] = base + target
            continue
        source, pattern = target
        page.goto(base + source)
        found = re.search(pattern, page.content())
        if not found:
            sys.exit(f"No link for {label} on {source}.")
        urls[label] = base + found.group(1)
    state = context.storage_state()
    context.close()
    return state, urls


def visit(page, url, bytes_seen):
    bytes_seen.clear()
    page.goto(url, wait_until="commit", timeout=120_000)
    first, drawn = page.wait_for_function(CHARTS_DRAWN, timeout=120_000, polling=50).json_value()
    page.wait_for_load_state("load")
    html = page.evaluate("() => performance.getEntriesByType('navigation')[0].responseStart")
    return first / 1000, drawn / 1000, sum(bytes_seen), html / 1000


def measure(browser, state, url, args, viewport):
    context = browser.new_context(storage_state=state, viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    page.add_init_script(WATCH_CHARTS)
    cdp = context.new_cdp_session(page)
    bytes_seen = []
    cdp.on("Network.loadingFinished", lambda event: bytes_seen.append(event["encodedDataLength"]))
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": args.latency,
        "downloadThroughput": args.mbit * 1_000_000 / 8, "uploadThroughput": args.mbit * 1_000_000 / 8,
    })
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": args.cpu})
    first = visit(page, url, bytes_seen)
    again = visit(page, url, bytes_seen)
    context.close()
    return first, again


def summary(visits) -> str:
    """visits: (first chart s, every chart s, bytes, first byte of the HTML s) per run."""
    every = [v[1] for v in visits]
    return (f"{min(every):>5.2f} / {statistics.median(every):<5.2f} {min(v[0] for v in visits):>5.2f}"
            f" {min(v[3] for v in visits):>5.2f} {min(v[2] for v in visits) / 1000:>6.0f}")


def screenshots(browser, state, urls, folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    for name, viewport in WIDTHS.items():
        context = browser.new_context(storage_state=state, viewport={"width": viewport[0], "height": viewport[1]})
        page = context.new_page()
        page.add_init_script(WATCH_CHARTS)
        for label, url in urls.items():
            page.goto(url)
            page.wait_for_function(CHARTS_DRAWN, timeout=60_000, polling=50)
            page.screenshot(path=folder / f"{label.replace(' ', '-')}-{name}.png", full_page=True)
        context.close()
    print(f"screenshots in {folder}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server on this computer (default: start gunicorn)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpu", type=float, default=4, help="CPU slowdown factor")
    parser.add_argument("--mbit", type=float, default=10, help="download and upload, Mbit/s")
    parser.add_argument("--latency", type=float, default=40, help="added round trip, ms")
    parser.add_argument("--skip-setup", action="store_true", help="no migrate/demo_data (collectstatic still runs)")
    parser.add_argument("--screenshots", type=Path, help="also save full-page screenshots at 1366 and 390 px here")
    args = parser.parse_args()

    server = None
    if args.url:
        host, port = require_loopback(args.url)
        described = args.url
    else:
        setup(args)
        server_args = argparse.Namespace(skip_setup=True, workers=2, threads=1)
        server, port, described = start_server(server_args, Path(tempfile.mkstemp(suffix=".log")[1]))
        host = "127.0.0.1"
    base = f"http://{host}:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            state, urls = log_in(browser, base)
            print(f"server: {described}; Chromium CPU ×{args.cpu:g}, {args.mbit:g} Mbit/s, +{args.latency:g} ms; "
                  f"{args.runs} runs per page; time = navigation start → every chart drawn")
            print("seconds from navigation start: every chart drawn (best / median of the runs), first chart drawn"
                  " (best), first byte of the HTML (best: server and network); KB received (best)")
            print(f"{'':<18} {'first visit (empty cache)':<32}   {'next visit':<32}")
            print(f"{'page':<18} " + "   ".join([f"{'all charts':<13} {'first':>5} {'html':>5} {'KB':>6}"] * 2))
            for label, url in urls.items():
                results = [measure(browser, state, url, args, WIDTHS["desktop"]) for _ in range(args.runs)]
                print(f"{label:<18} {summary([r[0] for r in results])}   {summary([r[1] for r in results])}"
                      f"   {urllib.parse.urlsplit(url).path}")
            if args.screenshots:
                screenshots(browser, state, urls, args.screenshots)
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"({time.monotonic() - started:.0f} s)")
