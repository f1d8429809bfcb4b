"""First start: what `make run` does before the first page, timed.

1. On a scratch database of the server in --database-url: `manage.py migrate`, then
   `manage.py demo_data` (its own lines give each app's share), each as a whole process.
2. With --fresh-clone: `git clone` of this repository into a temporary folder and `make run` there
   (its own .venv from the pip cache, the embedded PostgreSQL, migrate, demo data, static files,
   gunicorn), timed until http://127.0.0.1:PORT/masuk/ answers 200; then Ctrl+C. Lines of the run
   are printed with the second they appeared.

Run: .venv/bin/python bench/first_start.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]
                                           [--fresh-clone] [--runs 1]
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = "tpps_bench_first_start"
# Settings the app reads from the environment: not inherited by the fresh clone's `make run`.
NOT_INHERITED = {"DATABASE_URL", "DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS", "TPPS_PGDATA",
                 "DJANGO_SETTINGS_MODULE", "TPPS_TEST_DB_NAME", "MEDIA_ROOT", "VIRTUAL_ENV"}


def timed(command: list[str], env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, result.stdout


def scratch_database(admin_url: str) -> str:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
        connection.execute(f"CREATE DATABASE {SCRATCH}")
    return admin_url.rsplit("/", 1)[0] + "/" + SCRATCH


def drop_scratch(admin_url: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")


def migrate_and_demo(admin_url: str) -> None:
    url = scratch_database(admin_url)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
    python = sys.executable
    try:
        migrate, _ = timed([python, "manage.py", "migrate", "--skip-checks", "-v0"], env)
        print(f"migrate (empty database)   {migrate:6.1f} s")
        demo, output = timed([python, "manage.py", "demo_data", "--skip-checks"], env)
        print(f"demo_data                  {demo:6.1f} s  (whole process; the command's own lines:)")
        for line in output.splitlines():
            if "detik" in line:
                print("    " + line.strip())
    finally:
        drop_scratch(admin_url)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def fresh_clone_make_run(timeout: float = 900) -> None:
    with tempfile.TemporaryDirectory(prefix="tpps-first-start-") as folder:
        clone = Path(folder) / "clone"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
        start = time.perf_counter()
        run = subprocess.Popen(["make", "-s", "run", f"PORT={port}"], cwd=clone, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
        lines = []

        def read():
            for line in run.stdout:
                lines.append((time.perf_counter() - start, line.rstrip()))

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            while not answers(f"http://127.0.0.1:{port}/masuk/"):
                if run.poll() is not None or time.perf_counter() - start > timeout:
                    print("\n".join(text for _, text in lines))
                    sys.exit("make run did not answer")
                time.sleep(0.5)
            first_page = time.perf_counter() - start
        finally:
            os.killpg(run.pid, signal.SIGINT)  # Ctrl+C
            try:
                run.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(run.pid, signal.SIGKILL)
        for second, text in lines:
            if text.strip() and not text.startswith("  "):
                print(f"  {second:6.1f} s  {text[:110]}")
        print(f"fresh clone, make run -> first page  {first_page:6.1f} s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres",
                        help="a server where a scratch database may be created and dropped")
    parser.add_argument("--fresh-clone", action="store_true", help="also time make run on a fresh clone")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    for _ in range(args.runs):
        migrate_and_demo(args.database_url)
        if args.fresh_clone:
            fresh_clone_make_run()


if __name__ == "__main__":
    main()
