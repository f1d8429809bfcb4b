"""Many users at once against a production-like server: a login storm, then every user loops over
the pages of its role with short think times; prints requests per second, errors, p50/p95/p99 per
page, page weight and the login times.

Usage (a scratch database: the script migrates it and loads the demo data into it):

    createdb -h 127.0.0.1 -U postgres tpps_load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tpps_load .venv/bin/python bench/load.py \\
        [--users 50] [--seconds 60] [--think 0.5 1.5] [--workers 3] [--threads 1] [--skip-setup]
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000     # a running `make run` instead

Without --url it runs `migrate`, `demo_data` and `collectstatic`, then starts gunicorn on a free
loopback port with DEBUG off, a throwaway secret key and WhiteNoise, as `make run` does, and
stops it at the end. The load itself uses only the standard library (one thread and one
keep-alive connection per user, like a browser tab). It only talks to loopback addresses: a
--url elsewhere is refused, as are more than 200 users or more than 600 seconds.

What a user does: GET the login page, POST the demo account's password (all users at once: the
login storm, timed separately), then for --seconds visit its role's pages in a shuffled loop,
waiting --think seconds (uniform) between pages. Like a browser it also fetches the fragments a
page loads with `hx-trigger="load"` (the dashboard's indicator and survey cards) and the page's
CSS/JS once, keeping them for their Cache-Control max-age. The first --warmup seconds after the
storm are not counted (each gunicorn worker's first requests import and compile lazily).
"""

import argparse
import http.client
import http.cookies
import ipaddress
import os
import random
import re
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

BASE_DIR = Path(__file__).absolute().parent.parent
MAX_USERS = 200
MAX_SECONDS = 600
REQUEST_TIMEOUT = 60
DEMO_PASSWORD = "kediri-demo-2025"  # tpps/demo.py; not imported, so --url needs no Django here

# Role → demo accounts (sessions of one account are independent, like one login per office PC).
ACCOUNTS = {"pimpinan": ["sekda"], "operator": ["operator"], "wilayah": ["kelurahan", "puskesmas"]}
# Share of the users per role: Sekda's office reads, DP3AP2KB enters, kelurahan/puskesmas operators.
MIX = {"pimpinan": 0.3, "operator": 0.3, "wilayah": 0.4}

# label → path, or a (page label, regex) pair: a link picked at random from that page as the user saw it.
PAGES = {
    "dasbor": "/laporan/",
    "register stunting": "/balita/stunting/",
    "register balita": "/balita/",
    "anak": ("register balita", r'href="(/balita/anak/\d+/)"'),
    "kelurahan": ("dasbor", r'href="(/laporan/kelurahan/\d+/)'),
    "mutu data": "/balita/mutu/",
    "genting": "/genting/",
    "genting keluarga": "/genting/keluarga/",
    "genting ota": "/genting/orang-tua-asuh/",
    "genting penyaluran": "/genting/penyaluran/",
    "konvergensi": "/konvergensi/",
    "konvergensi indikator": "/konvergensi/indikator/",
    "konvergensi kesiapan": "/konvergensi/kesiapan/",
    "peringkat": "/laporan/peringkat/",
}
ROLE_PAGES = {
    "pimpinan": ["dasbor", "register stunting", "register balita", "anak", "kelurahan", "genting", "genting keluarga",
                 "konvergensi", "konvergensi indikator", "konvergensi kesiapan", "mutu data", "peringkat"],
    "operator": ["dasbor", "register balita", "anak", "register stunting", "mutu data", "kelurahan", "genting",
                 "genting keluarga", "genting ota", "genting penyaluran", "konvergensi", "konvergensi indikator"],
    "wilayah": ["dasbor", "register balita", "anak", "kelurahan", "register stunting", "mutu data", "genting",
                "genting keluarga"],
}
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')
ON_LOAD = re.compile(r'hx-get="([^"]*)" hx-trigger="load"')
MAX_AGE = re.compile(r"max-age=(\d+)")

# Production-like settings on plain HTTP on this computer (as the Makefile's RUN_ENV).
RUN_ENV = {
    "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false", "SECURE_HSTS_SECONDS": "0",
    "SECURE_HSTS_PRELOAD": "false", "BEHIND_PROXY": "false",
}


