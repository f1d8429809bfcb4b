"""Shared fixtures: one user per role plus an outsider, and Playwright on Debian's Chromium."""

import json
import os
import threading

import pytest
from django.db import connections

from tests.factories import ROLE_USERS, make_user

# Playwright's sync API runs an event loop in the test thread; live_server views are sync code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Django keeps connections in asgiref's thread-critical Local, which switches to per-context
# storage while an event loop runs in the thread. Once Playwright's (session-wide) loop runs in
# the main thread, test code would get a second `default` connection object that lacks the
# data `serialized_rollback` restores, and transactional tests after the first browser test
# would start from an empty database. Plain thread-local storage keeps one connection object
# per thread, as in production's sync workers.
connections._connections = threading.local()

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The snapshot that `serialized_rollback` reloads leaves out the audit trail's index lines:
    reloading the events and reads fires the triggers that write them again (tpps.audit), and
    loading both would store every line twice."""
    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            rows = [row for row in json.loads(contents) if row["model"] != "tpps.jejakaudit"]
            connection._test_serialized_contents = json.dumps(rows)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing costs ~0.3 s a user; the suite creates hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(db):
    """{role key: User}: admin, operator, opd (Dinkes), wilayah (Puskesmas Pesantren I),
    pimpinan, outsider (logged in, no assignment)."""
    return {key: make_user(username, *assignments) for key, (username, assignments) in ROLE_USERS.items()}


@pytest.fixture
def client_for(client):
    """client_for(user) -> the test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page
