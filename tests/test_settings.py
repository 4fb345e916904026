"""Settings come from the environment and are safe by default."""

import subprocess
import sys

from tests.support.examples import ROOT


def manage(*args, **env):
    # No .env either: `make install` writes one with a development key into the checkout.
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "policybuilder.settings",
        "POLICYBUILDER_ENV_FILE": str(ROOT / "var" / "no-such.env"),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**base, **env},
        timeout=120,
    )


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_development_key_only_with_debug():
    assert manage("check", DEBUG="1").returncode == 0


def test_production_settings_pass_check_deploy(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x" * 20 + "-production-secret-key-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="policies.example.com",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        REDIS_URL="redis://cache.example:6379/0",  # production shares its rate limits (no connection is made)
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_bad_boolean_in_the_environment_is_named():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0 and "DEBUG must be a boolean" in result.stderr


def test_database_url_selects_postgresql():
    code = (
        "import os; os.environ['DATABASE_URL']='postgres://u:p@db.example:5432/policies';"
        "os.environ['DEBUG']='1';"
        "from policybuilder import settings; print(settings.DATABASES['default']['ENGINE'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_developer_tools_exist_only_with_debug():
    production = manage("help", DEBUG="0", SECRET_KEY="x" * 50)
    assert production.returncode == 0, production.stderr
    assert "bench" not in production.stdout and "soak" not in production.stdout
    development = manage("help", DEBUG="1")
    assert (
        "[devtools]" in development.stdout and "bench" in development.stdout and "soak" in development.stdout
    )
