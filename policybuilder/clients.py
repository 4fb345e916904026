"""Who is asking: the client's address, read the same way by the rate limits and by django-axes.

Behind a reverse proxy every request comes from the proxy's address, so limits
keyed on the socket's peer would put every visitor in one bucket (and let
anyone lock an administrator out for everyone). Each proxy appends the address
it received the request from to ``X-Forwarded-For``; anything further left was
written by the client and proves nothing. With ``TRUSTED_PROXY_HOPS = n``
proxies of our own in front of the app, the client is the n-th address from
the right. With 0 (the default) the header is ignored. One small function
rather than a library: the rule is four lines, and both django-ratelimit
(``RATELIMIT_IP_META_KEY``) and django-axes (``AXES_CLIENT_IP_CALLABLE``) take it
by its dotted path.
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str:
    """The address of the client, through ``settings.TRUSTED_PROXY_HOPS`` trusted proxies."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not remote and request.META.get("SERVER_NAME"):
        # A request a server received (not one Django builds for itself, as force_login does)
        # without a peer address: a proxy on a Unix socket. Every client would share one bucket.
        logger.error(
            "REMOTE_ADDR is empty: rate limits and login throttling cannot tell clients apart. "
            "Connect the proxy to gunicorn over TCP."
        )
    hops = settings.TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        # The request did not pass through every proxy we were told about (or came around them):
        # the peer is the only address we can vouch for.
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
