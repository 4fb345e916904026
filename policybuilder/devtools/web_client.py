"""One person's browser, without a browser: cookies, the CSRF token, forms and uploads over HTTP.

The benchmark drives the throwaway gunicorn with it (``bench``); the requests it makes are what
the pages' own forms send, so what is measured is what people do.
"""

from __future__ import annotations

import http.client
import json
import time
import uuid
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

from policybuilder.devtools.server import must_match


class Visitor:
    """Keeps the session cookie and the CSRF token of one visitor to ``127.0.0.1:port``."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    @property
    def cookie(self) -> str:
        """The Cookie header this visitor sends."""
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def headers(self, content_type: str = "") -> dict[str, str]:
        headers = {"Cookie": self.cookie, "Referer": f"http://127.0.0.1:{self.port}/"}
        if content_type:
            headers["Content-Type"] = content_type
        return headers

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str = "") -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=self.headers(content_type))
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        elapsed = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)  # deleted (the messages cookie, once read)
                else:
                    self.cookies[name] = morsel.value
        if token := _csrf_in(content):
            self.csrf = token
        return Response(response.status, response.getheader("Location") or "", content, elapsed)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, Any]) -> Response:
        if not self.csrf:
            self.get("/")
        body = urlencode({"csrfmiddlewaretoken": self.csrf, **data}, doseq=True).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def upload(self, answers: dict[str, Any]) -> str:
        """A new draft from an answers file (the home page's upload form); its token."""
        self.get("/")
        boundary = uuid.uuid4().hex
        disposition = f"--{boundary}\r\nContent-Disposition: form-data; name="
        parts = [
            f'{disposition}"csrfmiddlewaretoken"\r\n\r\n{self.csrf}\r\n',
            f'{disposition}"answers_file"; filename="answers.json"\r\nContent-Type: application/json\r\n\r\n',
        ]
        body = "".join(parts).encode() + json.dumps(answers).encode() + f"\r\n--{boundary}--\r\n".encode()
        response = self.request("POST", "/upload/", body, f"multipart/form-data; boundary={boundary}")
        if response.status != 302 or "/d/" not in response.location:
            raise RuntimeError(f"the upload was refused ({response.status}): {response.text[:300]}")
        return response.location.split("/d/")[1].split("/")[0]


class Response:
    def __init__(self, status: int, location: str, content: bytes, ms: float) -> None:
        self.status = status
        self.location = location
        self.content = content
        self.ms = ms  # from sending the request to the last byte of the answer

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


def _csrf_in(content: bytes) -> str:
    if b"csrfmiddlewaretoken" not in content:
        return ""
    return must_match(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', content.decode("utf-8", "replace")
    ).group(1)
