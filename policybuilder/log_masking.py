"""Keeping draft tokens out of the logs.

A draft's token is the only key to it: whoever reads it in a log can read and
change the draft. Paths under ``/d/<token>/`` and ``link=`` values (the old
"continue" form sent the link in a query string) are written as ``…``. The one
function ``mask_tokens`` serves gunicorn's access and error logs
(``gunicorn_conf.py``) and Django's own (the ``MaskTokens`` filter on every
handler in ``settings.LOGGING``).
"""

from __future__ import annotations

import logging
import re

MASK = "…"

# The segment after /d/ (also percent-encoded, as in a link inside a query string), whatever it
# holds: a wrong or expired token is somebody's mistyped real one.
_DRAFT_SEGMENT = re.compile(r"((?:/|%2F)d(?:/|%2F))[^/?#&%\s\"']+", re.IGNORECASE)
_LINK_VALUE = re.compile(r"(?<![A-Za-z0-9_])(link=)[^&#\s\"']+", re.IGNORECASE)


def mask_tokens(text: str) -> str:
    """``text`` with every draft token in a path and every ``link=`` value replaced by ``…``."""
    return _LINK_VALUE.sub(rf"\g<1>{MASK}", _DRAFT_SEGMENT.sub(rf"\g<1>{MASK}", text))


class MaskTokens(logging.Filter):
    """Masks draft tokens in a record's message (its arguments included) and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 (a broken record is the formatter's to report, not ours to drop)
            return True
        masked = mask_tokens(message)
        if masked != message:
            # The arguments are already in the message; kept, they could still reach a formatter.
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_tokens(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_tokens(record.stack_info)
        return True
