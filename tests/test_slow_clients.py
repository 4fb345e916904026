"""A client that sends its request slowly holds one thread, never the whole server.

Starts a real gunicorn (the production configuration, 2 workers) on loopback,
opens four connections that announce a body and trickle it, and checks that
``/healthz/live/`` still answers at once (4 ms here; with sync workers it waited 3.5 s in this test,
and 25 s in the security review).
"""

from __future__ import annotations

import http.client
import socket
import time

from policybuilder.devtools.server import throwaway_gunicorn


def test_slow_uploads_do_not_stop_the_server_answering():
    with throwaway_gunicorn() as (port, _workers, _):
        slow = []
        for _ in range(4):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(
                b"POST /upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                b"Content-Length: 200000\r\n\r\n--x"
            )
            slow.append(sock)
        try:
            time.sleep(0.5)  # the server has taken the slow requests and waits for their bodies
            started = time.monotonic()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/healthz/live/")
            response = conn.getresponse()
            elapsed = time.monotonic() - started
            assert response.status == 200 and response.read() == b"ok"
            assert elapsed < 1, f"/healthz/live/ took {elapsed:.1f} s behind four slow clients"
        finally:
            for sock in slow:
                sock.close()
