"""Settings for Pantau Stunting, read from the environment.

Defaults are safe for production (DEBUG off, secure cookies, HSTS); `make run` and the tests
switch DEBUG on explicitly. Without DATABASE_URL an embedded PostgreSQL is started.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)



def secret_from_file(path: Path) -> str:
    """A secret kept in a file of its own (SECRET_KEY_FILE), made on first use: `make run` keeps a
    generated local key in var/secret_key (ignored by git), so the demo runs with DEBUG off."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and os.environ.get("SECRET_KEY_FILE"):
    SECRET_KEY = secret_from_file(Path(os.environ["SECRET_KEY_FILE"]))
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.forms",  # the form renderer (tpps.forms.Renderer) finds Django's own widget templates
    "tpps.admin_site.TppsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "pgtrigger",
    "pghistory",
    "django_tasks",
    "django_tasks_db",
    "tpps",
    "balita",
    "konvergensi",
    "genting",
    "rekomendasi",
    "laporan",
    "kasus",
    "panduan",
    "sasaran",
    "ibuhamil",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy, and no-store for logged-in users; a NUL byte in a parameter is
    # answered 400 here, before any view passes it to PostgreSQL (tpps/middleware.py).
    "tpps.middleware.SecurityHeadersMiddleware",
    "tpps.middleware.RejectNulBytesMiddleware",
    # Before anything that queries: every statement of a request is bounded (see tpps/middleware.py).
    "tpps.middleware.StatementTimeoutMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a login unless marked @login_not_required: new views cannot forget it.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tpps.urls"
# One form style: every field drawn by templates/tpps/forms/field.html (tpps.forms.Renderer).
FORM_RENDERER = "tpps.forms.Renderer"
WSGI_APPLICATION = "tpps.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tpps.context_processors.access",
                "panduan.context_processors.help_link",
            ],
            "builtins": ["tpps.templatetags.tpps_format", "template_partials.templatetags.partials"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# The embedded server's data folder, or None with a DATABASE_URL (`manage.py jalankan` owns it).
EMBEDDED_PGDATA = None if DATABASE_URL else Path(os.environ.get("TPPS_PGDATA", BASE_DIR / "var" / "pgdata"))
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    from tpps.embedded_db import database_settings

    DATABASES = {"default": database_settings(EMBEDDED_PGDATA)}
# A kept connection is checked before each request (and each worker loop) reuses it: after the
# database restarted, the first request reconnects instead of failing with a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Every SQL statement of a web request stops after this many milliseconds (0: no limit); the
# background worker and management commands are not limited. Below gunicorn's --timeout.
REQUEST_STATEMENT_TIMEOUT_MS = int(os.environ.get("REQUEST_STATEMENT_TIMEOUT_MS", 30_000))
if os.environ.get("TPPS_TEST_DB_NAME"):
    # Lets several test runs share one server without dropping each other's test database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TPPS_TEST_DB_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "tpps.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "tpps.access.AdminRoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after a working day and when the browser closes (shared office computers).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 60 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: five wrong passwords for one user from one address lock them out for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And twenty failures from one address, whatever the usernames, refuse that address for the same
# 15 minutes (tpps.views.LoginView): an office behind one address still has room for typos.
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", 20))
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# --- Language and formats -------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["tpps.formats"]

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Browser libraries are vendored in static/vendor/ (plotly.js's partial bundle; see its README): no
# CDN, works offline. Outside DEBUG, names carry a content hash and WhiteNoise serves them gzip or
# brotli with `max-age=315360000, immutable` (an unhashed name, which no page links: 60 s).
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded files are private (evidence, receipts): they are served only by views that check access.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", 20))
# Tata laksana gizi (kasus/rules.py): days to a case's next due measurement, and days without one
# after which an open case counts as "tidak terukur ulang".
KASUS_INTERVAL_HARI = int(os.environ.get("KASUS_INTERVAL_HARI", 30))
KASUS_TIDAK_TERUKUR_HARI = int(os.environ.get("KASUS_TIDAK_TERUKUR_HARI", 90))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Background tasks (django-tasks with its database backend; `manage.py db_worker`) --------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A running job writes a heartbeat every sixth of this; one silent for longer lost its worker and is
# failed (tpps.jobs.fail_stale, run by `manage.py jalankan_pekerja` and by the job pages).
JOB_LEASE_SECONDS = float(os.environ.get("JOB_LEASE_SECONDS", 60))
# A job running longer than this is failed by its own watchdog (a process can hang while alive and
# keep beating); in the background worker (JOB_WATCHDOG_EXIT, set by `jalankan_pekerja`) the hung
# process is then killed and started again. A city-wide import takes well under a minute.
JOB_MAX_SECONDS = float(os.environ.get("JOB_MAX_SECONDS", 1800))
JOB_WATCHDOG_EXIT = env_bool("JOB_WATCHDOG_EXIT", False)

# --- Security ---------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", not DEBUG) else None
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
