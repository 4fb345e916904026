"""Shared fixtures: the shipped library (as a file snapshot and in the database) and answers."""

from __future__ import annotations

import copy
import os
import time
from typing import Any

import pytest

from policybuilder.answers import Answers, validate_answers
from policybuilder.chromium import CHROMIUM_ARGS
from policybuilder.clause_library import Library, read_library_file

# Playwright runs an event loop in the test thread; the live server's database
# access from that thread is what this flag allows (see RECIPES.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate-limit counts and cached PDFs never leak between tests."""
    from django.core.cache import caches

    caches["default"].clear()
    caches["renders"].clear()
    yield


@pytest.fixture(autouse=True)
def _rate_limit_clock_stands_still(monkeypatch):
    """Rate-limit windows do not roll over during a test.

    django-ratelimit counts in fixed windows (a minute for "1/m"); a slow first PDF render on a busy CI
    machine could straddle a window's end, and the second request would then be allowed: a flaky test
    that says nothing about the limit. The limits themselves are untouched.
    """
    import types

    import django_ratelimit.core

    frozen = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: frozen))


@pytest.fixture(scope="session")
def library() -> Library:
    return read_library_file()


@pytest.fixture(scope="session")
def catalogue(library: Library) -> dict[str, tuple[str, ...]]:
    return library.catalogue_keys()


@pytest.fixture
def db_library(db):
    """The shipped library loaded into the test database."""
    from policybuilder.library.services import sync_library

    sync_library(read_library_file())


@pytest.fixture
def minimal_raw() -> dict[str, Any]:
    return {
        "organization": {
            "name": "Acme Widgets",
            "website": "https://acme.example",
            "email": "privacy@acme.example",
            "effective_date": "2026-05-01",
        }
    }


def _raw_answers(sections: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The minimal answers (a dated policy from Acme Widgets) with each section's overrides."""
    raw: dict[str, Any] = {
        "organization": {
            "name": "Acme Widgets",
            "website": "https://acme.example",
            "email": "privacy@acme.example",
            "effective_date": "2026-05-01",
        }
    }
    for key, values in sections.items():
        raw.setdefault(key, {}).update(copy.deepcopy(values))
    return raw


@pytest.fixture
def make_answers(catalogue):
    """Validate raw answers built from the minimal set plus overrides per section."""

    def make(**sections: dict[str, Any]) -> Answers:
        return validate_answers(_raw_answers(sections), catalogue_keys=catalogue)

    return make


@pytest.fixture
def make_rule_answers(catalogue):
    """Like ``make_answers``, for cases about one rule: answers the case does not care about are
    filled in (what sensitive information is used for and on which GDPR condition, who buys what is
    sold) and answers that
    do not apply are dropped, as the wizard drops them, so each case states only its situation."""

    def make(**sections: dict[str, Any]) -> Answers:
        raw = _raw_answers(sections)
        if raw.get("collection", {}).get("sensitive_data"):
            raw["collection"].setdefault("sensitive_uses", ["provide_services"])
            raw.setdefault("gdpr", {}).setdefault("special_conditions", ["explicit_consent"])
        if raw.get("sharing", {}).get("sells_personal_data"):
            raw.setdefault("us_privacy", {}).setdefault("buyers", "data brokers, for marketing lists")
        return validate_answers(raw, catalogue_keys=catalogue, strict_applicability=False)

    return make


def pytest_report_header(config):
    """Say which database the suite runs on, so CI logs show both runs."""
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"


# --- Browser tests (Playwright driving Debian's Chromium) -------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def loaded_library(transactional_db):
    from policybuilder.clause_library import read_library_file
    from policybuilder.library.services import sync_library

    sync_library(read_library_file())


@pytest.fixture
def requests_seen(page):
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


@pytest.fixture
def console_errors(page):
    """Errors the browser reported (a Content-Security-Policy violation among them)."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors
