"""`reason --endpoint`: OWL 2 RL computed inside a server by SPARQL updates, kept in an inference
graph of its own; the same inferred set as `reason --store` on the same data; used by
`query --reason` and `validate --reason`; stale after a load; nothing half-written after an
inconsistency, a timeout or a killed run; one line for what a server cannot do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from sparql_servers import Oxigraph, SlowRelay, env_without_proxies, oxigraph_executable

from mktgraph import inferred, resources
from mktgraph.reason_server import CURRENT, META, STAGING
from mktgraph.stores.embedded import EmbeddedStore

pytestmark = pytest.mark.integration

DATA = Path(__file__).parents[1] / "reasoning" / "data"
CONVERTED = (
    "PREFIX mkt: <https://w3id.org/mktgraph/def/>\n"
    "SELECT ?lead WHERE { ?lead a mkt:ConvertedLead } ORDER BY ?lead\n"
)
CONVERTED_LEADS = [
    "https://example.org/classify/lead-inverse",
    "https://example.org/classify/lead-retried",
    "https://example.org/classify/lead-won",
]


@pytest.fixture(scope="module", autouse=True)
def shared_cache(tmp_path_factory):
    """One cache for the module: HermiT checks the ontology once, not in every test."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(params=["oxigraph", "virtuoso"])
def target(request, new_graph):
    """A server, the options naming the graph of the data on it, and that graph's IRI."""
    server = request.getfixturevalue("oxigraph" if request.param == "oxigraph" else "virtuoso")
    return server, [*server.options(), "--graph", new_graph], new_graph


