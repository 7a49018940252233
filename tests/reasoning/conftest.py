"""Fixtures for the reasoning tests: reasoning results computed once per session."""

from __future__ import annotations

import pytest
from reasoning_support import data_file


@pytest.fixture(scope="session")
def classify_results():
    """{reasoner: ReasoningResult} for tests/reasoning/data/classify.ttl (Java: integration)."""
    from mktgraph.reason import reason_files

    return {
        name: reason_files([data_file("classify.ttl")], reasoner=name)
        for name in ("hermit", "pellet", "owlrl")
    }


@pytest.fixture(scope="session")
def sample_results():
    """{reasoner: ReasoningResult} for the bundled sample knowledge graph."""
    from mktgraph.reason import reason_files

    return {
        name: reason_files(example=True, reasoner=name) for name in ("hermit", "pellet", "owlrl")
    }
