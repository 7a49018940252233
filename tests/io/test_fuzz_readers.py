"""Fuzzing the file readers: files of the sample graph in every format, mutated by Hypothesis
(bytes flipped, cut, inserted, repeated; markup that parsers trip on; gzip, a byte-order mark),
read by the commands that take files. Each run must end in exit 0, 1 or 2, with at most one
line on stderr and never a traceback.

The budget is bounded (a fixed number of examples per command, derandomized in CI so a run
there is reproducible); set MKTGRAPH_FUZZ_EXAMPLES for a longer search by hand.
"""

from __future__ import annotations

import gzip
import os

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mktgraph import resources
from mktgraph.cli import cli

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# Examples per command: a few in the quick subset, more in CI (still about a minute in all).
EXAMPLES = int(os.environ.get("MKTGRAPH_FUZZ_EXAMPLES", "60" if IN_CI else "10"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=IN_CI,
    database=None,  # no .hypothesis folder in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
}
# Fragments that steer parsers into their less travelled paths.
TOKENS = [
    b'<!DOCTYPE rdf:RDF [<!ENTITY a "&b;&b;">]>',
    b'<!ENTITY e "x">',
    b"&e;",
    b"\xef\xbb\xbf",
    b"\x00",
    b"\xff\xfe",
    b'"""',
    b"'''",
    b"\\u0000",
    b"\\U0010FFFF",
    b"@prefix : <",
    b"@base <",
    b"_:b0",
    b"[ ",
    b"( ",
    b"{",
    b"}",
    b'"@context": "https://schema.org/"',
    b'"@context": {"@vocab": ',
    b"^^<http://www.w3.org/2001/XMLSchema#integer>",
    b"@en-",
    b"<rdf:Description rdf:about=",
    b'rdf:parseType="Literal"',
    b"\r",
    b"\n",
    b".",
    b";",
]


def _sample_documents() -> dict[str, bytes]:
    """The first triples of the sample graph, serialised in each format."""
    quads = list(ox.parse(path=str(resources.example_files()[0]), format=ox.RdfFormat.TURTLE))
    triples = [q.triple for q in quads[:120]]
    documents = {}
    for suffix, fmt in FORMATS.items():
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            graph = ox.NamedNode("https://example.org/graph")
            items = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
        else:
            items = triples
        prefixes = {"mkt": "https://w3id.org/mktgraph/def/", "ex": "https://example.org/"}
        if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
            documents[suffix] = ox.serialize(items, format=fmt)
        else:
            documents[suffix] = ox.serialize(items, format=fmt, prefixes=prefixes)
    return documents


DOCUMENTS = _sample_documents()


@st.composite
def mutated_files(draw) -> tuple[str, bytes]:
    """A file name and its content: a sample document, mutated a few times."""
    suffix = draw(st.sampled_from(sorted(DOCUMENTS)))
    data = bytearray(DOCUMENTS[suffix])
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "insert", "token", "delete", "repeat", "cut"]))
        at = draw(st.integers(0, len(data)))
        if kind == "flip" and data:
            at = min(at, len(data) - 1)
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "repeat":
            piece = data[at : at + draw(st.integers(1, 64))]
            data[at:at] = piece * draw(st.integers(1, 20))
        elif kind == "cut":
            del data[at:]
    content = bytes(data)
    wrapping = draw(st.sampled_from(["plain", "plain", "bom", "gzip", "gzip-cut"]))
    if wrapping == "bom":
        content = b"\xef\xbb\xbf" + content
    elif wrapping.startswith("gzip"):
        content = gzip.compress(content)
        if wrapping == "gzip-cut":
            content = content[: draw(st.integers(0, len(content) - 1))]
        suffix += ".gz"
    return "fuzz" + suffix, content


def check_run(args: list[str], stdin: bytes | None = None) -> None:
    result = CliRunner().invoke(cli, args, input=stdin, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args}: uncaught {result.exception!r}") from result.exception
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr, (args, result.stderr)
    lines = [line for line in result.stderr.splitlines() if not line.startswith("warning: ")]
    assert len(lines) <= 1, (args, result.stderr)
    if result.exit_code == 2:
        assert lines and lines[0].startswith("error: "), (args, result.stderr)


COMMANDS = {
    "export": lambda path, _tmp: ["export", "--no-ontology", "--format", "nt", "--data", path],
    "query": lambda path, _tmp: ["query", "lead-to-deal", "--format", "csv", "--data", path],
    "load": lambda path, tmp: ["load", path, "--store", str(tmp / "store")],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_mutated_files_end_in_one_line_and_a_known_exit(command, tmp_path_factory):
    @FUZZ
    @given(mutated_files())
    def run(named):
        name, content = named
        folder = tmp_path_factory.mktemp("fuzz")
        path = folder / name
        path.write_bytes(content)
        check_run(COMMANDS[command](str(path), folder))

    run()


INPUT_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig",
                 ".jsonld": "json-ld", ".rdf": "xml"}  # fmt: skip


@FUZZ
@given(mutated_files())
def test_mutated_input_on_stdin_ends_in_one_line_and_a_known_exit(named):
    name, content = named
    fmt = INPUT_FORMATS[name.removesuffix(".gz")[name.index(".") :]]
    args = ["export", "--no-ontology", "--format", "nt", "--data", "-", "--input-format", fmt]
    check_run(args, stdin=content)


@pytest.mark.slow
def test_mutated_files_through_validation(tmp_path_factory):
    @settings(FUZZ, max_examples=max(EXAMPLES // 4, 5))
    @given(mutated_files())
    def run(named):
        name, content = named
        path = tmp_path_factory.mktemp("fuzz") / name
        path.write_bytes(content)
        check_run(["validate", str(path), "--inference", "none", "--format", "json"])

    run()
