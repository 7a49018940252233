"""No secret in any message: URLs' credentials and secret parameters, Authorization echoes."""

from __future__ import annotations

import base64

import pytest

from mktgraph.stores.redact import redact_url, scrub


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://alice:pw@example.org/sparql", "http://***@example.org/sparql"),
        ("https://token@example.org:8443/q?x=1", "https://***@example.org:8443/q?x=1"),
        ("https://example.org/q?api_key=abc&query=1", "https://example.org/q?api_key=***&query=1"),
        ("https://example.org/q?password=abc", "https://example.org/q?password=***"),
        ("mailto:alice:pw@example.org", "mailto:***@example.org"),
        ("https://example.org/sparql", "https://example.org/sparql"),
    ],
)
def test_urls_lose_their_credentials(url, shown):
    assert redact_url(url) == shown


def test_echoed_credentials_are_scrubbed():
    token = base64.b64encode(b"alice:s3cret-pw").decode()
    page = (
        f"Host: example.org\nAuthorization: Basic {token}\n"
        'Proxy-Authorization: Digest username="alice", response="0123abcd", nonce="x"\n'
        f"Bearer abcdefghijkl and the password s3cret-pw in a URL http://alice:s3cret-pw@h/x"
    )
    cleaned = scrub(page, ["s3cret-pw", "alice:s3cret-pw"])
    for secret in ("s3cret-pw", token, token.rstrip("="), "0123abcd", "abcdefghijkl"):
        assert secret not in cleaned
    assert cleaned.splitlines()[:3] == [
        "Host: example.org",
        "Authorization: ***",
        "Proxy-Authorization: ***",
    ]
    assert cleaned.splitlines()[3] == "Bearer *** and the password *** in a URL http://***@h/x"


def test_a_short_password_is_not_hunted_through_ordinary_text():
    assert scrub("an ab error", ["ab"]) == "an ab error"
