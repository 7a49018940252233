"""The W3C SHACL Core test suite and the as-written cases with the data in an Oxigraph server:
the fast validator's compiled queries run in the server (HttpRunner), and every approved test
gives its expected report but the known differences of tests/w3c_shacl/test_w3c_core.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from w3c_on_server import load_as_written

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS / "w3c_shacl"), str(TESTS / "fastshacl")]

from test_w3c_core import KNOWN_DIFFERENCES, _check, _check_fallback  # noqa: E402
from w3c import approved_tests, graph_of  # noqa: E402
from written_cases import CASES, graphs, pyshacl_counter, report_counter  # noqa: E402

from mktgraph.fastshacl import validate_endpoint  # noqa: E402
from mktgraph.stores import EndpointSpec  # noqa: E402
from mktgraph.stores.http import HttpStore  # noqa: E402

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _quiet(quiet_rdflib_terms):
    """Ill-typed literals on purpose: rdflib would log a traceback for each."""


def _validate(server, shapes):
    with HttpStore(EndpointSpec(url=server.url, server="oxigraph")) as store:
        fast, received = validate_endpoint(store, shapes, inference="none")
    assert received > 0
    return fast


@pytest.mark.parametrize("test", approved_tests(), ids=lambda t: t.name)
def test_w3c_on_an_oxigraph_server(test, oxigraph_server):
    load_as_written(oxigraph_server.url, [test.data])
    fast = _validate(oxigraph_server, graph_of(test.shapes))
    _check_fallback(fast.fallback)
    _check(test, fast.report, fast.conforms)


def test_the_known_differences_are_the_same_on_a_server():
    assert set(KNOWN_DIFFERENCES) == {"core/property/uniqueLang-002"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_as_written_on_an_oxigraph_server(name, oxigraph_server, tmp_path):
    text, data, shapes = graphs(name)
    path = tmp_path / "data.ttl"
    path.write_text(text)
    load_as_written(oxigraph_server.url, [path])
    fast = _validate(oxigraph_server, shapes)
    assert report_counter(fast.report) == pyshacl_counter(data, shapes)
