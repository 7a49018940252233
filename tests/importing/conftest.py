"""Fixtures for the import tests: one mapping cache per test session (morph-kgc takes seconds
to read a mapping), and the example exports."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "crm"


@pytest.fixture(scope="session", autouse=True)
def mapping_cache(tmp_path_factory):
    """Parsed mappings cached in a folder of this session, never in the user's home."""
    before = os.environ.get("MKTGRAPH_CACHE")
    os.environ["MKTGRAPH_CACHE"] = str(tmp_path_factory.mktemp("mapping-cache"))
    yield
    if before is None:
        del os.environ["MKTGRAPH_CACHE"]
    else:
        os.environ["MKTGRAPH_CACHE"] = before


@pytest.fixture
def examples() -> Path:
    return EXAMPLES
