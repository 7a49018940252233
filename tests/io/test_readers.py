"""Every file reader (rdflib graphs, the embedded store, chunks for servers): gzip, a byte-order
mark, standard input, hostile RDF/XML and terms over the parser's buffer."""

from __future__ import annotations

import gzip

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from mktgraph.errors import InputError
from mktgraph.graph import DataFile, check_xml_prolog, load
from mktgraph.stores.chunks import iter_chunks
from mktgraph.stores.embedded import EmbeddedStore, is_store

TRIPLE = '<http://example.org/a> <http://example.org/p> "café" .\n'
EXPECTED = (URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal("café"))
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

# A billion laughs, made small: each entity is ten of the one before.
LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://example.org/">
<rdf:Description rdf:about="http://example.org/a"><ex:p>&c;</ex:p></rdf:Description>
</rdf:RDF>
"""
# What Protégé writes: short entities for namespaces, used in attributes.
PROTEGE = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
    <!ENTITY ex "http://example.org/" >
    <!ENTITY rdf "{RDF_NS}" >
]>
<rdf:RDF xmlns:rdf="&rdf;" xmlns:ex="&ex;">
<rdf:Description rdf:about="&ex;a"><ex:p>café</ex:p></rdf:Description>
</rdf:RDF>
"""


def test_gzipped_input_is_read_by_its_inner_extension(tmp_path):
    path = tmp_path / "data.ttl.gz"
    path.write_bytes(gzip.compress(TRIPLE.encode()))
    assert set(load([path])) == {EXPECTED}


def test_a_utf8_byte_order_mark_is_skipped(tmp_path):
    for name in ("bom.ttl", "bom.nt"):
        path = tmp_path / name
        path.write_bytes(b"\xef\xbb\xbf" + TRIPLE.encode())
        assert set(load([path])) == {EXPECTED}


def test_gzip_and_byte_order_mark_together(tmp_path):
    path = tmp_path / "both.nt.gz"
    path.write_bytes(gzip.compress(b"\xef\xbb\xbf" + TRIPLE.encode()))
    assert set(load([path])) == {EXPECTED}


def test_a_declared_format_overrides_the_extension(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text(TRIPLE)
    with pytest.raises(InputError, match=r"data.txt: unknown file extension '.txt'"):
        load([path])
    assert set(load([DataFile(str(path), "nt")])) == {EXPECTED}


def test_a_truncated_gzip_file_is_one_line_naming_it(tmp_path):
    path = tmp_path / "cut.ttl.gz"
    path.write_bytes(gzip.compress(TRIPLE.encode() * 100)[:-12])
    with pytest.raises(InputError) as caught:
        load([path])
    assert str(caught.value) == (
        f"{path}: cannot read: Compressed file ended before the end-of-stream marker was reached"
    )


def test_nested_entities_are_refused_before_parsing(tmp_path):
    path = tmp_path / "laughs.rdf"
    path.write_text(LAUGHS)
    with pytest.raises(InputError) as caught:
        load([path])
    assert str(caught.value).startswith(f"{path}: RDF/XML declaring an entity that is external")


@pytest.mark.parametrize(
    "declaration",
    [
        '<!ENTITY x SYSTEM "file:///etc/passwd">',
        '<!ENTITY % p "x">',
        f'<!ENTITY x "{"y" * 1025}">',
        '<!ENTITY x "<a/>">',
    ],
)
def test_external_parameter_long_or_markup_entities_are_refused(declaration):
    head = f"<?xml version='1.0'?>\n<!-- c -->\n<!DOCTYPE r [ {declaration} ]>\n<r/>".encode()
    with pytest.raises(InputError, match="refused"):
        check_xml_prolog(head, "f.rdf")


def test_short_namespace_entities_as_protege_writes_them_are_read(tmp_path):
    path = tmp_path / "protege.owl"
    path.write_text(PROTEGE)
    assert set(load([path])) == {EXPECTED}


def test_many_references_to_a_short_entity_are_refused_past_64_mb(tmp_path):
    head = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY kb "{"k" * 1024}">]>