def require_loopback(url: str) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        sys.exit(f"--url must be http://host:port, not {url!r}")
    port = parts.port or 80
    addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)}
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        sys.exit(f"Refused: {parts.hostname} is not a loopback address ({', '.join(sorted(addresses))}).")
    return parts.hostname, port


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(args, log_path: Path):
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to a scratch database (or use --url).")
    env = dict(os.environ, **RUN_ENV, SECRET_KEY=secrets.token_urlsafe(50))
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    if not args.skip_setup:
        for command in (["migrate", "-v0"], ["demo_data"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run(manage + command, env=env, cwd=BASE_DIR, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "tpps.wsgi", "--bind", f"127.0.0.1:{port}",
               "--workers", str(args.workers), "--threads", str(args.threads), "--timeout", "120",
               "--no-control-socket"]
    log = open(log_path, "w")
    server = subprocess.Popen(command, env=env, cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped:\n{log_path.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/masuk/")
            if conn.getresponse().status == 200:
                conn.close()
                return server, port, " ".join(command[1:])
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    sys.exit(f"gunicorn did not answer in 60 s:\n{log_path.read_text()[-3000:]}")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.sizes = defaultdict(list)
        self.errors = defaultdict(int)
        self.examples = []
        self.counting = False

    def add(self, label, seconds, size, error=None):
        with self.lock:
            if not self.counting:
                return
            self.times[label].append(seconds)
            self.sizes[label].append(size)
            if error:
                self.errors[label] += 1
                if len(self.examples) < 10:
                    self.examples.append(f"{label}: {error}")


class Visitor(threading.Thread):
    """One user in one browser tab: a keep-alive connection, its cookies, its cached assets."""

    def __init__(self, host, port, role, username, password, args, stats, logins, start, stop):
        super().__init__(daemon=True)
        self.host, self.port, self.role, self.username, self.password = host, port, role, username, password
        self.args, self.stats, self.logins, self.start_event, self.stop_event = args, stats, logins, start, stop
        self.rng = random.Random(f"{username}-{id(self)}")
        self.conn = None
        self.cookies = {}
        self.assets = {}  # path → monotonic expiry
        self.seen = {}  # page label → last body

    def get(self, path, *, method="GET", body=None, headers=None):
        headers = {"Accept-Encoding": "gzip, br", "User-Agent": "tpps-bench-load", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
            began = time.monotonic()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed a kept-alive connection between requests: reconnect once.
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
                continue
            elapsed = time.monotonic() - began
            for value in response.headers.get_all("Set-Cookie") or []:
                cookie = http.cookies.SimpleCookie(value)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return response, data, elapsed
        raise AssertionError("unreachable")

    def login(self):
        _, page, _ = self.get("/masuk/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode({"username": self.username, "password": self.password,
                                       "csrfmiddlewaretoken": token})
        began = time.monotonic()
        response, _, _ = self.get("/masuk/", method="POST", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://{self.host}:{self.port}"})
        took = time.monotonic() - began
        if response.status != 302 or response.getheader("Location", "").startswith("/masuk"):
            raise RuntimeError(f"login {self.username} answered {response.status}")
        self.logins.append(took)

    def path_for(self, label):
        target = PAGES[label]
        if isinstance(target, str):
            return target
        source, pattern = target
        if source not in self.seen:
            self.visit(source)
        links = re.findall(pattern, self.seen.get(source, ""))
        return self.rng.choice(links) if links else None

    def visit(self, label):
        path = self.path_for(label)
        if path is None:
            self.stats.add(label, 0.0, 0, "no link to follow")
            return
        try:
            response, data, elapsed = self.get(path)
        except OSError as error:
            self.stats.add(label, REQUEST_TIMEOUT, 0, repr(error))
            return
        ok = response.status == 200
        self.stats.add(label, elapsed, len(data), None if ok else f"{path} → {response.status}")
        if not ok:
            return
        html = data.decode("utf-8", "replace")
        self.seen[label] = html
        for fragment in ON_LOAD.findall(html):
            url = urllib.parse.urljoin(path, fragment.replace("&amp;", "&"))
            part = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("bagian", ["fragment"])[0]
            self.fetch(f"{label} + {part} (htmx)", url, {"HX-Request": "true", "HX-Current-URL": path})
        now = time.monotonic()
        for asset in dict.fromkeys(ASSET.findall(html)):
            if self.assets.get(asset, 0) > now:
                continue
            response = self.fetch("static (css/js, not cached yet)", asset)
            max_age = MAX_AGE.search(response.getheader("Cache-Control", "") or "") if response else None
            self.assets[asset] = now + (int(max_age.group(1)) if max_age else 0)

    def fetch(self, label, url, headers=None):
        try:
            response, data, elapsed = self.get(url, headers=headers)
        except OSError as error:
            self.stats.add(label, REQUEST_TIMEOUT, 0, repr(error))
            return None
        self.stats.add(label, elapsed, len(data), None if response.status == 200 else f"{url} → {response.status}")
        return response

    def run(self):
        try:
            self.login()
        except Exception as error:  # noqa: BLE001 — a failed login is reported, not a crash of the bench
            self.logins.append(None)
            self.stats.examples.append(f"login {self.username}: {error!r}")
            return
        self.start_event.wait()
        pages = list(ROLE_PAGES[self.role])
        while not self.stop_event.is_set():
            self.rng.shuffle(pages)
            for label in pages:
                if self.stop_event.is_set():
                    break
                self.visit(label)
                self.stop_event.wait(self.rng.uniform(*self.args.think))


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def roles_for(users):
    counts = {role: int(users * share) for role, share in MIX.items()}
    counts["wilayah"] += users - sum(counts.values())
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server on this computer (default: start gunicorn)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--think", type=float, nargs=2, default=(0.5, 1.5), metavar=("MIN", "MAX"))
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (without --url)")
    # As the README's production command (sync workers); --threads 4 (gthread) measured no better here.
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (without --url)")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--skip-setup", action="store_true", help="no migrate/demo_data/collectstatic")
    args = parser.parse_args()
    if not 1 <= args.users <= MAX_USERS or not 0 < args.seconds <= MAX_SECONDS or args.warmup > MAX_SECONDS:
        sys.exit(f"At most {MAX_USERS} users and {MAX_SECONDS} seconds.")

    server = None
    with tempfile.TemporaryDirectory(prefix="tpps-load-") as tmp:
        if args.url:
            host, port = require_loopback(args.url)
            described = args.url
        else:
            server, port, described = start_server(args, Path(tmp) / "gunicorn.log")
            host = "127.0.0.1"
        try:
            run(args, host, port, described)
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)


def run(args, host, port, described):
    stats, logins = Stats(), []
    start, stop = threading.Event(), threading.Event()
    visitors = []
    for role, count in roles_for(args.users).items():
        for i in range(count):
            accounts = ACCOUNTS[role]
            visitors.append(Visitor(host, port, role, accounts[i % len(accounts)], args.password, args, stats,
                                    logins, start, stop))
    print(f"server: {described}")
    print(f"users: {args.users} ({', '.join(f'{n} {r}' for r, n in roles_for(args.users).items())}), "
          f"{args.seconds:g} s after {args.warmup:g} s warm-up, think {args.think[0]:g}–{args.think[1]:g} s")
    load_before = os.getloadavg()
    storm_began = time.monotonic()
    for visitor in visitors:
        visitor.start()
    while len(logins) < len(visitors) and time.monotonic() - storm_began < 300:
        time.sleep(0.05)
    storm = time.monotonic() - storm_began
    done = [t for t in logins if t is not None]
    if done:
        print(f"login storm ({len(visitors)} at once): all in {storm:.1f} s; each login p50 {statistics.median(done):.2f} s, "
              f"p95 {percentile(done, 95):.2f} s, max {max(done):.2f} s; failed {len(logins) - len(done)}")
    start.set()
    time.sleep(args.warmup)
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    with stats.lock:
        stats.counting = True
    began = time.monotonic()
    loads = []
    while time.monotonic() - began < args.seconds:
        time.sleep(min(5.0, args.seconds - (time.monotonic() - began)) if args.seconds > 0 else 0)
        loads.append(os.getloadavg()[0])
    with stats.lock:
        stats.counting = False
    elapsed = time.monotonic() - began
    stop.set()
    for visitor in visitors:
        visitor.join(REQUEST_TIMEOUT + 5)
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = (cpu.ru_utime + cpu.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)

    total = sum(len(v) for v in stats.times.values())
    errors = sum(stats.errors.values())
    pages = [label for label in stats.times if not label.startswith("static")]
    page_requests = sum(len(stats.times[label]) for label in pages)
    print(f"requests: {total} in {elapsed:.0f} s = {total / elapsed:.1f}/s ({page_requests / elapsed:.1f}/s pages and "
          f"fragments); errors: {errors}")
    print(f"load average: {load_before[0]:.2f} before the storm, {statistics.mean(loads):.2f} mean of the 1-minute "
          f"value during the run (this machine has {os.cpu_count()} cores); the load generator used "
          f"{client_cpu:.1f} s CPU ({100 * client_cpu / elapsed:.0f} % of one core)")
    print(f"{'page':<36}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'KB':>8}{'err':>5}")
    for label in sorted(stats.times, key=lambda l: -percentile(stats.times[l], 95)):
        times = stats.times[label]
        print(f"{label:<36}{len(times):>6}{1000 * statistics.median(times):>9.0f}{1000 * percentile(times, 95):>9.0f}"
              f"{1000 * percentile(times, 99):>9.0f}{1000 * max(times):>9.0f}"
              f"{statistics.median(stats.sizes[label]) / 1024:>8.0f}{stats.errors[label]:>5}")
    slow = [label for label in pages if percentile(stats.times[label], 95) >= 0.5]
    print("target (0 errors, every page p95 < 500 ms): " + ("met" if not errors and not slow else
          "missed" + (f" — {errors} errors" if errors else "") + (f" — slow: {', '.join(slow)}" if slow else "")))
    for example in stats.examples:
        print(f"  {example}")


if __name__ == "__main__":
    main()