def select(server, text: str) -> list[tuple[str, ...]]:
    """The rows of a query asked of the server directly (not through mktgraph)."""
    path = "/query" if server.kind == "oxigraph" else "/sparql"
    response = requests.post(
        f"{server.url}{path}",
        data={"query": text},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    response.raise_for_status()
    answer = response.json()
    names = answer["head"]["vars"]
    return [
        tuple(row[name]["value"] if name in row else "" for name in names)
        for row in answer["results"]["bindings"]
    ]


def current_graph(server, subject: str) -> str | None:
    rows = select(server, f"SELECT ?g WHERE {{ GRAPH <{META}> {{ <{subject}> <{CURRENT}> ?g }} }}")
    return rows[0][0] if rows else None


def mktgraph_graphs(server, since: frozenset[str] = frozenset()) -> list[str]:
    """The inference and delta graphs the server holds (kept, staging or left over), but those
    in ``since`` (other tests' graphs on the session's Virtuoso)."""
    rows = select(
        server,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "
        "'urn:mktgraph:inferred:') || STRSTARTS(STR(?g), 'urn:mktgraph:rl:')) }",
    )
    return sorted(row[0] for row in rows if row[0] not in since)


def as_set(triples) -> set[tuple[str, str, str]]:
    return {(str(s), str(p), str(o)) for s, p, o in triples}


def server_inferences(server, subject: str) -> set[tuple[str, str, str]]:
    graph = current_graph(server, subject)
    rows = select(server, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return set(rows)


def store_inferences(tmp_path, *files: Path) -> set[tuple[str, str, str]]:
    """What `reason --store` keeps for the sample graph plus ``files``."""
    from mktgraph.reason import reason_store

    path = tmp_path / "store"
    with EmbeddedStore(path, create=True) as store:
        store.load([*resources.example_files(), *files])
    assert reason_store(path, reasoner="rl").consistent
    with EmbeddedStore(path) as store:
        graph = inferred.current(store.oxigraph)
        return {
            (q.subject.value, q.predicate.value, q.object.value)
            for q in store.oxigraph.quads_for_pattern(None, None, None, graph)
        }


def load(run_cli, options, *files: Path, ontology: bool = False):
    args = ["load", *map(str, files), *options, "--replace"]
    if ontology:
        args[1:1] = ["--example", "--with-ontology"]
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    return result


def test_the_closure_in_the_server_equals_reason_store(run_cli, target, tmp_path):
    server, options, graph = target
    others = frozenset(mktgraph_graphs(server))
    load(run_cli, options, DATA / "classify.ttl", ontology=True)
    result = run_cli("reason", *options)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "consistent; no unsatisfiable classes"
    assert lines[1].startswith("reasoner: OWL 2 RL, inside the server, by SPARQL updates; ")
    expected = store_inferences(tmp_path, DATA / "classify.ttl")
    kept = server_inferences(server, graph)
    assert kept == expected
    assert lines[3].startswith(f"inferred facts: {len(expected)} (")
    assert lines[-1].startswith(f"kept in graph <{graph}> of {server.url}, apart from the stated")
    # No staging graph, no delta graph left:
    assert mktgraph_graphs(server, others) == [current_graph(server, graph)]


def test_the_default_graph_of_an_oxigraph_server(run_cli, oxigraph, tmp_path):
    options = oxigraph.options()
    load(run_cli, options, DATA / "classify.ttl", ontology=True)
    before = oxigraph.count()
    result = run_cli("reason", *options)
    assert result.exit_code == 0, result.stderr
    assert server_inferences(oxigraph, "urn:mktgraph:defaultGraph") == store_inferences(
        tmp_path, DATA / "classify.ttl"
    )
    assert oxigraph.count() == before  # the stated data unchanged
    # A query cannot name the default graph beside another one: --reason needs --graph.
    asked = run_cli("query", "open-leads", *options, "--reason")
    assert asked.exit_code == 2
    assert asked.stderr.startswith("error: with --endpoint, --reason reads the data's graph")
    assert len(asked.stderr.splitlines()) == 1


def test_query_and_validate_read_the_inferences_and_say_when_stale(run_cli, target, tmp_path):
    server, options, _graph = target
    query = tmp_path / "converted.rq"
    query.write_text(CONVERTED, encoding="utf-8")
    load(run_cli, options, DATA / "classify.ttl", DATA / "deep-discount.ttl")
    missing = run_cli("query", str(query), *options, "--reason", "--format", "csv")
    assert missing.exit_code == 2
    assert "holds no inferences; make them with `mktgraph reason --endpoint" in missing.stderr
    assert len(missing.stderr.splitlines()) == 1
    assert run_cli("reason", *options).exit_code == 0
    stated = run_cli("query", str(query), *options, "--format", "csv")
    assert stated.stdout.splitlines() == ["lead"]
    asked = run_cli("query", str(query), *options, "--reason", "--format", "csv")
    assert asked.exit_code == 0, asked.stderr
    assert asked.stdout.splitlines() == ["lead", *CONVERTED_LEADS]
    assert asked.stderr == ""
    # A promotion is a discount promotion by inference only: the shapes then want its discount.
    deep = "https://example.org/deep-discount/half-price-week"
    csv = ["--format", "csv", "--fail-on", "warning"]
    validated = run_cli("validate", *options, "--reason", *csv)
    unreasoned = run_cli("validate", *options, *csv)
    files = [str(DATA / "classify.ttl"), str(DATA / "deep-discount.ttl")]
    validated_files = run_cli("validate", *files, "--reasoner", "rl", *csv)
    assert validated.exit_code == 1, validated.stderr
    assert deep in {line.split(",")[0] for line in validated.stdout.splitlines()[1:]}
    assert deep not in {line.split(",")[0] for line in unreasoned.stdout.splitlines()[1:]}
    if server.kind == "oxigraph":
        # Virtuoso's report differs from the files' without --reason too, a gap of validate
        # --endpoint, not of the inferences: sh:in on IRIs, as Virtuoso evaluates
        # FILTER(!(sameTerm(?v, <a>) || sameTerm(?v, <b>))) as FILTER(!sameTerm(?v, <b>)).
        assert sorted(validated.stdout.splitlines()) == sorted(validated_files.stdout.splitlines())
    load_more = run_cli("load", str(DATA / "dates.ttl"), *options)
    assert load_more.exit_code == 0, load_more.stderr
    stale = run_cli("query", str(query), *options, "--reason", "--format", "csv")
    assert stale.exit_code == 0
    assert stale.stdout.splitlines() == ["lead", *CONVERTED_LEADS]
    assert "data were loaded after the inferences were made" in stale.stderr
    assert run_cli("reason", *options).exit_code == 0
    fresh = run_cli("query", str(query), *options, "--reason", "--format", "csv")
    assert fresh.stderr == ""


def test_inconsistent_data_keeps_the_earlier_inferences(run_cli, target):
    server, options, graph = target
    others = frozenset(mktgraph_graphs(server))
    load(run_cli, options, DATA / "classify.ttl", ontology=True)
    assert run_cli("reason", *options).exit_code == 0
    before = current_graph(server, graph), server_inferences(server, graph)
    assert run_cli("load", str(DATA / "contradictory.ttl"), *options).exit_code == 0
    result = run_cli("reason", *options)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "inconsistent: the data contradicts the ontology (OWL 2 RL)"
    )
    assert (
        "individuals involved: <https://example.org/contradictory/deal-both> "
        "<https://example.org/contradictory/promo-mixed>" in result.stdout
    )
    assert "its inferences are as they were" in result.stderr
    assert (current_graph(server, graph), server_inferences(server, graph)) == before
    assert mktgraph_graphs(server, others) == [before[0]]


def test_a_timeout_leaves_the_inferences_as_they_were(run_cli, target):
    server, options, graph = target
    others = frozenset(mktgraph_graphs(server))
    load(run_cli, options, DATA / "classify.ttl", ontology=True)
    assert run_cli("reason", *options).exit_code == 0
    before = current_graph(server, graph), server_inferences(server, graph)
    # Each request held 0.2 s: the run's dozens of requests take longer than the 1 s allowed,
    # however fast the server is.
    with SlowRelay(server.url, delay=0.2) as relay:
        slowed = [relay.url if option == server.url else option for option in options]
        result = run_cli("reason", *slowed, "--timeout", "1")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: OWL 2 RL did not finish within 1 s (--timeout); nothing was kept, the graph's "
        "inferences are as they were\n"
    )
    assert (current_graph(server, graph), server_inferences(server, graph)) == before
    assert mktgraph_graphs(server, others) == [before[0]]


