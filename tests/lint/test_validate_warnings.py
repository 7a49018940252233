"""`validate` warns about terms in mktgraph's namespace that mktgraph does not define."""

from __future__ import annotations

from mktgraph.validate import validate

TYPO_DATA = """\
@prefix mkt: <https://w3id.org/mktgraph/def/> .
@prefix ex: <https://example.org/> .
ex:spring a mkt:Campaign ; mkt:budget 100 .
"""


def test_validate_warns_about_an_unknown_mktgraph_term(tmp_path):
    data = tmp_path / "company.ttl"
    data.write_text(TYPO_DATA)
    result = validate([data], inference="none")
    # The node is typed with a class that no shape targets: SHACL alone says nothing.
    assert result.conforms
    assert result.warnings == [
        "mkt:Campaign is not a term of mktgraph (a typo?): no shape checks what uses it; "
        "see `mktgraph lint`"
    ]


def test_validate_has_no_warnings_for_the_sample_graph():
    assert validate(example=True, inference="none").warnings == []


WARNED = (
    "mkt:Campaign is not a term of mktgraph (a typo?): no shape checks what uses it; "
    "see `mktgraph lint`",
    "mkt:budgett is not a term of mktgraph (a typo?): no shape checks what uses it; "
    "see `mktgraph lint`",
)


def _typos_in(tmp_path, name: str, text: str) -> list[str]:
    from mktgraph.sources import FileSource
    from mktgraph.validate import load_shapes

    data = tmp_path / name
    data.write_text(text, encoding="utf-8")
    return FileSource([data]).validate(load_shapes(), "none").warnings


def test_validate_file_names_the_same_terms_from_every_format(tmp_path):
    # The in-memory store route: N-Triples and Turtle from the blocks the load reads (an
    # escaped IRI included), N-Quads from a scan of the store.
    mkt = "https://w3id.org/mktgraph/def/"
    lines = (
        f"<https://example.org/spring> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        f"<{mkt}Campaign> .\n"
        f'<https://example.org/spring> <{mkt}budg\\u0065tt> "100" .\n'
        f'<https://example.org/spring> <{mkt}hasName> "x" .\n'
    )
    defined = _typos_in(tmp_path, "ok.nt", lines.replace("Campaign", "MarketingCampaign"))
    assert len(defined) == 2 and "hasName" in defined[-1]  # mkt:hasName is no term either
    names = lines.replace(f'<{mkt}hasName> "x"', '<https://schema.org/name> "x"')
    assert _typos_in(tmp_path, "typos.nt", names) == list(WARNED)
    assert _typos_in(tmp_path, "typos.nq", names) == list(WARNED)
    assert _typos_in(tmp_path, "typos.ttl", TYPO_DATA.replace("mkt:budget", "mkt:budgett")) == (
        list(WARNED)
    )


def test_the_ontology_terms_are_passed_over_whole_not_by_prefix():
    from mktgraph.lint import WrittenTerms

    mkt = "https://w3id.org/mktgraph/def/"
    written = WrittenTerms(skip=[mkt + "Lead", mkt + "LeadSource", mkt + "budget"])
    written(f"<a> <{mkt}budget> <{mkt}Lead> .\n<a> <{mkt}Leads> <{mkt}LeadSourc> .\n".encode())
    written(f"<a> <{mkt}LeadSource> <{mkt}Lea> .\n".encode())
    assert written.iris() == {mkt + "Leads", mkt + "LeadSourc", mkt + "Lea"}
