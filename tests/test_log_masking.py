"""No draft token reaches a log: gunicorn's access and error logs, Django's request and server logs."""

from __future__ import annotations

import datetime as dt
import io
import logging
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from policybuilder import gunicorn_conf
from policybuilder.drafts.services import create_draft
from policybuilder.log_masking import mask_tokens

TOKEN = "Zx9_secretTOKEN-0123456789abcdefghijklmnopq"  # the shape of secrets.token_urlsafe(32)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "GET /d/TOKEN/step/cookies/?return=review HTTP/1.1",
            "GET /d/…/step/cookies/?return=review HTTP/1.1",
        ),
        ("Not Found: /d/TOKEN/download.pdf", "Not Found: /d/…/download.pdf"),
        ("/d/TOKEN", "/d/…"),
        ("https://policies.example/d/TOKEN/review/", "https://policies.example/d/…/review/"),
        ("/continue/?link=https%3A%2F%2Fpolicies.example%2Fd%2FTOKEN%2F&x=1", "/continue/?link=…&x=1"),
        ("x=1&LINK=TOKEN", "x=1&LINK=…"),
        ("q=https%3A%2F%2Fh%2Fd%2FTOKEN%2Freview", "q=https%3A%2F%2Fh%2Fd%2F…%2Freview"),
        ("GET /policies/pub-id/embed/ HTTP/1.1", "GET /policies/pub-id/embed/ HTTP/1.1"),
        ("GET /static/css/app.css?email_link=a HTTP/1.1", "GET /static/css/app.css?email_link=a HTTP/1.1"),
    ],
)
def test_mask_tokens_hides_the_token_and_nothing_else(text, masked):
    assert mask_tokens(text.replace("TOKEN", TOKEN)) == masked


def _gunicorn_logger(**settings) -> tuple[gunicorn_conf.MaskingLogger, io.StringIO, io.StringIO]:
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("errorlog", "-")
    cfg.set("access_log_format", gunicorn_conf.access_log_format)
    for name, value in settings.items():
        cfg.set(name, value)
    logger = gunicorn_conf.MaskingLogger(cfg)
    access, error = io.StringIO(), io.StringIO()
    for log, stream in ((logger.access_log, access), (logger.error_log, error)):
        # gunicorn's own handler (pytest adds its capturing handlers beside it).
        next(h for h in log.handlers if getattr(h, "_gunicorn", False)).setStream(stream)  # type: ignore[attr-defined]
    return logger, access, error


def _environ(path: str, query: str = "") -> dict[str, str]:
    return {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path + (f"?{query}" if query else ""),
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": f"https://policies.example/d/{TOKEN}/review/",
        "HTTP_USER_AGENT": "Firefox",
    }


def test_gunicorn_is_configured_with_the_masking_logger():
    assert gunicorn_conf.logger_class is gunicorn_conf.MaskingLogger


def test_gunicorn_access_log_masks_the_path_query_and_referer():
    # Every atom that can carry the request's address, in one format.
    fmt = '%(h)s "%(r)s" %(s)s "%(U)s" "%(q)s" "%(f)s" "%({referer}i)s" "%({raw_uri}e)s" %(a)s'
    logger, access, _ = _gunicorn_logger(access_log_format=fmt)
    response = SimpleNamespace(status="404 Not Found", sent=179, headers=[("Content-Type", "text/html")])
    request = SimpleNamespace(headers=[("REFERER", f"https://policies.example/d/{TOKEN}/review/")])
    environ = _environ(f"/d/{TOKEN}/step/cookies/", f"link={TOKEN}")
    logger.access(response, request, environ, dt.timedelta(milliseconds=12))
    line = access.getvalue()
    assert TOKEN not in line
    assert '"GET /d/…/step/cookies/?link=… HTTP/1.1" 404 "/d/…/step/cookies/" "link=…"' in line
    assert line.count("https://policies.example/d/…/review/") == 2 and "Firefox" in line


def test_gunicorn_access_log_in_the_configured_format_is_masked():
    logger, access, _ = _gunicorn_logger()
    response = SimpleNamespace(status="200 OK", sent=5120, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), _environ(f"/d/{TOKEN}/review/"), dt.timedelta(0, 1))
    assert access.getvalue().startswith(
        '{"remote":"203.0.113.9","request":"GET /d/…/review/ HTTP/1.1","status":200'
    )


def test_gunicorn_error_log_masks_the_token():
    logger, _, error = _gunicorn_logger()
    logger.error("Error handling request %s", f"/d/{TOKEN}/review/")
    try:
        raise ValueError(f"no draft /d/{TOKEN}/")
    except ValueError:
        logger.exception("Error handling request %s", f"/d/{TOKEN}/saved/")
    log = error.getvalue()
    assert TOKEN not in log
    assert "Error handling request /d/…/review/" in log and "ValueError: no draft /d/…/" in log
    _gunicorn_logger()  # set up again (a reload): still one filter
    assert len(logging.getLogger("gunicorn.error").filters) == 1


@contextmanager
def _handler_output(logger_name: str, handler_name: str):
    """What the configured handler ``handler_name`` of ``logger_name`` writes, while the block runs."""
    handler = next(h for h in logging.getLogger(logger_name).handlers if h.name == handler_name)
    stream = io.StringIO()
    previous = handler.setStream(stream)  # type: ignore[attr-defined]
    try:
        yield stream
    finally:
        handler.setStream(previous)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_404_on_a_draft_address_is_logged_without_the_token(client):
    draft = create_draft()
    with _handler_output("", "console") as log:
        assert client.get(f"/d/{TOKEN}/step/cookies/").status_code == 404
        assert client.get(f"/d/{draft.token}/download.exe").status_code == 404
    lines = log.getvalue()
    assert TOKEN not in lines and draft.token not in lines
    assert "Not Found: /d/…/step/cookies/" in lines and "Not Found: /d/…/download.exe" in lines


def test_django_and_runserver_log_lines_are_masked():
    with _handler_output("django.server", "django.server") as log:
        logging.getLogger("django.server").info('"%s" %s %s', f"GET /d/{TOKEN}/ HTTP/1.1", "302", "0")
    assert '"GET /d/…/ HTTP/1.1" 302 0' in log.getvalue() and TOKEN not in log.getvalue()
    with _handler_output("", "console") as log:
        logging.getLogger("django.security.csrf").warning("Forbidden (%s): %s", "CSRF", f"/d/{TOKEN}/")
        logging.getLogger("policybuilder").error("Continue failed for link=%s", TOKEN)
    assert log.getvalue() == "Forbidden (CSRF): /d/…/\nContinue failed for link=…\n"
