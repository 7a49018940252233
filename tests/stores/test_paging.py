"""How a SELECT query is paged on servers that cut answers (the text of each page)."""

from __future__ import annotations

from mktgraph.stores.http import paged_query, projected_variables

PREFIXES = "PREFIX ex: <https://example.org/>\n# a comment with a } brace\n"


def test_the_query_goes_whole_into_an_ordered_subquery():
    text = PREFIXES + "SELECT ?a ?b WHERE { ?a ex:p ?b } ORDER BY DESC(?b)\n"
    paging = paged_query(text, ["a", "b"])
    assert (paging.start, paging.limit) == (0, None)
    assert paging.page(20, 10) == (
        "PREFIX ex: <https://example.org/>\n# a comment with a } brace\n"
        "SELECT ?a ?b WHERE {\n{ SELECT ?a ?b WHERE { ?a ex:p ?b } ORDER BY DESC(?b) ?a ?b\n}\n}"
        " LIMIT 10 OFFSET 20"
    )


def test_an_unordered_query_is_ordered_by_its_variables():
    text = "SELECT ?a WHERE { ?a ?p ?o } GROUP BY ?a HAVING (COUNT(?o) > 1)"
    assert paged_query(text, ["a"]).page(0, 5) == (
        "SELECT ?a WHERE {\n{ SELECT ?a WHERE { ?a ?p ?o } GROUP BY ?a HAVING (COUNT(?o) > 1) "
        "ORDER BY ?a\n}\n} LIMIT 5 OFFSET 0"
    )


def test_its_own_limit_and_offset_become_the_slice_paged_through():
    paging = paged_query("SELECT ?a WHERE { ?a ?p ?o } ORDER BY ?a LIMIT 15000 OFFSET 7", ["a"])
    assert (paging.start, paging.limit) == (7, 15_000)
    assert "LIMIT 15000" not in paging.page(7, 10)
    assert paged_query("SELECT ?a WHERE { ?a ?p ?o } OFFSET 3 LIMIT 2", ["a"]).limit == 2


def test_a_trailing_values_clause_cannot_be_paged():
    assert paged_query("SELECT ?a WHERE { ?a ?p ?o } VALUES ?a { <x:y> }", ["a"]) is None
    inner = paged_query("SELECT ?a WHERE { ?a ?p ?o VALUES ?a { <x:y> } }", ["a"])
    assert inner is not None
    assert paged_query("SELECT * WHERE { ?a ?p ?o }", []) is None


def test_projected_variables_come_from_the_parsed_query():
    assert projected_variables(PREFIXES + "SELECT ?b (COUNT(?a) AS ?n) WHERE { ?a ex:p ?b } "
                               "GROUP BY ?b") == ["b", "n"]  # fmt: skip
    assert projected_variables("SELECT WHERE oops") == []
