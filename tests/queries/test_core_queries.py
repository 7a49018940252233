"""Exact answers of the core named queries over the bundled ontology."""

from __future__ import annotations

from mktgraph.api import run_query


def rows(name: str, **params: str) -> list[tuple[str, ...]]:
    result = run_query(name, params=params)
    return [tuple("" if v is None else str(v) for v in row) for row in result]


def test_sales_vs_marketing_has_the_articles_eight_dimensions_in_order():
    answer = run_query("sales-vs-marketing")
    assert [str(v) for v in answer.vars] == ["dimension", "marketing", "sales"]
    assert [row[0] for row in rows("sales-vs-marketing")] == [
        "audience",
        "strategy",
        "time horizon",
        "targets",
        "product",
        "buying cycle",
        "promotion",
        "reputation",
    ]


def test_sales_vs_marketing_first_rows_give_each_side():
    first, second = rows("sales-vs-marketing")[:2]
    assert first == (
        "audience",
        "One to many: a single campaign reaches many people at once.",
        "One to one: a sale happens when one person helps another across the line to become "
        "a customer.",
    )
    assert second == (
        "strategy",
        "Pull: draws people towards the company and its products.",
        "Push: moves people over the line to a purchase.",
    )


def test_end_to_end_runs_from_research_to_retention_with_sales_near_the_end():
    assert [(r[0], r[1], r[2], r[3]) for r in rows("end-to-end")] == [
        ("1", "understand the market", "market research", "false"),
        ("2", "segment, target and position", "segmentation, targeting and positioning", "false"),
        ("3", "create value", "value creation", "false"),
        ("4", "set prices", "pricing strategy", "false"),
        ("5", "build the brand and promote", "advertising", "false"),
        ("5", "build the brand and promote", "brand management", "false"),
        ("6", "generate leads", "lead generation", "false"),
        ("7", "close the deal", "sales activity", "true"),
        ("8", "keep the customer", "customer relationship management", "false"),
    ]


def test_marketing_activities_lists_every_kind_in_label_order_and_marks_sales():
    found = [(r[0].rsplit("/", 1)[-1], r[3]) for r in rows("marketing-activities")]
    assert found == [
        ("Advertising", "false"),
        ("BrandManagement", "false"),
        ("BrandPromotion", "false"),
        ("CustomerRelationshipManagement", "false"),
        ("Deal", "true"),
        ("DiscountPromotion", "false"),
        ("LeadGeneration", "false"),
        ("LostDeal", "true"),
        ("MarketResearch", "false"),
        ("MarketingCampaign", "false"),
        ("OneToManyActivity", "false"),
        ("OneToOneActivity", "false"),
        ("OpenDeal", "true"),
        ("PriceDecision", "false"),
        ("PricingStrategy", "false"),
        ("Promotion", "false"),
        ("SalesActivity", "true"),
        ("TargetMarketing", "false"),
        ("ServiceQualityAssessment", "false"),
        ("TargetingDecision", "false"),
        ("ValueCreation", "false"),
        ("WonDeal", "true"),
    ]
    assert all(r[2] for r in rows("marketing-activities")), "every kind has a definition"
