"""gunicorn settings for production: `gunicorn -c python:policybuilder.gunicorn_conf policybuilder.wsgi`.

Everything can be overridden on the command line or with GUNICORN_CMD_ARGS.
The Django settings are read here, when gunicorn reads this file and before it
forks anything, so a configuration error (a missing SECRET_KEY, a bad
DATABASE_URL, GUNICORN_THREADS=many) is one line and exit status 1, whether or
not the app is preloaded, rather than a traceback or workers that fail to boot
over and over. (A WEB_CONCURRENCY that is not a number is gunicorn's own to
report: it reads that variable before it reads this file.)
"""

import gc
import logging
import multiprocessing
import os

from django.core.exceptions import ImproperlyConfigured
from gunicorn.glogging import Logger

from policybuilder.log_masking import MaskTokens, mask_tokens
from policybuilder.startup import check_serving_or_exit, exit_for_configuration_error


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        exit_for_configuration_error(ImproperlyConfigured(f"{name} must be a whole number, not {value!r}"))


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policybuilder.settings")

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = _env_int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
# Threads, so that a client sending its request slowly holds one thread, not a whole worker (with
# sync workers four slow uploads made /healthz/live/ wait 25 s). A buffering proxy in front (nginx
# buffers request bodies by default) is still the real defence: see the README.
worker_class = "gthread"
threads = _env_int("GUNICORN_THREADS", 4)
# What one request may carry before Django sees it; bodies are capped by RequestSizeMiddleware.
limit_request_line = 4096
limit_request_fields = 50
limit_request_field_size = 8190
check_serving_or_exit()
timeout = 60  # a large PDF takes about a second; anything near a minute is stuck
graceful_timeout = 30
max_requests = 5000  # recycle workers now and then, so a slow leak can never grow without bound
max_requests_jitter = 500
# Load Django once in the master and fork workers from it: a recycled or
# killed worker is serving again in milliseconds instead of the second or so
# an import of Django and the app takes (which showed as 1 s p99 latency
# spikes under load). Nothing touches the database at import time, so no
# connection is shared between processes. Code changes need a restart, not HUP.
preload_app = True


_warmed = False


def _warm_up() -> None:
    """Do once in the master what every worker would otherwise do on its first requests."""
    from django.db import connections  # noqa: PLC0415
    from django.template.loader import get_template  # noqa: PLC0415
    from django.urls import get_resolver  # noqa: PLC0415

    from policybuilder.library.warming import warm_library  # noqa: PLC0415

    get_resolver().url_patterns  # noqa: B018  (imports the URLconf and every view module)
    for name in ("home.html", "drafts/step.html", "drafts/review.html", "policy/fragment.html"):
        get_template(name)  # compiled once, kept by the cached template loader
    try:
        warm_library()  # the clause library read, its templates compiled
    except Exception:  # never keep the workers from starting: they prepare it themselves
        logging.getLogger(__name__).exception("The clause library could not be prepared")
    connections.close_all()  # a database connection must never be shared by forked processes


def pre_fork(server, worker):
    global _warmed
    if not _warmed:
        _warm_up()
        _warmed = True
    # Objects loaded so far live as long as the process: keep them out of the
    # garbage collector's scans, and keep their pages shared with the master.
    gc.freeze()


class MaskingLogger(Logger):
    """gunicorn's logger, writing no draft token: not in a path, a query string, a referer or an error."""

    def setup(self, cfg):
        super().setup(cfg)
        if not any(isinstance(existing, MaskTokens) for existing in self.error_log.filters):
            self.error_log.addFilter(MaskTokens())  # "Error handling request /d/<token>/…"

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # Every atom, so a format that adds %(f)s, {referer}i or {raw_uri}e cannot bring a token back.
        return {name: mask_tokens(v) if isinstance(v, str) else v for name, v in atoms.items()}


logger_class = MaskingLogger
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
access_log_format = '{"remote":"%(h)s","request":"%(r)s","status":%(s)s,"bytes":%(B)s,"ms":%(M)s}'