<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://example.org/">
<rdf:Description rdf:about="http://example.org/a"><ex:p>"""
    tail = "</ex:p></rdf:Description>\n</rdf:RDF>\n"
    slow_bomb = tmp_path / "slow-bomb.rdf"
    slow_bomb.write_text(head + "&kb;" * 70_000 + tail)  # 280 KB that would make 70 MB
    with pytest.raises(InputError) as caught:
        load([slow_bomb])
    assert str(caught.value) == (
        f"{slow_bomb}: RDF/XML whose entity references expand to over 64 MB: refused"
    )
    fine = tmp_path / "fine.rdf"
    fine.write_text(head + "&kb;" * 3 + tail)
    assert {str(o) for _s, _p, o in load([fine])} == {"k" * 3072}


def test_doctype_text_inside_the_body_is_not_a_doctype():
    check_xml_prolog(b'<?xml version="1.0"?><r>&lt;!DOCTYPE x [<!ENTITY a "&b;">]></r>', "f")


def test_a_literal_over_the_parser_buffer_is_one_line_naming_the_file(tmp_path):
    path = tmp_path / "huge.nt"
    path.write_text('<http://example.org/a> <http://example.org/p> "' + "x" * (17 << 20) + '" .\n')
    with pytest.raises(InputError) as caught:
        load([path])
    assert str(caught.value) == (
        f"{path}: a term (a literal or an IRI) longer than 16 MB, more than mktgraph's parser holds"
    )


def test_the_embedded_store_reads_gzip_and_byte_order_marks(tmp_path):
    gz = tmp_path / "data.nt.gz"
    gz.write_bytes(gzip.compress(TRIPLE.encode()))
    bom = tmp_path / "bom.ttl"
    bom.write_bytes(b"\xef\xbb\xbf" + TRIPLE.replace("café", "thé").encode())
    with EmbeddedStore(tmp_path / "store", create=True) as store:
        store.load([gz, bom])
        predicate = ox.NamedNode("http://example.org/p")
        values = {q.object.value for q in store.oxigraph.quads_for_pattern(None, predicate, None)}
    assert values == {"café", "thé"}


def test_the_embedded_store_refuses_entities_and_huge_literals(tmp_path):
    laughs = tmp_path / "laughs.rdf"
    laughs.write_text(LAUGHS)
    huge = tmp_path / "huge.ttl"
    huge.write_text('<http://example.org/a> <http://example.org/p> "' + "x" * (17 << 20) + '" .\n')
    with EmbeddedStore(tmp_path / "store", create=True) as store:
        with pytest.raises(InputError, match="laughs.rdf: RDF/XML declaring an entity"):
            store.load([laughs])
        with pytest.raises(InputError, match="huge.ttl: a term .* longer than 16 MB"):
            store.load([huge])


def test_chunks_for_servers_read_gzip(tmp_path):
    gz = tmp_path / "data.nt.gz"
    gz.write_bytes(gzip.compress(TRIPLE.encode()))
    chunks = list(iter_chunks([gz]))
    assert [(chunk.triples, chunk.data) for chunk in chunks] == [(1, TRIPLE.encode())]


def test_a_failed_load_into_a_new_store_leaves_no_store(tmp_path):
    from mktgraph.api import load_data
    from mktgraph.sources import SourceSpec

    def load_store(data, folder):
        return load_data(SourceSpec(store=folder), data)

    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://example.org/a> <http://example.org/p> .\n")
    for data in ([tmp_path / "missing.ttl"], [bad]):
        with pytest.raises(InputError):
            load_store(data, tmp_path / "new")
        assert not (tmp_path / "new").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError):
        load_store([bad], empty)
    assert empty.is_dir() and not any(empty.iterdir())
    assert not is_store(empty)
