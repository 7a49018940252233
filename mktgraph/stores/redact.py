"""Secrets kept out of every message: credentials in URLs, passwords, Authorization echoes."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

HIDDEN = "***"
# Query parameters that carry a secret by their name (API keys, tokens, passwords).
_SECRET_PARAMETER = re.compile(
    r"(pass(word|wd)?|pwd|secret|token|api[-_]?key|access[-_]?key|key|auth|session|sig(nature)?)$",
    re.IGNORECASE,
)
# An Authorization (or Proxy-Authorization) header as a server may echo it back: the scheme and
# the rest of the line (Digest's parameters are comma separated, so the whole line goes).
_AUTHORIZATION = re.compile(r"((?:proxy-)?authorization\s*[:=]\s*)[^\r\n<]*", re.IGNORECASE)
# Credentials written as a scheme and a token anywhere else in a text.
_SCHEME_TOKEN = re.compile(r"\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]{6,}", re.IGNORECASE)
_DIGEST_PARTS = re.compile(r'\b(response|cnonce|nonce|username)\s*=\s*"[^"]*"', re.IGNORECASE)
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"']+")


def redact_url(url: str) -> str:
    """``url`` without a user or password in it, and with secret query values hidden."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return HIDDEN
    netloc, path = parts.netloc, parts.path
    if "@" in netloc:
        netloc = f"{HIDDEN}@{netloc.rsplit('@', 1)[1]}"
    elif not netloc and "@" in path:  # mailto:user:password@host, or a URL missing its //
        head, _at, tail = path.partition("/")
        if "@" in head:
            path = f"{HIDDEN}@{head.rsplit('@', 1)[1]}" + (f"/{tail}" if _at else "")
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(_SECRET_PARAMETER.search(name) for name, _ in pairs):
            query = urlencode(
                [(n, HIDDEN if _SECRET_PARAMETER.search(n) else v) for n, v in pairs], safe="*"
            )
    return urlunsplit((parts.scheme, netloc, path, query, parts.fragment))


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every credential taken out: Authorization echoes, Basic/Bearer tokens,
    Digest parameters, URLs' user and password, and each of ``secrets`` (with its base64
    forms, as a Basic header would carry it)."""
    text = _AUTHORIZATION.sub(lambda m: m.group(1) + HIDDEN, text)
    text = _SCHEME_TOKEN.sub(lambda m: f"{m.group(1)} {HIDDEN}", text)
    text = _DIGEST_PARTS.sub(lambda m: f'{m.group(1)}="{HIDDEN}"', text)
    text = _URL.sub(lambda m: redact_url(m.group(0)), text)
    for secret in _forms(secrets):
        text = text.replace(secret, HIDDEN)
    return text


def _forms(secrets: Iterable[str]) -> list[str]:
    """Each secret as written, and base64-encoded (longest first, so none is left half shown)."""
    forms: set[str] = set()
    for secret in secrets:
        if len(secret) < 3:  # too short to hide without hiding ordinary text
            continue
        forms.add(secret)
        forms.add(base64.b64encode(secret.encode()).decode().rstrip("="))
    return sorted(forms, key=len, reverse=True)
