"""`validate --endpoint` runs the compiled SHACL queries inside the server: the same report as
`validate --store` and as pySHACL on the files, on an Oxigraph server and on Virtuoso, with
literals judged and shown as written; unusable shapes are one line and exit 2."""

from __future__ import annotations

import pytest
from sparql_servers import write

pytestmark = pytest.mark.integration

# Two writings of one amount (two values for sh:maxCount 1), a negative amount written with two
# decimals (reported as written), respondents as xsd:int (not the xsd:integer the shape wants).
AS_WRITTEN = """\
@prefix ex: <https://example.org/written/> .
@prefix mkt: <https://w3id.org/mktgraph/def/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:m1 a schema:MonetaryAmount ; schema:currency "EUR" ;
    schema:value "1500.0"^^xsd:decimal, "1500.00"^^xsd:decimal .
ex:m2 a schema:MonetaryAmount ; schema:currency "EUR" ; schema:value -5.50 .
ex:s a mkt:ServiceQualityAssessment ; mkt:respondents "40"^^xsd:int .
"""


def test_the_server_validates_as_the_store_and_pyshacl(run_cli, target, tmp_path):
    _server, options = target
    data = write(tmp_path / "written.ttl", AS_WRITTEN)
    loaded = run_cli("load", str(data), "--with-ontology", "--replace", *options)
    assert loaded.exit_code == 0, loaded.stderr
    stored = run_cli("load", str(data), "--store", str(tmp_path / "store"))
    assert stored.exit_code == 0, stored.stderr
    remote = run_cli("validate", "--format", "csv", *options)
    in_store = run_cli("validate", "--format", "csv", "--store", str(tmp_path / "store"))
    files = run_cli("validate", "--format", "csv", str(data))  # pySHACL
    assert files.exit_code == 1, files.stderr
    assert (remote.exit_code, remote.stdout) == (files.exit_code, files.stdout), remote.stderr
    assert (in_store.exit_code, in_store.stdout) == (files.exit_code, files.stdout)
    assert remote.stderr == files.stderr
    rows = files.stdout.splitlines()
    assert any("m1,schema:value,,violation" in row and "MaxCount" in row for row in rows)
    assert any("m2,schema:value,-5.50," in row and "MinInclusive" in row for row in rows)
    assert any("/s,mkt:respondents,40," in row and "Datatype" in row for row in rows)


def test_the_sample_graph_through_the_server_never_downloads_it(oxigraph, tmp_path):
    from mktgraph import resources
    from mktgraph.api import load_data
    from mktgraph.fastshacl import validate_endpoint
    from mktgraph.graph import load
    from mktgraph.sources import SourceSpec
    from mktgraph.stores import EndpointSpec
    from mktgraph.stores.http import HttpStore

    spec = EndpointSpec(url=oxigraph.url, server="oxigraph")
    load_data(SourceSpec(endpoint=spec), example=True, with_ontology=True, replace=True)
    with HttpStore(spec) as store:
        size = len(store.fetch().serialize(format="nt").encode())
        fast, received = validate_endpoint(store, load(resources.shape_files()))
    assert fast.conforms
    assert 0 < received < size / 5


def test_unusable_shapes_through_a_server_are_one_line_and_exit_2(run_cli, oxigraph, tmp_path):
    shapes = write(
        tmp_path / "shapes.ttl",
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://example.org/S> sh:targetNode <https://example.org/a> ;\n"
        '  sh:property [ sh:path <https://example.org/p> ; sh:pattern "(" ] .\n',
    )
    loaded = run_cli("load", "--example", "--with-ontology", "--replace", *oxigraph.options())
    assert loaded.exit_code == 0, loaded.stderr
    result = run_cli("validate", "--shapes", str(shapes), *oxigraph.options())
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_query_the_server_refuses_names_the_shape_and_exits_2(
    run_cli, virtuoso, new_graph, tmp_path
):
    # Virtuoso refuses a query holding an ill-typed literal ("aldi"^^xsd:integer): pySHACL
    # takes such a focus node, so the compiled query holds it, and the server says no.
    shapes = write(
        tmp_path / "shapes.ttl",
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://example.org/OddShape> sh:targetNode "aldi"^^xsd:integer ;\n'
        "  sh:datatype xsd:integer .\n",
    )
    options = [*virtuoso.options(), "--graph", new_graph]
    loaded = run_cli("load", "--example", "--with-ontology", "--replace", *options)
    assert loaded.exit_code == 0, loaded.stderr
    result = run_cli("validate", "--shapes", str(shapes), *options)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "shape https://example.org/OddShape: the server refused a compiled query" in lines[0]
    assert "HTTP 400" in lines[0] and "Virtuoso" in lines[0]