def test_a_killed_run_is_cleaned_up_by_the_next(run_cli, oxigraph):
    options = oxigraph.options()
    load(run_cli, options, DATA / "classify.ttl", ontology=True)
    left = f"{inferred.INFERRED_PREFIX}killed"
    # As a run killed half way leaves it: registered, partly written, with a delta graph.
    oxigraph.update(
        f"INSERT DATA {{ GRAPH <{META}> {{ <urn:mktgraph:defaultGraph> <{STAGING}> <{left}> }} "
        f"GRAPH <{left}> {{ <urn:x> <urn:p> <urn:y> }} "
        "GRAPH <urn:mktgraph:rl:delta:killed:cax:0> { <urn:x> <urn:p> <urn:y> } }"
    )
    assert run_cli("reason", *options).exit_code == 0
    assert mktgraph_graphs(oxigraph) == [current_graph(oxigraph, "urn:mktgraph:defaultGraph")]


def test_remove_drops_the_inferences(run_cli, target):
    server, options, graph = target
    others = frozenset(mktgraph_graphs(server))
    load(run_cli, options, DATA / "classify.ttl")
    assert run_cli("reason", *options).exit_code == 0
    count = len(server_inferences(server, graph))
    removed = run_cli("reason", *options, "--remove")
    assert removed.exit_code == 0, removed.stderr
    assert (
        removed.stdout == f"removed {count:,} inferred facts from graph <{graph}> of {server.url}\n"
    )
    assert current_graph(server, graph) is None
    assert mktgraph_graphs(server, others) == []


def test_virtuoso_needs_a_named_graph(run_cli, virtuoso):
    before = select(virtuoso, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{META}> {{ ?s ?p ?o }} }}")
    result = run_cli("reason", *virtuoso.options())
    assert result.exit_code == 2
    assert result.stderr == (
        "error: virtuoso has no default graph of its own (its queries see every graph, the "
        "inferences too): name the graph of the data with --graph IRI\n"
    )
    after = select(virtuoso, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{META}> {{ ?s ?p ?o }} }}")
    assert after == before


