"""Rate limits and login throttling see the client's address through our own proxies, never a forged one."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from policybuilder.clients import client_ip


def request(remote: str = "10.0.0.1", forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy of ours: the header is the client's to write
        (1, "203.0.113.9", "203.0.113.9"),  # one proxy: it appended the client's address
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # whatever the client wrote first is ignored
        (2, "198.51.100.7, 203.0.113.9, 192.0.2.1", "203.0.113.9"),  # a CDN, then our proxy
        (2, "203.0.113.9", "10.0.0.1"),  # fewer addresses than proxies: it came around one of them
        (1, "not-an-address", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_the_address_our_outermost_proxy_saw(settings, hops, forwarded, expected):
    settings.TRUSTED_PROXY_HOPS = hops
    assert client_ip(request(forwarded=forwarded)) == expected


def test_behind_a_proxy_each_visitor_has_their_own_draft_limit(client, db_library, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.RATELIMITS = {**settings.RATELIMITS, "draft_create": "2/m"}
    start = reverse("draft-start")
    for _ in range(2):
        assert client.post(start, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 302
    assert client.post(start, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    # Another visitor behind the same proxy is not blocked by the first one.
    assert client.post(start, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 302
    # Forging an address to the left of the proxy's does not reset the limit.
    forged = "198.51.100.99, 203.0.113.1"
    assert client.post(start, HTTP_X_FORWARDED_FOR=forged).status_code == 429


def test_login_throttling_locks_out_the_address_that_failed_not_everyone(client, db, settings):
    from django.contrib.auth.models import User

    settings.TRUSTED_PROXY_HOPS = 1
    User.objects.create_user("admin", password="long-enough-password-1", is_staff=True, is_superuser=True)
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "admin", "password": "wrong"}, HTTP_X_FORWARDED_FOR="203.0.113.66")
    attacker = client.post(
        login, {"username": "admin", "password": "wrong"}, HTTP_X_FORWARDED_FOR="203.0.113.66"
    )
    assert attacker.status_code == 429
    owner = client.post(
        login, {"username": "admin", "password": "long-enough-password-1"}, HTTP_X_FORWARDED_FOR="203.0.113.5"
    )
    assert owner.status_code == 302
