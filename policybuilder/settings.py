"""Settings, read from the environment in this one module.

Everything a deployment changes is an environment variable (see README,
"Configuration").  The defaults are for a developer's machine: SQLite in
``var/``, and a development secret key that is refused when DEBUG is off.
Every mistake in the environment raises ``ImproperlyConfigured`` with a
message naming the variable; ``manage.py``, ``wsgi.py`` and gunicorn turn it
into one line and exit status 1.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# `make install` writes a development SECRET_KEY (and nothing else, never DEBUG) to a git-ignored
# .env, so the README's commands work on a developer's machine without exporting anything.
# Variables set in the real environment always win over the file.
ENV_FILE = Path(os.environ.get("POLICYBUILDER_ENV_FILE") or BASE_DIR / ".env")
load_dotenv(ENV_FILE, override=False)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_database(name: str, default: str) -> dict[str, Any]:
    """The database from a URL variable; a URL dj-database-url cannot read is named, not traced."""
    url = os.environ.get(name) or default
    try:
        return dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as exc:  # UnknownSchemeError and ParseError are ValueErrors
        raise ImproperlyConfigured(f"{name} is not a database URL Policy Builder can use: {exc}") from None


DEBUG = env_bool("DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment for production; on your own machine "
            "`make install` writes a development key to .env (or set DEBUG=1)."
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "django_ratelimit",
    "policybuilder.apps.PolicyBuilderConfig",
    "policybuilder.library.apps.LibraryConfig",
    "policybuilder.drafts.apps.DraftsConfig",
    "policybuilder.publishing.apps.PublishingConfig",
    "policybuilder.scans.apps.ScansConfig",
    "django_tasks",
    "django_tasks_db",
]
if DEBUG:
    # Developer tools (`manage.py bench`, `manage.py soak`): a production server has no such commands.
    INSTALLED_APPS.append("policybuilder.devtools.apps.DevtoolsConfig")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Refuses an oversized body by its declared length, before anything reads it.
    "policybuilder.middleware.RequestSizeMiddleware",
    # Static files with compressed, hashed names, straight from the app server (WhiteNoise).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "policybuilder.middleware.AdminStyleAttributesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who changed the clause library (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a rate limit into a friendly 429 page (django-ratelimit).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Turns a clause library that fails to assemble into a friendly 503 page.
    "policybuilder.middleware.LibraryErrorMiddleware",
    # Throttles failed logins (django-axes); last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After 5 failed logins for one user name from one address, that pair is locked out for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False

ROOT_URLCONF = "policybuilder.urls"
WSGI_APPLICATION = "policybuilder.wsgi.application"

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
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
DATABASES = {"default": env_database("DATABASE_URL", _default_sqlite)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Concurrent saves from several workers: take the write lock when a transaction starts (so
    # waiting replaces "database is locked" errors), and let readers go on while one writes (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# After `collectstatic` (production), serve hashed, compressed copies; before it (development, tests),
# serve the files as they are.
_MANIFESTED = (Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles")) / "staticfiles.json").exists()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _MANIFESTED and not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap, installed from the npm registry by `make install` (package-lock.json), served by us.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Before `collectstatic`, WhiteNoise serves straight from the source folders.
WHITENOISE_USE_FINDERS = not _MANIFESTED

# Drafts untouched for this many days stop opening and are deleted by `purge_drafts`.
DRAFT_EXPIRY_DAYS = env_int("DRAFT_EXPIRY_DAYS", 90)

# The site scan (policybuilder/scanner.py). Loopback addresses are refused unless
# SCAN_ALLOW_LOOPBACK=1, for tests and local development only: `check --deploy` refuses it.
SCAN_ALLOW_LOOPBACK = env_bool("SCAN_ALLOW_LOOPBACK", default=False)
SCAN_PAGES = env_int("SCAN_PAGES", 10)  # pages per scan, the home page included
SCAN_SECONDS = env_int("SCAN_SECONDS", 60)  # a whole scan
SCAN_PER_SITE_PER_HOUR = env_int("SCAN_PER_SITE_PER_HOUR", 6)  # scans of one host, by anyone
SCAN_WORKER_GRACE_SECONDS = env_int("SCAN_WORKER_GRACE_SECONDS", 15)  # queued this long: say no worker runs
SCAN_CHROMIUM = os.environ.get("SCAN_CHROMIUM", "")  # default: Debian's chromium on the PATH
# Host names the scanner must never visit besides ALLOWED_HOSTS (the app's own names).
SCAN_FORBIDDEN_HOSTS = env_list("SCAN_FORBIDDEN_HOSTS", "")

# Background work (site scans, PDF pre-renders): django-tasks with its database backend, so the
# queue needs no server of its own. `manage.py db_worker` runs the jobs; `make run` starts it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content-Security-Policy: only our own scripts, styles, images and fonts; no inline script, no
# framing (the embed page of a published policy alone relaxes frame-ancestors).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap draws checkboxes and icons with data: SVGs
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}

# Limits on what a request may carry; each has a clear message where people meet it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # form posts
FILE_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400

# Cache: local memory on one machine; Redis when REDIS_URL is set, so several app servers share
# rate limits and rendered PDFs.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "TIMEOUT": 3600}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": 3600}
    ),
    # Rendered policies (PDFs above all): shared by the web server and the task worker, which
    # renders a draft's PDF ahead of its download. Files on one machine, Redis across several.
    "renders": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "TIMEOUT": 86400}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("RENDER_CACHE_DIR", str(BASE_DIR / "var" / "cache" / "renders")),
            "TIMEOUT": 86400,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    ),
}
# Per client address: starting drafts, opening drafts by link, uploading answers files, rendering PDFs.
RATELIMITS = {
    "draft_create": os.environ.get("RATELIMIT_DRAFT_CREATE", "30/h"),
    "continue": os.environ.get("RATELIMIT_CONTINUE", "60/h"),
    "upload": os.environ.get("RATELIMIT_UPLOAD", "30/h"),
    "pdf": os.environ.get("RATELIMIT_PDF", "60/h"),
    "publish": os.environ.get("RATELIMIT_PUBLISH", "20/h"),
    "scan": os.environ.get("RATELIMIT_SCAN", "10/h"),
    "email_link": os.environ.get("RATELIMIT_EMAIL_LINK", "5/h"),
}

# Email, for "Email me this link" when someone saves to continue later: SMTP once EMAIL_HOST names
# a server. Without one, development prints the email on the console, and production does not
# offer the button at all (a console would put draft links in the server's output).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_LINKS = bool(EMAIL_HOST or os.environ.get("EMAIL_BACKEND") or DEBUG)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on: choose one.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Policy Builder <no-reply@localhost>")
RATELIMIT_VIEW = "policybuilder.views.rate_limited"
# The client's address through our own proxies (see policybuilder/clients.py): for the rate limits
# and for django-axes alike. 0 ignores X-Forwarded-For, which a client can write.
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)
RATELIMIT_IP_META_KEY = "policybuilder.clients.client_ip"
AXES_CLIENT_IP_CALLABLE = "policybuilder.clients.client_ip"
# Local memory is per process: with several workers each counts on its own, and a limit of 30 lets
# through 30 per worker. Without Redis the server refuses to start (django-ratelimit's own check,
# and policybuilder.startup for gunicorn) unless RATELIMIT_LOCAL_ONLY=1 says one process is meant
# (development, where `make install` writes it to .env).
RATELIMIT_LOCAL_ONLY = env_bool("RATELIMIT_LOCAL_ONLY", default=DEBUG)
# django-ratelimit's own checks run for every command, so its E003 ("not a shared cache") would stop
# buildpolicy, migrate and the daily purge, which use no rate limit. policybuilder.checks reports the
# same problem where it matters: `check --deploy`, and gunicorn or WSGI refuse to start with it
# (policybuilder.startup). Its W001 ("not officially supported") names Django's own RedisCache,
# whose incr is atomic (Redis INCRBY), which is all the limits need.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]

# Production hardening: on whenever DEBUG is off, so `check --deploy` is clean.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

# Every handler masks draft tokens (a draft's only key) in what it writes: Django logs "Not Found:
# /d/<token>/…" and runserver logs every request line. Django's own loggers are pointed at these
# handlers, instead of the unmasked ones (and the admin e-mails) of its default configuration.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_tokens": {"()": "policybuilder.log_masking.MaskTokens"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_tokens"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},  # to the root's handler
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # WeasyPrint reports every layout step at INFO; keep its warnings only.
        "weasyprint.progress": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