def test_a_shape_left_to_pyshacl_fetches_only_what_it_reads(run_cli, oxigraph, tmp_path):
    from mktgraph.sources import open_source
    from mktgraph.stores import EndpointSpec

    shapes = write(
        tmp_path / "qualified.ttl",
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix mkt: <https://w3id.org/mktgraph/def/> .\n"
        "<https://example.org/WonDealShape> sh:targetClass mkt:Deal ;\n"
        "  sh:property <https://example.org/WonDealShape-stage> .\n"
        "<https://example.org/WonDealShape-stage> sh:path mkt:dealStage ;\n"
        "  sh:qualifiedValueShape <https://example.org/Won> ; sh:qualifiedMinCount 1 .\n"
        "<https://example.org/Won> sh:in ( mkt:WonStage ) .\n",
    )
    loaded = run_cli("load", "--example", "--with-ontology", "--replace", *oxigraph.options())
    assert loaded.exit_code == 0, loaded.stderr
    remote = run_cli("validate", "--format", "csv", "--shapes", str(shapes), *oxigraph.options())
    files = run_cli("validate", "--format", "csv", "--shapes", str(shapes), "--example")
    assert files.exit_code == 1
    assert (remote.exit_code, remote.stdout) == (files.exit_code, files.stdout)
    assert "WonDealShape" in remote.stderr and "pySHACL validates it" in remote.stderr
    assert "QualifiedMinCount" in files.stdout
    # Without inference only the triples of rdf:type, rdfs:subClassOf and mkt:dealStage come.
    spec = EndpointSpec(url=oxigraph.url, server="oxigraph")
    with open_source(endpoint=spec) as source:
        import io

        from mktgraph.graph import load

        written = io.BytesIO()
        source.export(written, "nt")
        size = len(written.getvalue())
        before = source.store.bytes_received
        source.validate(load([shapes]), "none")
        received = source.store.bytes_received - before
    assert received < size / 3, (received, size)


def test_answers_past_virtuosos_row_cap_are_read_in_pages(virtuoso, new_graph, tmp_path):
    from sparql_servers import PASSWORD_VARIABLE

    from mktgraph.graph import load
    from mktgraph.sources import open_source
    from mktgraph.stores import endpoint_spec

    lines = [
        f"<https://example.org/s> <https://example.org/p> <https://example.org/o{n}> ."
        for n in range(10_500)
    ]
    data = write(tmp_path / "many.nt", "\n".join(lines) + "\n")
    shapes = write(
        tmp_path / "shapes.ttl",
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://example.org/S> sh:targetNode <https://example.org/s> ;\n"
        "  sh:property [ sh:path <https://example.org/p> ; sh:nodeKind sh:Literal ] .\n",
    )
    spec = endpoint_spec(
        virtuoso.url, server="virtuoso", user="dba", password_env=PASSWORD_VARIABLE
    )
    with open_source(endpoint=spec, graph=new_graph, writable=True) as source:
        source.load([data], replace=True)
        result = source.validate(load([shapes]), "none")
    assert len(result.rows) == 10_500  # more than the 10,000 rows Virtuoso gives at once
    assert len({row.value for row in result.rows}) == 10_500


# The same writings on blank nodes: one amount of its own, one hanging off a named node. The
# server holds blank nodes as skolem IRIs named from the file, and the records of their
# literals name them alike (fastshacl/lexical.py), so they too are judged as written.
BLANK_AS_WRITTEN = """\
@prefix ex: <https://example.org/written/> .
@prefix mkt: <https://w3id.org/mktgraph/def/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
[] a schema:MonetaryAmount ; schema:currency "EUR" ;
    schema:value "1500.0"^^xsd:decimal, "1500.00"^^xsd:decimal .
ex:offer schema:priceSpecification [ a schema:MonetaryAmount ; schema:currency "EUR" ;
    schema:value -5.50 ] .
"""


def _blank_labels_hidden(csv_text: str) -> list[str]:
    """The rows, sorted, with blank node labels (which differ from engine to engine) hidden."""
    import re

    return sorted(re.sub(r"_:[^,]*", "_:b", row) for row in csv_text.splitlines())


def test_literals_of_blank_nodes_are_judged_as_written_on_the_server(run_cli, target, tmp_path):
    _server, options = target
    data = write(tmp_path / "blank.ttl", BLANK_AS_WRITTEN)
    loaded = run_cli("load", str(data), "--with-ontology", "--replace", *options)
    assert loaded.exit_code == 0, loaded.stderr
    remote = run_cli("validate", "--format", "csv", *options)
    files = run_cli("validate", "--format", "csv", str(data))  # pySHACL
    assert files.exit_code == 1, files.stderr
    assert remote.exit_code == files.exit_code, remote.stderr
    assert _blank_labels_hidden(remote.stdout) == _blank_labels_hidden(files.stdout)
    rows = _blank_labels_hidden(files.stdout)
    assert any(row.startswith("_:b,schema:value,,violation") and "MaxCount" in row for row in rows)
    assert any(row.startswith("_:b,schema:value,-5.50,") and "MinInclusive" in row for row in rows)
