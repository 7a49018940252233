"""The W3C SHACL Core test suite on the fast validator: data files in memory, ``validate FILE``
(mktgraph.sources.FileSource) and the embedded store (the server path is in
tests/integration/test_w3c_core_server.py). Every approved test gives its
expected report, but the known differences listed in ``KNOWN_DIFFERENCES``, with the reason."""

from __future__ import annotations

import pytest
from w3c import W3CTest, approved_tests, graph_of, report_counter

from mktgraph.fastshacl import validate_runner, validate_store
from mktgraph.fastshacl.runner import MemoryRunner
from mktgraph.sources import FileSource
from mktgraph.stores.embedded import EmbeddedStore

# Tests whose expected report the fast validator does not give, and why. pySHACL (the engine
# mktgraph's results must equal) gives the same report as the fast validator on each.
KNOWN_DIFFERENCES = {
    "core/property/uniqueLang-002": (
        'sh:uniqueLang "1"^^xsd:boolean: the suite expects it to be ignored (only true is '
        "true); pySHACL, and so mktgraph, read the lexical form 1 as true"
    ),
}


def _ids(test: W3CTest) -> str:
    return test.name


def test_the_suite_has_its_98_approved_tests():
    tests = approved_tests()
    assert len(tests) == 98
    assert len({t.name for t in tests}) == 98
    assert set(KNOWN_DIFFERENCES) <= {t.name for t in tests}


def _check_fallback(fallback) -> None:
    # Only qualified value shapes are left to pySHACL (fastshacl/shapes.py FALLBACK_PARAMETERS).
    assert all(why.startswith("sh:qualified") for _shape, why in fallback), fallback


def _check(test: W3CTest, report, conforms: bool) -> None:
    got = report_counter(report)
    if test.name in KNOWN_DIFFERENCES:
        assert got != test.expected, f"{test.name} now passes: drop it from KNOWN_DIFFERENCES"
        return
    assert sorted(map(repr, got - test.expected)) == [], "unexpected results"
    assert sorted(map(repr, test.expected - got)) == [], "missing results"
    assert conforms == test.conforms


@pytest.fixture(autouse=True)
def _quiet(quiet_rdflib_terms):
    """Ill-typed literals on purpose: rdflib would log a traceback for each."""


@pytest.mark.parametrize("test", approved_tests(), ids=_ids)
def test_in_memory(test: W3CTest):
    fast = validate_runner(
        MemoryRunner.from_files([test.data]), graph_of(test.shapes), inference="none"
    )
    _check_fallback(fast.fallback)
    _check(test, fast.report, fast.conforms)


@pytest.mark.parametrize("test", approved_tests(), ids=_ids)
def test_validate_files(test: W3CTest):
    # The route of `mktgraph validate FILE`: the file loaded into an in-memory store, as
    # `load --store` loads it, with the ontology beside it.
    said: list[str] = []
    result = FileSource([test.data]).validate(graph_of(test.shapes), "none", warn=said.append)
    assert all("sh:qualified" in message for message in said), said
    _check(test, result.report, result.conforms)


@pytest.mark.slow  # a store folder per test: about a second each
@pytest.mark.parametrize("test", approved_tests(), ids=_ids)
def test_in_the_embedded_store(test: W3CTest, tmp_path):
    with EmbeddedStore(tmp_path / "store", create=True) as store:
        store.load([test.data])
        fast = validate_store(store.oxigraph, graph_of(test.shapes), inference="none")
    _check_fallback(fast.fallback)
    _check(test, fast.report, fast.conforms)
