"""Exact answers of the instance-level named queries over the sample knowledge graph, and the
same answers from Oxigraph (the queries are plain SPARQL 1.1, not rdflib dialect)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal

from mktgraph.api import run_query
from mktgraph.graph import load_with_ontology
from mktgraph.queries import named_queries

NW = "https://example.org/northwind/"
INSTANCE_QUERIES = ("lead-to-deal", "open-leads", "activities-by-discipline", "service-gaps")


def rows(name: str) -> list[tuple[str, ...]]:
    result = run_query(name, example=True)
    return [tuple("" if v is None else str(v) for v in row) for row in result]


def columns(name: str) -> list[str]:
    return [str(v) for v in run_query(name, example=True).vars]


def test_lead_to_deal_per_campaign():
    assert columns("lead-to-deal") == [
        "campaign",
        "name",
        "channel",
        "leads",
        "deals",
        "won",
        "conversionRate",
    ]
    assert rows("lead-to-deal") == [
        (NW + "campaign-search-spring", "Spring search ads for online shops",
         "search channel", "8", "3", "2", "0.25"),
        (NW + "campaign-retail-webinars", "Retail margin webinar series",
         "webinar channel", "7", "3", "1", "0.143"),
        (NW + "campaign-retail-expo", "Stand at the Retail Tech Expo",
         "event channel", "5", "3", "1", "0.2"),
        # No leads: the conversion rate is undefined, so empty.
        (NW + "campaign-margin-display", "'Know your margin' display ads for wholesalers",
         "display advertising channel", "0", "0", "0", ""),
    ]  # fmt: skip


def test_lead_to_deal_rate_is_a_decimal_rounded_to_three_places():
    result = run_query("lead-to-deal", example=True)
    rates = [row.conversionRate for row in result if row.conversionRate is not None]
    assert [r.datatype.rsplit("#")[-1] for r in rates] == ["decimal"] * 3
    assert [r.toPython() for r in rates] == [Decimal("0.25"), Decimal("0.143"), Decimal("0.2")]


def test_open_leads_are_those_no_deal_works_oldest_first():
    assert columns("open-leads") == [
        "lead",
        "prospect",
        "contactEmail",
        "generatedBy",
        "createdAt",
    ]
    webinars = "Retail margin webinar series"
    search = "Spring search ads for online shops"
    expo = "Stand at the Retail Tech Expo"
    assert rows("open-leads") == [
        (NW + "lead-02", "Rhein Fashion Outlets AG", "m.schneider@rhein-fashion.example",
         webinars, "2024-02-08T11:40:00+01:00"),
        (NW + "lead-04", "Jana Berger", "jana@berger-buecher.example",
         webinars, "2024-02-22T16:30:00+01:00"),
        (NW + "lead-06", "Brixen Home & Living", "s.pichler@brixen-home.example",
         webinars, "2024-03-07T10:20:00+01:00"),
        (NW + "lead-09", "Luca Rossi", "luca.rossi@rossi-design.example",
         search, "2024-03-12T08:45:00+01:00"),
        (NW + "lead-07", "Kaufhaus Lindner", "controlling@kaufhaus-lindner.example",
         webinars, "2024-03-21T14:00:00+01:00"),
        (NW + "lead-11", "VeloParts24", "k.meier@veloparts24.example",
         search, "2024-04-02T09:10:00+02:00"),
        (NW + "lead-18", "Seeblick Optik", "p.lang@seeblick-optik.example",
         expo, "2024-04-17T11:20:00+02:00"),
        (NW + "lead-20", "Felix Braun", "felix.braun@braun-consulting.example",
         expo, "2024-04-18T12:40:00+02:00"),
        (NW + "lead-13", "Mia Wagner", "mia@wagner-keramik.example",
         search, "2024-04-23T11:00:00+02:00"),
        (NW + "lead-14", "Hoffmann Gourmet", "b.hoffmann@hoffmann-gourmet.example",
         search, "2024-05-06T15:25:00+02:00"),
        (NW + "lead-15", "Brixen Home & Living", "einkauf@brixen-home.example",
         search, "2024-05-20T10:00:00+02:00"),
        (NW + "lead-22", "Optima Apotheken", "n.yilmaz@optima-apotheken.example",
         "Customer referral programme 2024", "2024-07-03T14:10:00+02:00"),
        (NW + "lead-23", "Tannenhof Möbel", "e.koch@tannenhof-moebel.example",
         "Sponsorship of Retail Data Day 2024", "2024-09-12T13:15:00+02:00"),
        (NW + "lead-24", "Clara Vogel", "clara.vogel@vogel-retail.example",
         "Sponsorship of Retail Data Day 2024", "2024-09-12T16:50:00+02:00"),
    ]  # fmt: skip


def test_open_leads_sees_a_deal_stated_only_through_workedBy(tmp_path):
    data = tmp_path / "inverse.ttl"
    data.write_text(
        "@prefix mkt: <https://w3id.org/mktgraph/def/> .\n"
        f"<{NW}lead-24> mkt:workedBy <{NW}deal-99> .\n"
        f"<{NW}deal-99> a mkt:Deal ; mkt:dealStage mkt:OpenStage .\n",
        encoding="utf-8",
    )
    result = run_query("open-leads", [str(data)], example=True)
    leads = [str(row.lead) for row in result]
    assert len(leads) == 13 and NW + "lead-24" not in leads


def test_activities_by_discipline_counts_deals_as_marketing_too():
    assert columns("activities-by-discipline") == ["discipline", "activities"]
    # 10 deals are the sales activities; the other 18: 4 campaigns, 4 promotions,
    # 2 price decisions, 2 service quality assessments, 1 targeting decision, and one each of
    # market research, value creation, brand management, CRM and lead generation.
    assert rows("activities-by-discipline") == [
        ("marketing", "28"),
        ("sales", "10"),
        ("marketing other than sales", "18"),
    ]


def test_activities_by_discipline_without_data_counts_nothing():
    result = run_query("activities-by-discipline")
    assert [(str(r[0]), str(r[1])) for r in result] == [
        ("marketing", "0"),
        ("sales", "0"),
        ("marketing other than sales", "0"),
    ]


def test_service_gaps_per_dimension_in_servqual_order():
    assert columns("service-gaps") == [
        "service",
        "dimension",
        "expectation",
        "perception",
        "gap",
        "assessments",
    ]
    service = "Northwind Managed Analytics"
    assert rows("service-gaps") == [
        (service, "tangibles", "5.5", "5.7", "0.2", "2"),
        (service, "reliability", "6.5", "5.9", "-0.6", "2"),
        (service, "responsiveness", "6.2", "5.4", "-0.8", "2"),
        (service, "assurance", "6.1", "6.2", "0.1", "2"),
        (service, "empathy", "5.85", "5.7", "-0.15", "2"),
    ]


@pytest.mark.parametrize("name", INSTANCE_QUERIES)
def test_each_instance_query_is_named_and_documented(name):
    query = named_queries()[name]
    assert query.title and query.description and query.parameters == ()
    assert "ORDER BY" in query.text


def _value(term):
    """A term compared by value: Oxigraph writes canonical lexical forms, rdflib keeps them."""
    if term is None:
        return None
    if isinstance(term, Literal):
        return term.toPython() if term.datatype else str(term)
    return str(term)


def _ox_value(term):
    if term is None:
        return None
    import pyoxigraph as ox

    if isinstance(term, ox.Literal):
        if term.language:
            return str(term.value)
        return _value(Literal(term.value, datatype=term.datatype.value))
    return term.value


@pytest.fixture(scope="module")
def oxigraph_store():
    import pyoxigraph as ox

    graph = load_with_ontology(example=True)
    store = ox.Store()
    store.load(graph.serialize(format="nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


@pytest.mark.parametrize("name", INSTANCE_QUERIES)
def test_oxigraph_gives_the_same_rows(name, oxigraph_store):
    expected = [tuple(_value(v) for v in row) for row in run_query(name, example=True)]
    answer = oxigraph_store.query(named_queries()[name].text)
    got = [tuple(_ox_value(s[v]) for v in answer.variables) for s in answer]
    assert got == expected
