"""The only way out for the scanning browser: a small forward proxy on 127.0.0.1 that vets every
connection and connects to the addresses it vetted.

Why a proxy rather than checking URLs in the browser: a check made in the browser (Playwright's
request interception) is followed by the browser's own DNS lookup, so a name that answers with a
public address for the check and a private one for the fetch (DNS rebinding) would get through.
Here the check and the connection use the same lookup: the proxy resolves the host once with
``scan_matching.vet_address``, refuses it when any address is private, loopback, link-local,
multicast, reserved or a cloud metadata address, and connects to the vetted address itself. The
browser is started with this proxy for every scheme and host (loopback included, see
``scanner.browser_args``), so the first page, every redirect, every subresource and every
WebSocket pass through here. HTTPS passes as a CONNECT tunnel: TLS stays end to end between the
browser and the site, and certificate errors are the browser's.

Why not a proxy library: what is needed is about a hundred lines (CONNECT tunnels and plain HTTP
forwarding, one vetted connection each); general proxies (mitmproxy, proxy.py) intercept TLS or
start processes of their own, which this neither needs nor wants to audit.

A scan also has a byte budget, counted here across all connections: a site that streams without
end is cut off, whatever the browser does with it.
"""

from __future__ import annotations

import select
import socket
import socketserver
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from policybuilder.scan_matching import Resolver, is_forbidden_host, plain_address, resolve, vet_address

MAX_HEADER_BYTES = 64 * 1024
CONNECT_TIMEOUT = 8.0  # seconds to open a connection to the site
IDLE_TIMEOUT = 20.0  # seconds a tunnel may stay silent before it is closed
MAX_CONNECTION_BYTES = 15_000_000  # one page or file; the scan's own budget (ProxyPolicy) caps the total
MAX_REQUEST_BODY = 1_000_000  # a form post or beacon the page sends
MAX_ADDRESSES_TRIED = 3  # a name answering with many dead addresses costs at most this many timeouts
_HOP_BY_HOP = {b"proxy-connection", b"proxy-authorization", b"connection", b"keep-alive"}


@dataclass
class ProxyLog:
    """What the proxy refused, and how many bytes it carried; shared with the scanner."""

    refused: dict[str, str] = field(default_factory=dict)  # host → reason, first reason kept
    bytes_carried: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refuse(self, host: str, reason: str) -> None:
        with self.lock:
            self.refused.setdefault(host, reason)

    def carry(self, count: int) -> None:
        with self.lock:
            self.bytes_carried += count


@dataclass(frozen=True)
class ProxyPolicy:
    """What the proxy lets through: loopback only for tests and local development; never the
    app's own addresses; at most ``byte_budget`` bytes for the whole scan."""

    allow_loopback: bool = False
    forbidden_hosts: frozenset[str] = frozenset()
    forbidden_addresses: frozenset[str] = frozenset()
    byte_budget: int = 50_000_000
    resolver: Resolver = resolve
    connect: Callable[[tuple[str, int], float], socket.socket] = socket.create_connection


