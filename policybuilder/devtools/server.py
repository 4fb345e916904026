"""A throwaway gunicorn server for the benchmark and the soak test (shared by both)."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from django.conf import settings

# How `make run` starts the task worker: polling the queue every 0.2 s when idle (one indexed
# query), so a PDF queued when the review opens is rendered before a person can click it.
TASK_WORKER_ARGS = ("--no-reload", "--interval", "0.2")


class Serving(NamedTuple):
    port: int
    workers: Callable[[], list[int]]  # the web worker processes' ids, as they are now
    task_worker: int | None  # the task worker's process id, when one was asked for


def free_port() -> int:
    """A port nobody listens on now, so two runs on one machine never collide."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def throwaway_gunicorn(*, task_worker: bool = False) -> Iterator[Serving]:
    """gunicorn with 2 workers on a throwaway SQLite database, production settings, loopback only.

    Production settings (DEBUG off), so what is measured is what a deployment runs (the soak test
    kills a web worker). With ``task_worker``, the task worker runs beside it as ``make run`` starts
    it: PDFs rendered ahead land in the render cache the web workers read.
    """
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-" + "k" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "policybuilder.settings",
            "RATELIMIT_DRAFT_CREATE": "100000/h",
            "RATELIMIT_PDF": "100000/h",
            "RATELIMIT_PUBLISH": "100000/h",
            "RATELIMIT_UPLOAD": "100000/h",
            "RENDER_CACHE_DIR": f"{tmp}/renders",
            "RATELIMIT_LOCAL_ONLY": "1",  # one throwaway machine; the limits are out of the way anyway
        }
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        subprocess.run([*manage, "load_library"], env=env, check=True, stdout=subprocess.DEVNULL)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:policybuilder.gunicorn_conf",
             "--bind", f"127.0.0.1:{port}", "--workers", "2", "--no-control-socket", "policybuilder.wsgi"],
            env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

        def workers() -> list[int]:
            children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
            return [int(pid) for pid in children]

        worker = (
            subprocess.Popen(
                [*manage, "db_worker", *TASK_WORKER_ARGS],
                env=env,
                cwd=settings.BASE_DIR,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            if task_worker
            else None
        )
        try:
            _wait_until_serving(port, workers, expected=2)
            yield Serving(port, workers, worker.pid if worker else None)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=20)
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:  # a worker stuck in a request: never leave it running
                server.kill()
                server.wait(timeout=20)


def _wait_until_serving(port: int, workers: Callable[[], list[int]], *, expected: int) -> None:
    """Until every worker is forked and one answers ``/healthz/live/``.

    The master listens before it has forked its workers (it warms templates first), so an open
    port alone does not mean that the workers the soak test looks for exist yet.
    """
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(workers()) == expected:
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz/live/")
                if conn.getresponse().status == 200:
                    return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not start {expected} workers on port {port} within 60 s")


def must_match(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    """``re.search`` for output we depend on: a clear error, not ``None``, when it is missing."""
    match = re.search(pattern, text, flags)
    if match is None:
        raise RuntimeError(f"expected {pattern!r} in the output, which was: {text[:500]!r}")
    return match
