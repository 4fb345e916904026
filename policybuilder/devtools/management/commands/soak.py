"""Soak test: simulated people complete the wizard at once against gunicorn; nothing may be lost.

`manage.py soak --users 8 --seconds 30 [--kill-worker]` starts gunicorn (2 workers) on a
throwaway SQLite database on loopback, lets each simulated user complete drafts until the time is
up, optionally kills a worker with SIGKILL a third of the way through, and then compares every
draft in the database with what its user sent.  Bounded in time and count; never part of the
default test suite.  Exit status 1 when any answer was lost or any request failed.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import threading
import time
from http.client import HTTPConnection, HTTPException
from typing import Any
from urllib.parse import urlencode

from django.core.management.base import BaseCommand

from policybuilder.devtools.server import must_match, throwaway_gunicorn
from policybuilder.devtools.wizard_posts import page_post_data
from policybuilder.questionnaire import PAGES_BY_KEY


class _User:
    """One simulated person with their own cookies and connection."""

    def __init__(self, port: int, number: int) -> None:
        self.port = port
        self.number = number
        self.cookie = ""
        self.conn = HTTPConnection("127.0.0.1", port, timeout=30)
        self.sent: dict[str, dict[str, Any]] = {}  # token -> the organization answers sent
        self.errors = 0
        self.retries = 0

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """One request, retried once on a broken connection (a killed worker)."""
        body = urlencode(data, doseq=True) if data else None
        headers = {"Cookie": self.cookie, "Referer": f"http://127.0.0.1:{self.port}/"}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                if cookie := response.getheader("Set-Cookie"):
                    self.cookie = cookie.split(";")[0]
                return response.status, response.getheader("Location") or "", text
            except (OSError, HTTPException):
                self.conn.close()
                self.conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
                self.retries += 1
        raise AssertionError("unreachable")

    def complete_one(self, serial: int) -> None:
        status, _, html = self.request("GET", "/")
        csrf = must_match(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        status, location, _ = self.request("POST", "/new/", {"csrfmiddlewaretoken": csrf})
        if status != 302:
            self.errors += 1
            return
        token = location.split("/d/")[1].split("/")[0]
        organization = {
            "name": f"Soak user {self.number} draft {serial}",
            "website": f"https://u{self.number}-{serial}.example",
            "email": f"u{self.number}.{serial}@example.org",
            "effective_date": "2026-01-01",
        }
        answers = {"organization": organization, "cookies": {"use": random.choice(["yes", "no"])}}
        url = location
        for _ in range(30):
            if "/review/" in url:
                break
            page = PAGES_BY_KEY[url.rstrip("/").split("/")[-1]]
            data = {"csrfmiddlewaretoken": csrf, **page_post_data(page, answers)}
            status, url, _ = self.request("POST", url, data)
            if status != 302:
                self.errors += 1
                return
        self.sent[token] = {"organization": organization, "cookies_use": answers["cookies"]["use"]}


class Command(BaseCommand):
    help = "Concurrent simulated users against gunicorn; checks that no answer is lost."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=8)
        parser.add_argument("--seconds", type=float, default=20.0)
        parser.add_argument(
            "--kill-worker", action="store_true", help="SIGKILL a worker a third of the way in."
        )

    def handle(self, *args, **options):
        with throwaway_gunicorn() as (port, workers, _):
            database = os.environ.get("SOAK_DATABASE") or _database_path(workers)
            users = [_User(port, n) for n in range(options["users"])]
            deadline = time.monotonic() + options["seconds"]

            def run(user: _User) -> None:
                serial = 0
                while time.monotonic() < deadline:
                    serial += 1
                    try:
                        user.complete_one(serial)
                    except (OSError, HTTPException, AttributeError):
                        user.errors += 1

            threads = [threading.Thread(target=run, args=(user,)) for user in users]
            for thread in threads:
                thread.start()
            killed = []
            if options["kill_worker"]:
                time.sleep(options["seconds"] / 3)
                victim = workers()[0]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
            for thread in threads:
                thread.join()
            replaced = bool(killed) and killed[0] not in workers() and len(workers()) == 2
            lost = _lost_answers(database, users)

        sent = sum(len(u.sent) for u in users)
        errors = sum(u.errors for u in users)
        self.stdout.write(f"soak_drafts_completed: {sent} drafts")
        self.stdout.write(f"soak_request_errors: {errors} requests")
        self.stdout.write(f"soak_connection_retries: {sum(u.retries for u in users)} requests")
        self.stdout.write(f"soak_lost_answers: {lost} drafts")
        if options["kill_worker"]:
            self.stdout.write(f"soak_worker_replaced: {'yes' if replaced else 'no'}")
        if errors or lost or (options["kill_worker"] and not replaced):
            raise SystemExit(1)


def _database_path(workers) -> str:
    """The throwaway database gunicorn runs on (``throwaway_gunicorn`` puts it in DATABASE_URL)."""
    pid = workers()[0]
    environ = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
    url = next(item for item in environ if item.startswith(b"DATABASE_URL=")).decode().split("=", 1)[1]
    return url.removeprefix("sqlite:///")


def _lost_answers(database: str, users: list[_User]) -> int:
    """Drafts whose stored answers differ from what their user sent, or that are missing."""

    rows = {
        token: json.loads(answers)
        for token, answers in sqlite3.connect(database).execute("SELECT token, answers FROM drafts_draft")
    }
    lost = 0
    for user in users:
        for token, sent in user.sent.items():
            stored = rows.get(token)
            if (
                stored is None
                or {k: stored["organization"].get(k) for k in sent["organization"]} != sent["organization"]
                or stored.get("cookies", {}).get("use") != sent["cookies_use"]
            ):
                lost += 1
    return lost
