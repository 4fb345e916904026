"""Whole pages remembered on the library snapshot, with each response's own CSRF token.

A wizard step is a pure function of the library snapshot, the draft's answers and saved pages,
the step, and a few flags the caller names in the key (a finished scan, "return to the review").
Going back and forth between steps, reloading a step or coming back to it from the review asks
for the same page again; rendering it anew (the form, the step list, the preview) took most of a
step's time. What differs per response is the CSRF token, which is put back into the remembered
HTML for each one, so every form on the page still carries a token of this visitor's session.

Never remembered: a page that carries messages (they are for one response), a response that is
not a plain 200 page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from policybuilder.clause_library import Library

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Cannot come from anything a page shows: every person's or editor's text is escaped or sanitized.
_PLACEHOLDER = "<csrf-token-of-this-response>"


def page_memo(
    request: HttpRequest, library: Library, key: tuple[Any, ...], render: Callable[[], HttpResponse]
) -> HttpResponse:
    """The page ``render()`` makes, remembered under ``key`` for this library snapshot."""
    if len(messages.get_messages(request)):
        return render()  # shown once, on this response: never remembered, never served from memory
    html = library.page(key)
    if html is not None:
        return HttpResponse(html.replace(_PLACEHOLDER, get_token(request)))
    response = render()
    if response.status_code == 200 and not response.streaming:
        text = response.content.decode(response.charset)
        if len(set(_TOKEN.findall(text))) <= 1:  # tokens from two renders: not this page's shape
            library.remember_page(key, _TOKEN.sub(f'name="csrfmiddlewaretoken" value="{_PLACEHOLDER}"', text))
    return response