def _closing(head: bytes) -> bytes:
    """A response head (and whatever body came with it) that tells the browser to close."""
    top, sep, rest = head.partition(b"\r\n\r\n")
    lines = [line for line in top.split(b"\r\n") if line.split(b":", 1)[0].strip().lower() not in _HOP_BY_HOP]
    lines += [b"Connection: close", b"Proxy-Connection: close"]
    return b"\r\n".join(lines) + sep + rest if sep else head


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        client: socket.socket = self.request
        client.settimeout(IDLE_TIMEOUT)
        try:
            head = self._read_head(client)
            if head is None:
                return
            request_line, _, rest = head.partition(b"\r\n")
            try:
                method, target, version = request_line.decode("latin-1").split(" ", 2)
            except ValueError:
                self._reply(client, 400, "Bad request")
                return
            if method == "CONNECT":
                host, _, port_text = target.rpartition(":")
                url = f"https://{host}:{port_text}/"
            else:
                url = target
            upstream = self._open(url)
            if isinstance(upstream, str):
                self._reply(client, 403, upstream)
                return
            with upstream:
                if method == "CONNECT":
                    client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    self._pipe(client, upstream)
                else:
                    body = self._request_body(client, rest)
                    if body is None:
                        self._reply(client, 411, "a request body needs a Content-Length")
                        return
                    upstream.sendall(self._origin_form(method, url, version, rest) + body)
                    self._relay_response(client, upstream)
        except OSError:
            return

    def _read_head(self, client: socket.socket) -> bytes | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = client.recv(8192)
            if not chunk or len(data) > MAX_HEADER_BYTES:
                return None
            data += chunk
        head, _, body_start = data.partition(b"\r\n\r\n")
        self._body_start = body_start  # a POST body's first bytes may arrive with the headers
        return head

    def _open(self, url: str) -> socket.socket | str:
        """A connection to a vetted address of the URL's host, or why there is none."""
        policy = self.server.policy
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
        addresses, refusal = vet_address(url, allow_loopback=policy.allow_loopback, resolver=policy.resolver)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        named = is_forbidden_host(host, port, policy.forbidden_hosts)
        if refusal is None and (named or policy.forbidden_addresses & {plain_address(a) for a in addresses}):
            refusal = f"{host} is this app's own address"
        if refusal is None and self.server.log.bytes_carried >= policy.byte_budget:
            refusal = "the scan's size limit was reached"
        if refusal is not None:
            self.server.log.refuse(host, refusal)
            return refusal
        for address in addresses[:MAX_ADDRESSES_TRIED]:
            try:
                return policy.connect((address, port), CONNECT_TIMEOUT)
            except OSError:
                continue
        return f"{host} did not answer"

    def _origin_form(self, method: str, url: str, version: str, rest: bytes) -> bytes:
        """The request as the site expects it: the path only, no proxy headers, one request per
        connection (so every request is vetted on its own)."""
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        lines = [f"{method} {path} {version}".encode("latin-1")]
        for line in rest.split(b"\r\n"):
            name = line.split(b":", 1)[0].strip().lower()
            if line and name not in _HOP_BY_HOP:
                lines.append(line)
        lines.append(b"Connection: close")
        return b"\r\n".join(lines) + b"\r\n\r\n"

    def _request_body(self, client: socket.socket, rest: bytes) -> bytes | None:
        """A plain-HTTP request's body, by its Content-Length (None for a chunked one, refused):
        nothing after it is read, so a second request on the connection is never forwarded."""
        length = 0
        for line in rest.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"transfer-encoding":
                return None
            if name.strip().lower() == b"content-length":
                try:
                    length = int(value.strip())
                except ValueError:
                    return None
        if length > MAX_REQUEST_BODY:
            return None
        body = self._body_start[:length]
        while len(body) < length:
            chunk = client.recv(min(65536, length - len(body)))
            if not chunk:
                break
            body += chunk
        self.server.log.carry(len(body))
        return body

    def _relay_response(self, client: socket.socket, upstream: socket.socket) -> None:
        """The site's answer to one request, with "Connection: close" so the browser sends its next
        request on a new connection, which is vetted again. Anything more from the browser on this
        one ends it."""
        log, budget = self.server.log, self.server.policy.byte_budget
        head: bytes | None = b""  # until the response's head has gone to the browser
        received = 0
        while True:
            readable, _, _ = select.select([client, upstream], [], [], IDLE_TIMEOUT)
            if not readable or client in readable:
                return
            data = upstream.recv(65536)
            if not data:
                if head:
                    client.sendall(head)
                return
            log.carry(len(data))
            received += len(data)
            if head is not None:
                head += data
                if b"\r\n\r\n" in head or len(head) > MAX_HEADER_BYTES:
                    client.sendall(_closing(head))
                    head = None
            else:
                client.sendall(data)
            if log.bytes_carried > budget or received > MAX_CONNECTION_BYTES:
                return

    def _pipe(self, client: socket.socket, upstream: socket.socket) -> None:
        """A CONNECT tunnel (TLS, end to end) to the vetted address, both ways, within the limits."""
        log, budget = self.server.log, self.server.policy.byte_budget
        sockets = [client, upstream]
        received = 0  # on this tunnel, both ways
        while True:
            readable, _, _ = select.select(sockets, [], [], IDLE_TIMEOUT)
            if not readable:
                return
            for sock in readable:
                data = sock.recv(65536)
                if not data:
                    return
                (upstream if sock is client else client).sendall(data)
                log.carry(len(data))  # both ways: a page may not upload without end either
                received += len(data)
                if log.bytes_carried > budget or received > MAX_CONNECTION_BYTES:
                    return

    @staticmethod
    def _reply(client: socket.socket, status: int, reason: str) -> None:
        body = f"Refused by the site scanner: {reason}\n".encode()
        client.sendall(
            f"HTTP/1.1 {status} Refused\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"X-Scan-Refused: 1\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, policy: ProxyPolicy, log: ProxyLog) -> None:
        self.policy, self.log = policy, log
        super().__init__(("127.0.0.1", 0), _Handler)


class ScanProxy:
    """``with ScanProxy(policy) as proxy:`` serves on ``proxy.address`` until the block ends."""

    def __init__(self, policy: ProxyPolicy) -> None:
        self.log = ProxyLog()
        self._server = _Server(policy, self.log)
        self._thread = threading.Thread(target=self._server.serve_forever, name="scan-proxy", daemon=True)

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> ScanProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
