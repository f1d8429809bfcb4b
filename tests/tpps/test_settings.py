"""Settings come from the environment; production defaults are safe; the embedded database
starts by itself when DATABASE_URL is unset. Each case runs in a fresh Python process."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.factories import database_url

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3-Vq9!prod-only-" + "x7Rw" * 12,
    "ALLOWED_HOSTS": "stunting.kedirikota.go.id,localhost",
    "CSRF_TRUSTED_ORIGINS": "https://stunting.kedirikota.go.id",
}


# The test process's own configuration must not leak into the processes under test.
NOT_INHERITED = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "TPPS_TEST_DB_NAME"}


def clean_environment() -> dict:
    return {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}


def run_python(code: str, env: dict, timeout: int = 60) -> subprocess.CompletedProcess:
    base = clean_environment()
    base["DJANGO_SETTINGS_MODULE"] = "tpps.settings"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=timeout
    )


SHOW = (
    "import json; from django.conf import settings as s; import django; django.setup();"
    "print(json.dumps({'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'db': s.DATABASES['default']['NAME'],"
    "'ssl': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, 'cookie': s.SESSION_COOKIE_SECURE,"
    "'lang': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE}))"
)


def test_production_settings_from_environment():
    result = run_python(SHOW, {**PRODUCTION, "DATABASE_URL": "postgres://tpps:rahasia@db.example:5432/tpps_prod"})
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown == {
        "debug": False,
        "hosts": ["stunting.kedirikota.go.id", "localhost"],
        "db": "tpps_prod",
        "ssl": True,
        "hsts": 31536000,
        "cookie": True,
        "lang": "id",
        "tz": "Asia/Jakarta",
    }


def test_missing_secret_key_is_refused_in_production():
    result = run_python(SHOW, {"DEBUG": "false", "DATABASE_URL": "postgres://x@h/db"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_invalid_boolean_is_refused():
    result = run_python(SHOW, {"DEBUG": "kadang", "DATABASE_URL": "postgres://x@h/db"})
    assert result.returncode != 0 and "DEBUG must be true or false" in result.stderr


def test_check_deploy_is_clean_with_production_settings(db):
    env = {**PRODUCTION, "DATABASE_URL": database_url()}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean_environment(), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_embedded_postgres_starts_when_database_url_is_unset(tmp_path):
    pgdata = tmp_path / "pgdata"
    code = (
        "import django; django.setup(); from django.db import connection;"
        "c = connection.cursor(); c.execute('select version()'); print(c.fetchone()[0])"
    )
    result = run_python(code, {"DEBUG": "true", "TPPS_PGDATA": str(pgdata)}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("PostgreSQL 18")
    assert (pgdata / "PG_VERSION").exists()
    # The server stops with the last process that used it.
    assert not (pgdata / "postmaster.pid").exists()