def test_a_read_only_server_says_so(run_cli, oxigraph_server, tmp_path):
    location = tmp_path / "db"
    store = ox.Store(str(location))
    store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:p"), ox.NamedNode("urn:y")))
    del store
    port = Oxigraph(location).port
    process = subprocess.Popen(
        [oxigraph_executable(), "serve-read-only", "--location", str(location), "--bind",
         f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env_without_proxies(),
    )  # fmt: skip
    try:
        assert "Listening for requests at" in process.stdout.readline()
        url = f"http://127.0.0.1:{port}"
        result = run_cli("reason", "--endpoint", url, "--server", "oxigraph")
        assert result.exit_code == 2
        assert result.stderr.startswith(
            "error: the server refuses updates, so no inferences can be kept there (a read-only "
            "server, or a user without write access): POST "
        )
        assert len(result.stderr.splitlines()) == 1
    finally:
        process.terminate()
        process.wait(20)


def test_reasoner_and_explain_do_not_apply(run_cli, oxigraph):
    options = oxigraph.options()
    for extra, words in (
        (["--reasoner", "hermit"], "OWL 2 RL only (--reasoner rl)"),
        (["--explain"], "-o, --format and --explain are for files"),
    ):
        result = run_cli("reason", *options, *extra)
        assert result.exit_code == 2
        assert words in result.stderr
    asked = run_cli("query", "open-leads", *options, "--graph", "urn:x:g", "--reasoner", "rl")
    assert asked.exit_code == 2
    assert "--reasoner does not apply" in asked.stderr


def test_answers_beyond_virtuosos_row_cap_are_paged(run_cli, virtuoso, new_graph, tmp_path):
    """A check query can match more rows than Virtuoso returns at once (10,000): all come back."""
    from mktgraph.reason_server import paged
    from mktgraph.stores import endpoint_spec
    from mktgraph.stores.http import HttpStore

    rows = 12_345
    data = tmp_path / "many.nt"
    data.write_text("".join(f'<urn:x:s{i}> <urn:x:p> "{i}" .\n' for i in range(rows)))
    options = [*virtuoso.options(), "--graph", new_graph]
    assert run_cli("load", str(data), *options).exit_code == 0
    spec = endpoint_spec(virtuoso.url, server="virtuoso", user="dba",
                         password_env="MKTGRAPH_TEST_PASSWORD")  # fmt: skip
    with HttpStore(spec) as store:
        text = f"SELECT ?s ?o WHERE {{ GRAPH <{new_graph}> {{ ?s <urn:x:p> ?o }} }}"
        assert len(store.select_terms(text)[1]) == 10_000  # cut, without an error
        found = paged(store, text, "test")
    assert len(found) == rows
    assert {row[1].value for row in found} == {str(i) for i in range(rows)}


def test_sigterm_during_a_run_leaves_the_inferences_as_they_were(run_cli, oxigraph, new_graph):
    import signal
    import time

    options = [*oxigraph.options(), "--graph", new_graph]
    load(run_cli, options, DATA / "classify.ttl", ontology=True)
    assert run_cli("reason", *options).exit_code == 0
    before = current_graph(oxigraph, new_graph), server_inferences(oxigraph, new_graph)
    process = subprocess.Popen(
        [sys.executable, "-m", "mktgraph", "reason", *options],
        cwd=Path(__file__).parents[2], env=env_without_proxies(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    staging = f"SELECT ?g WHERE {{ GRAPH <{META}> {{ <{new_graph}> <{STAGING}> ?g }} }}"
    deadline = time.monotonic() + 60
    while not select(oxigraph, staging):  # the run has begun writing
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (143, "terminated\n")
    assert (current_graph(oxigraph, new_graph), server_inferences(oxigraph, new_graph)) == before
    assert run_cli("reason", *options).exit_code == 0  # drops whatever the run left
    assert mktgraph_graphs(oxigraph) == [current_graph(oxigraph, new_graph)]
    assert select(oxigraph, staging) == []


def test_a_value_outside_its_range_is_a_contradiction(run_cli, target):
    _server, options, _graph = target
    load(run_cli, options, DATA / "out-of-range.ttl", ontology=True)
    result = run_cli("reason", *options)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[3:6] == [
        "individuals involved: <https://example.org/out-of-range/promo-words>",
        '1. the values of mkt:discountPercent are xsd:decimal, but "twenty" is not',
        '   <https://example.org/out-of-range/promo-words> mkt:discountPercent "twenty" .  '
        "# stated",
    ]
