"""Configuration errors are one line naming the variable; a development key can live in .env.

Each test starts a real process (manage.py, the WSGI module, gunicorn) with an
environment built from nothing, so what the developer's shell exports and the
checkout's own .env never leak in: POLICYBUILDER_ENV_FILE points at the file
the test wants, or at one that does not exist.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.examples import ROOT

SMALL_SHOP = "docs/examples/small-shop.json"


def run(command: list[str], env_file: Path, **env: str) -> subprocess.CompletedProcess:
    """``command`` from the project's root with only PATH, the settings module, the env file and ``env``."""
    return subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "policybuilder.settings",
            "POLICYBUILDER_ENV_FILE": str(env_file),
            **env,
        },
        timeout=120,
    )


def manage(*args: str, env_file: Path, **env: str) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], env_file, **env)


def assert_one_line_naming(result: subprocess.CompletedProcess, variable: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error: ") and variable in lines[0], lines[0]


def test_the_readme_command_line_works_with_the_key_make_install_writes(tmp_path):
    """No DEBUG and no SECRET_KEY in the environment: the key comes from the .env file."""
    env_file = tmp_path / ".env"
    env_file.write_text("# written by make install\nSECRET_KEY=" + "k3y-" * 15 + "\nRATELIMIT_LOCAL_ONLY=1\n")
    database = {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    for setup in (["migrate", "-v0"], ["load_library"]):
        result = manage(*setup, env_file=env_file, **database)
        assert result.returncode == 0, result.stderr
    result = manage("buildpolicy", SMALL_SHOP, "--format", "txt", env_file=env_file, **database)
    assert result.returncode == 0, result.stderr
    assert "Juniper & Rye Ceramics" in result.stdout


def test_the_env_file_gives_the_key_and_the_environment_wins_over_it(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("SECRET_KEY=from-the-file\n")
    code = "from django.conf import settings; print(settings.SECRET_KEY)"

    def key(**env: str) -> str:
        result = manage("shell", "-c", code, env_file=env_file, DEBUG="1", **env)
        return result.stdout.strip().splitlines()[-1]  # after the shell's notes on its imports

    assert key() == "from-the-file"
    assert key(SECRET_KEY="from-the-environment") == "from-the-environment"


def test_make_install_writes_a_generated_key_and_local_rate_limits_only(tmp_path):
    """Never DEBUG: a stray .env must not switch a server that sets its own variables to debug."""
    result = subprocess.run(
        ["make", "-s", "-f", str(ROOT / "Makefile"), "-C", str(tmp_path), ".env", f"PYTHON={sys.executable}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    settings = [
        line for line in (tmp_path / ".env").read_text().splitlines() if line and not line.startswith("#")
    ]
    assert len(settings) == 2 and settings[0].startswith("SECRET_KEY="), settings
    assert settings[1] == "RATELIMIT_LOCAL_ONLY=1"
    assert len(settings[0].removeprefix("SECRET_KEY=")) >= 50
    assert (tmp_path / ".env").stat().st_mode & 0o077 == 0  # readable by its owner only


def test_without_any_key_the_command_line_names_secret_key_in_one_line(tmp_path):
    result = manage("buildpolicy", SMALL_SHOP, "--format", "txt", env_file=tmp_path / "missing.env")
    assert_one_line_naming(result, "SECRET_KEY")


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DEBUG", "maybe"), ("DATABASE_URL", "nonsense://db"), ("DRAFT_EXPIRY_DAYS", "soon")],
)
def test_other_configuration_errors_are_one_line_naming_the_variable(tmp_path, variable, value):
    env = {"SECRET_KEY": "x" * 50, variable: value}
    result = manage("check", env_file=tmp_path / "missing.env", **env)
    assert_one_line_naming(result, variable)


def test_tls_and_ssl_for_email_cannot_both_be_on(tmp_path):
    env = {"SECRET_KEY": "x" * 50, "EMAIL_USE_SSL": "1", "EMAIL_USE_TLS": "1"}
    assert_one_line_naming(manage("check", env_file=tmp_path / "missing.env", **env), "EMAIL_USE_SSL")
    # SSL alone turns TLS's default off: no error, and no 500 when the email is sent.
    env = {"SECRET_KEY": "x" * 50, "EMAIL_USE_SSL": "1"}
    assert manage("check", env_file=tmp_path / "missing.env", **env).returncode == 0


def test_the_wsgi_module_names_secret_key_in_one_line(tmp_path):
    result = run([sys.executable, "-c", "import policybuilder.wsgi"], tmp_path / "missing.env")
    assert_one_line_naming(result, "SECRET_KEY")


@pytest.mark.parametrize(
    ("variable", "env"),
    [
        ("SECRET_KEY", {}),
        ("DATABASE_URL", {"SECRET_KEY": "x" * 50, "DATABASE_URL": "nonsense://db"}),
        ("GUNICORN_THREADS", {"SECRET_KEY": "x" * 50, "GUNICORN_THREADS": "many"}),
    ],
)
def test_gunicorn_names_the_variable_in_one_line_and_exits(tmp_path, variable, env):
    command = [sys.executable, "-m", "gunicorn", "-c", "python:policybuilder.gunicorn_conf"]
    result = run([*command, "--bind", "127.0.0.1:0", "policybuilder.wsgi"], tmp_path / "missing.env", **env)
    assert_one_line_naming(result, variable)


def test_gunicorn_refuses_to_serve_without_a_shared_cache_unless_told_one_process_is_meant(tmp_path):
    command = [sys.executable, "-m", "gunicorn", "-c", "python:policybuilder.gunicorn_conf", "--check-config"]
    key = {"SECRET_KEY": "x" * 50}
    result = run([*command, "policybuilder.wsgi"], tmp_path / "missing.env", **key)
    assert_one_line_naming(result, "REDIS_URL")
    allowed = run([*command, "policybuilder.wsgi"], tmp_path / "missing.env", **key, RATELIMIT_LOCAL_ONLY="1")
    assert allowed.returncode == 0, allowed.stderr


def test_check_deploy_reports_a_local_cache_in_production_but_commands_still_run(tmp_path):
    key = {"SECRET_KEY": "x" * 50, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    result = manage("check", "--deploy", env_file=tmp_path / "missing.env", **key)
    assert result.returncode != 0 and "policybuilder.E001" in result.stderr and "REDIS_URL" in result.stderr
    quiet = manage("check", "--deploy", env_file=tmp_path / "missing.env", **key, RATELIMIT_LOCAL_ONLY="1")
    assert "policybuilder.E001" not in quiet.stderr
    # Commands that use no rate limit are not stopped by it.
    schema = manage(
        "answers_schema",
        "--library-file",
        "policybuilder/library/data/library.yaml",
        env_file=tmp_path / "missing.env",
        **key,
    )
    assert schema.returncode == 0, schema.stderr
