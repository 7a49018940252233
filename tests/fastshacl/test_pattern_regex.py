"""sh:pattern through SPARQL REGEX proves a value good only where pySHACL's Python re agrees."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Literal

from mktgraph.fastshacl.checks import sparql_regex

PATTERNS = [
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    r"^\d{3}-\d{2}-\d{4}$",
    r"^[A-Z]{3}$",
    r"a\sb",
    r"^(EUR|USD)$",
    r"^.+$",
]
STRINGS = [
    "ann@example.org", "ann@example", "a b@x.org", "a\u00a0b@x.org", "ann@x.org\n", "123-45-6789",
    "١٢٣-45-6789", "EUR", "eur", "EUR\n", "a\u2003b", "a\tb", "ab", "", "\r", "x\ry",
    # Kawi digits (Unicode 15): digits for Oxigraph's REGEX, not for Python 3.11's re
    "\U00011f50\U00011f51\U00011f52-45-6789",
]  # fmt: skip


def _sparql_match(regex: str, text: str) -> bool:
    store = ox.Store()
    query = f"ASK {{ FILTER(REGEX({ox.Literal(text)}, {ox.Literal(regex)})) }}"
    return bool(store.query(query))


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_regex_match_is_a_python_match(pattern):
    regex = sparql_regex(Literal(pattern), None)
    assert regex is not None
    python = re.compile(pattern)
    for text in STRINGS:
        if _sparql_match(regex, text):
            assert python.search(text), (pattern, text)
        elif python.search(text):
            # No proof from SPARQL: the value goes to Python, which decides (only \n at the
            # end, \r and digits other than 0-9, which \d proves only as [0-9], differ).
            assert text.endswith("\n") or "\r" in text or "١" in text, (pattern, text)


@pytest.mark.parametrize("pattern", [r"\w+", r"(?i)x", r"\bx", r"(a)\1", r"[a-z-[aeiou]]", "x\\"])
def test_patterns_read_differently_are_left_to_python(pattern):
    assert sparql_regex(Literal(pattern), None) is None


def test_digits_are_proved_only_as_ascii_digits():
    # Unicode's digits grow with each version: REGEX's \\d, on a newer Unicode than Python's
    # re, would prove a Kawi digit good where pySHACL fails it.
    assert sparql_regex(Literal(r"^\d+$"), None) == "^[0-9]+$"
    assert sparql_regex(Literal(r"^[\d.]+$"), None) == "^[0-9.]+$"
    assert not _sparql_match(sparql_regex(Literal(r"^\d$"), None), "\U00011f50")
    assert not re.search(r"^\d$", "\U00011f50")


def test_flags_are_left_to_python():
    assert sparql_regex(Literal("^a$"), Literal("i")) is None
