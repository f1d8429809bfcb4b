"""`make run` runs as in production: DEBUG off with a generated local key, Indonesian error pages,
static files by WhiteNoise, and Ctrl+C stops the web server, the worker and the embedded PostgreSQL."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest
from django.test import Client

from tests.tpps.test_settings import clean_environment, run_python

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def pg_parent():
    """A folder for the embedded PostgreSQL outside pytest's temporary root: the server runs as
    another system user that must traverse the path, and any other pytest session starting on the
    machine makes /tmp/pytest-of-<user> private again (0700) under its feet."""
    folder = Path(tempfile.mkdtemp(prefix="tpps-make-run-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_make_run_serves_like_production_and_stops_everything_on_ctrl_c(tmp_path, pg_parent):
    port = free_port()
    pgdata = pg_parent / "pgdata"
    env = {**clean_environment(), "TPPS_PGDATA": str(pgdata), "MEDIA_ROOT": str(tmp_path / "media")}
    # Its own process group, as a terminal's foreground job: Ctrl+C goes to make and its command.
    run = subprocess.Popen(["make", "-s", "run", f"PORT={port}", "RUN_ARGS=--tanpa-demo",
                            f"SECRET_KEY_FILE={tmp_path / 'secret_key'}"], cwd=ROOT, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 400  # a fresh database is migrated first
        while True:
            assert run.poll() is None, run.stdout.read()
            try:
                status, page = fetch(f"http://127.0.0.1:{port}/masuk/")
                if status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "make run did not answer"
            time.sleep(1)
        assert "Masuk" in page and 'name="csrfmiddlewaretoken"' in page
        assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
        # DEBUG off: an unknown page is our Indonesian 404, not Django's list of URL patterns.
        status, missing = fetch(f"http://127.0.0.1:{port}/tidak-ada/")
        assert status in (302, 404) or "URLconf" not in missing
        status, missing = fetch(f"http://127.0.0.1:{port}/masuk/tidak-ada/")
        assert "URLconf" not in missing and "Traceback" not in missing
        # Static files come from WhiteNoise, with hashed names (the manifest storage of production).
        css = next(part.split('"')[0] for part in page.split('href="/static/')[1:] if part.split('"')[0].endswith(".css"))
        assert len(css.split(".")) >= 3, css  # e.g. css/app.9e2d97af0806.css
        status, _ = fetch(f"http://127.0.0.1:{port}/static/{css}")
        assert status == 200
        # ... compressed, and kept by the browser for years (the name changes with the content).
        request = urllib.request.Request(f"http://127.0.0.1:{port}/static/{css}", headers={"Accept-Encoding": "br"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.headers["Content-Encoding"] == "br"
            assert "max-age=315360000" in response.headers["Cache-Control"]
            assert "immutable" in response.headers["Cache-Control"]

        supervisor = psutil.Process(run.pid)
        processes = [p for p in supervisor.children(recursive=True)]
        postmaster = psutil.Process(int((pgdata / "postmaster.pid").read_text().split()[0]))
        names = " ".join(" ".join(p.cmdline()) for p in processes)
        assert "gunicorn" in names and "jalankan_pekerja" in names and "db_worker" in names

        os.killpg(run.pid, signal.SIGINT)  # Ctrl+C
        output = run.communicate(timeout=30)[0]
        gone_by = time.monotonic() + 10
        while time.monotonic() < gone_by and any(_alive(p) for p in [*processes, postmaster]):
            time.sleep(0.2)
        assert not [p for p in [*processes, postmaster] if _alive(p)], output
        assert not (pgdata / "postmaster.pid").exists()
        assert "Pantau Stunting berhenti." in output
        assert "Segmentation fault" not in output and "Traceback" not in output, output
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)


def _alive(process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_a_generated_secret_key_is_kept_in_its_file(tmp_path):
    key_file = tmp_path / "var" / "secret_key"
    show = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    env = {"DEBUG": "false", "SECRET_KEY_FILE": str(key_file), "DATABASE_URL": "postgres://x@h/db"}
    first, second = run_python(show, env), run_python(show, env)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip().splitlines()[-1]
    assert len(key) >= 50 and key == second.stdout.strip().splitlines()[-1] == key_file.read_text()
    assert key_file.stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db
def test_error_pages_are_indonesian_with_debug_off(settings, users):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client(raise_request_exception=False)
    client.force_login(users["operator"])
    missing = client.get("/tidak-ada/")
    assert missing.status_code == 404 and "Halaman tidak ditemukan" in missing.content.decode()
    refused = client.get("/kelola/")
    assert refused.status_code in (302, 403) and "Traceback" not in refused.content.decode()
    bad_host = client.get("/masuk/", HTTP_HOST="penyusup.example")
    assert bad_host.status_code == 400 and "Permintaan tidak dapat diproses" in bad_host.content.decode()
    csrf = Client(enforce_csrf_checks=True).post("/masuk/", {"username": "x", "password": "y"})
    assert csrf.status_code == 403 and "Formulir tidak dapat dikirim" in csrf.content.decode()
