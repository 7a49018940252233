"""A seeded generator of company knowledge graphs in mktgraph's vocabulary, for benchmarks.

The graph is what a CRM exports over years: campaigns with their budgets and segments, the
leads they generate, the prospects behind them, the deals that work the leads, promotions, offers
and price decisions, products and services at Kotler's levels, SERVQUAL assessments and framework
analyses. At ``--violations 0`` it conforms to every shape in shapes/ (no result of any severity);
at a rate r, about r of the entities that can break a shape break one, the kinds taken in turn so
that every kind appears once there are enough entities. The same seed gives the same bytes.

    python benchmarks/generate.py --triples 100000 --violations 0.01 --seed 1 -o company.nt

N-Triples for ``.nt``, Turtle (streamed, with mktgraph's prefixes) for ``.ttl``. The injected
violations are listed with ``--manifest FILE`` (JSON: kind -> count).

``--realistic`` writes the same entities the way exported company data often looks: about 70%
of money amounts as blank nodes, decimals as written with two places (``490.00``, which stores
keep canonically as ``490``), whole numbers as ``xsd:integer`` (some with a leading zero) and,
wrongly, as ``xsd:int`` or ``xsd:long``, timestamps in mixed time zones (``Z``, ``+01:00``,
``-05:00`` and none), names in English, German and French, long descriptions (quotes, line
breaks, accents), customers, several price decisions and positioning statements per catalogue,
and, at a violation rate above 0, violations of every (shape, constraint) pair of shapes/ (the
EDITS below; benchmarks/shape_pairs.py checks that none is missing): the first entities of each
kind get one edit each, in turn, then about the given rate of them. Its choices come from a
random stream of their own: without --realistic the graph is the same as before it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

EX = "https://example.org/bench/"
MKT = "https://w3id.org/mktgraph/def/"
SCHEMA = "https://schema.org/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD = "http://www.w3.org/2001/XMLSchema#"

CHANNELS = ["EmailChannel", "WebinarChannel", "SocialMediaChannel", "SearchChannel",
            "EventChannel", "PrintChannel", "DisplayChannel"]  # fmt: skip
STAGES = ["OpenStage", "WonStage", "LostStage"]
MIX = ["ProductElement", "PriceElement", "PlaceElement", "PromotionElement",
       "PeopleElement", "ProcessElement", "PhysicalEvidenceElement"]  # fmt: skip
LEVELS = ["CoreCustomerValue", "ActualProduct", "ThreeLevelAugmentedProduct"]
DIMENSIONS = ["Tangibles", "Reliability", "Responsiveness", "Assurance", "Empathy"]
FRAMEWORK_COMPONENTS = {
    "FourPs": ["ProductElement", "PriceElement", "PlaceElement", "PromotionElement"],
    "ThreeCs": ["CustomersC", "CompetitorsC", "CompanyC"],
    "STPModel": ["SegmentationStep", "TargetingStep", "PositioningStep"],
}
_WORDS = (
    "alpine baltic cedar delta ember fjord granite harbor iris juniper kestrel linden maple "
    "nordic orchid pine quartz river summit tundra umber valley willow xenon yarrow zephyr"
)
WORDS = _WORDS.split()
FORMS = ["GmbH", "AG", "KG", "Ltd", "SAS", "BV", "Oy", "AB"]
FIRST = [
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Eva",
    "Felix",
    "Greta",
    "Hugo",
    "Ida",
    "Jonas",
    "Klara",
    "Luca",
    "Mia",
    "Noah",
    "Olga",
    "Paul",
]
LAST = [
    "Berger",
    "Fischer",
    "Huber",
    "Keller",
    "Lang",
    "Meier",
    "Pichler",
    "Roth",
    "Schulz",
    "Vogel",
    "Wagner",
    "Weber",
]

# Violation kinds by the entity that carries them: (kind, shape, constraint component).
KINDS: dict[str, list[tuple[str, str, str]]] = {
    "lead": [
        ("lead-without-prospect", "Lead-prospect", "MinCount"),
        ("lead-two-sources", "Lead-generatedBy", "MaxCount"),
        ("lead-created-as-date", "Lead-createdAt", "Datatype"),
        ("lead-created-ill-typed", "Lead-createdAt", "Datatype"),
        ("lead-bad-email", "Lead-contactEmail", "Pattern"),
        ("lead-without-email", "Lead-contactEmail-missing", "MinCount"),
        ("lead-from-segment", "Lead-generatedBy", "Class"),
    ],
    "deal": [
        ("deal-works-prospect", "Deal-worksLead", "Class"),
        ("deal-unknown-stage", "Deal-dealStage", "In"),
        ("deal-won-without-amount", "WonDealShape", "Or"),
        ("deal-closed-without-date", "ClosedDealShape", "Or"),
        ("deal-close-date-text", "Deal-closeDate", "Datatype"),
        ("deal-two-stages", "Deal-dealStage", "MaxCount"),
    ],
    "campaign": [
        ("campaign-ends-before-start", "MarketingCampaign-startDate-order", "LessThanOrEquals"),
        ("campaign-unknown-channel", "MarketingCampaign-channel", "In"),
        ("campaign-without-end", "MarketingCampaign-endDate-missing", "MinCount"),
        ("campaign-negative-budget", "MonetaryAmount-value", "MinInclusive"),
        ("campaign-lowercase-currency", "MonetaryAmount-currency", "Pattern"),
        ("campaign-without-start", "MarketingCampaign-startDate", "MinCount"),
    ],
    "prospect": [
        ("prospect-untyped-party", "ProspectShape", "Or"),
        ("prospect-without-name", "Prospect-name", "MinCount"),
    ],
    "promotion": [
        ("discount-over-100", "DiscountPromotion-discountPercent", "MaxInclusive"),
        ("discount-deep", "DiscountPromotion-discountPercent-deep", "MaxInclusive"),
    ],
    "assessment": [
        ("assessment-four-scores", "ServiceQualityAssessment-hasScore-five", "MinCount"),
        ("score-out-of-scale", "ServqualScore-perceptionScore", "MaxInclusive"),
    ],
    "analysis": [
        ("finding-without-analysis", "Finding-hasFindingOf", "MinCount"),
        ("analysis-subject-text", "FrameworkAnalysis-analysisSubject", "NodeKind"),
    ],
}

# --realistic's violations of the (shape, constraint) pairs KINDS leaves out: each an edit of one
# entity's lines, (kind, shape, component, operation, predicate, value). Operations on the
# entity's first line with the predicate: "drop" it ("drop-all": every one), "replace" its object
# with the value, "extra" (a second line with the value after it); "add" appends a line. A value
# is an N-Triples term, or a name Generator.resolve turns into one (another segment, an IRI with
# no type, the same number as xsd:int, ...). Where an entity has no line to edit (another kind
# removed it), the edit waits for the next entity of its kind.
_M = f"<{MKT}"
EDITS: dict[str, list[tuple[str, str, str, str, str, str]]] = {
    "segment": [
        ("segment-without-name", "MarketSegment-name", "MinCount", "drop", "schema:name", ""),
        ("segment-name-iri", "MarketSegment-name", "NodeKind", "replace", "schema:name", "iri"),
    ],
    "product": [
        ("product-without-name", "Product-name", "MinCount", "drop-all", "schema:name", ""),
        ("product-name-iri", "Product-name", "NodeKind", "replace", "schema:name", "iri"),
        ("product-level-untyped", "Product-describedAtLevel", "Class", "replace",
         "mkt:describedAtLevel", "untyped"),
    ],
    "service": [
        ("service-without-name", "Service-name", "MinCount", "drop-all", "schema:name", ""),
        ("service-name-iri", "Service-name", "NodeKind", "replace", "schema:name", "iri"),
        ("service-level-untyped", "Service-describedAtLevel", "Class", "replace",
         "mkt:describedAtLevel", "untyped"),
    ],
    "level": [
        ("level-missing", "ProductLevelDescription-atLevel", "MinCount", "drop", "mkt:atLevel", ""),
        ("level-twice", "ProductLevelDescription-atLevel", "MaxCount", "extra", "mkt:atLevel",
         "other-level"),
        ("level-not-a-level", "ProductLevelDescription-atLevel", "Class", "replace", "mkt:atLevel",
         _M + "PriceElement>"),
        ("level-without-detail", "ProductLevelDescription-levelDetail", "MinCount", "drop",
         "mkt:levelDetail", ""),
        ("level-detail-iri", "ProductLevelDescription-levelDetail", "NodeKind", "replace",
         "mkt:levelDetail", "iri"),
    ],
    "offer": [
        ("offer-without-item", "Offer-itemOffered", "MinCount", "drop", "schema:itemOffered", ""),
        ("offer-of-segment", "Offer-itemOffered", "Or", "replace", "schema:itemOffered", "segment"),
        ("offer-element-untyped", "Offer-addressesElement", "Class", "replace",
         "mkt:addressesElement", "untyped"),
        ("offer-two-prices", "Offer-price", "MaxCount", "extra", "schema:price",
         f'"99.00"^^<{XSD}decimal>'),
        ("offer-price-text", "Offer-price", "Or", "replace", "schema:price", '"490,00 EUR"'),
        ("offer-negative-price", "Offer-price", "MinInclusive", "replace", "schema:price",
         f'"-10.00"^^<{XSD}decimal>'),
        ("offer-two-currencies", "Offer-priceCurrency", "MaxCount", "extra",
         "schema:priceCurrency", '"USD"'),
        ("offer-currency-tagged", "Offer-priceCurrency", "Datatype", "replace",
         "schema:priceCurrency", '"EUR"@en'),
        ("offer-currency-name", "Offer-priceCurrency", "Pattern", "replace",
         "schema:priceCurrency", '"Euro"'),
    ],
    "decision": [
        ("decision-without-offer", "PriceDecision-priceDecisionFor", "MinCount", "drop",
         "mkt:priceDecisionFor", ""),
        ("decision-two-offers", "PriceDecision-priceDecisionFor", "MaxCount", "extra",
         "mkt:priceDecisionFor", "other-offer"),
        ("decision-for-product", "PriceDecision-priceDecisionFor", "Class", "replace",
         "mkt:priceDecisionFor", "product"),
        ("decision-element-untyped", "PriceDecision-addressesElement", "Class", "extra",
         "mkt:addressesElement", "untyped"),
        ("decision-not-price", "PriceDecision-addressesElement-price", "HasValue", "replace",
         "mkt:addressesElement", _M + "ProductElement>"),
    ],
    "targeting": [
        ("targeting-without-segment", "TargetingDecision-segment", "MinCount", "drop",
         "mkt:segment", ""),
        ("targeting-product", "TargetingDecision-segment", "Class", "replace", "mkt:segment",
         "product"),
    ],
    "positioning": [
        ("positioning-without-segment", "PositioningStatement-positioningFor", "MinCount", "drop",
         "mkt:positioningFor", ""),
        ("positioning-two-segments", "PositioningStatement-positioningFor", "MaxCount", "extra",
         "mkt:positioningFor", "other-segment"),
        ("positioning-for-offer", "PositioningStatement-positioningFor", "Class", "replace",
         "mkt:positioningFor", "offer"),
        ("positioning-without-statement", "PositioningStatement-statement", "MinCount", "drop",
         "mkt:statement", ""),
        ("positioning-statement-iri", "PositioningStatement-statement", "NodeKind", "replace",
         "mkt:statement", "iri"),
    ],
    "campaign": [
        ("campaign-without-channel", "MarketingCampaign-channel", "MinCount", "drop",
         "mkt:channel", ""),
        ("campaign-new-channel", "ChannelShape", "In", "replace", "mkt:channel", "typed-channel"),
        ("campaign-two-starts", "MarketingCampaign-startDate", "MaxCount", "extra",
         "mkt:startDate", "earlier-date"),
        ("campaign-start-as-datetime", "MarketingCampaign-startDate", "Datatype", "replace",
         "mkt:startDate", "as-datetime"),
        ("campaign-two-ends", "MarketingCampaign-endDate", "MaxCount", "extra", "mkt:endDate",
         "later-date"),
        ("campaign-end-as-text", "MarketingCampaign-endDate", "Datatype", "replace",
         "mkt:endDate", "as-text"),
        ("campaign-two-budgets", "MarketingCampaign-budget", "MaxCount", "extra", "mkt:budget",
         "other-amount"),
        ("campaign-budget-segment", "MarketingCampaign-budget", "Class", "replace", "mkt:budget",
         "segment"),
        ("campaign-targets-product", "MarketingCampaign-targetSegment", "Class", "replace",
         "mkt:targetSegment", "product"),
        ("campaign-without-segment", "MarketingCampaign-targetSegment-missing", "MinCount",
         "drop", "mkt:targetSegment", ""),
    ],
    "amount": [
        ("amount-without-value", "MonetaryAmount-value", "MinCount", "drop", "schema:value", ""),
        ("amount-two-values", "MonetaryAmount-value", "MaxCount", "extra", "schema:value",
         f'"1.50"^^<{XSD}decimal>'),
        ("amount-as-int", "MonetaryAmount-value", "Or", "replace", "schema:value", "as-int"),
        ("amount-without-currency", "MonetaryAmount-currency", "MinCount", "drop",
         "schema:currency", ""),
        ("amount-two-currencies", "MonetaryAmount-currency", "MaxCount", "extra",
         "schema:currency", '"USD"'),
        ("amount-currency-token", "MonetaryAmount-currency", "Datatype", "replace",
         "schema:currency", f'"EUR"^^<{XSD}token>'),
    ],
    "prospect": [
        ("prospect-name-iri", "Prospect-name", "NodeKind", "replace", "schema:name", "iri"),
    ],
    "customer": [
        ("customer-untyped", "CustomerShape", "Or", "drop", "rdf:type", ""),
        ("customer-without-name", "Customer-name", "MinCount", "drop", "schema:name", ""),
        ("customer-name-iri", "Customer-name", "NodeKind", "replace", "schema:name", "iri"),
    ],
    "lead": [
        ("lead-without-source", "Lead-generatedBy", "MinCount", "drop", "mkt:generatedBy", ""),
        ("lead-prospect-segment", "Lead-prospect", "Class", "replace", "mkt:prospect", "segment"),
        ("lead-two-prospects", "Lead-prospect", "MaxCount", "extra", "mkt:prospect",
         "other-prospect"),
        ("lead-without-time", "Lead-createdAt", "MinCount", "drop", "mkt:createdAt", ""),
        ("lead-two-times", "Lead-createdAt", "MaxCount", "extra", "mkt:createdAt",
         f'"2020-01-01T00:00:00Z"^^<{XSD}dateTime>'),
        ("lead-two-emails", "Lead-contactEmail", "MaxCount", "extra", "mkt:contactEmail",
         '"sales@example.org"'),
        ("lead-email-tagged", "Lead-contactEmail", "Datatype", "replace", "mkt:contactEmail",
         "tagged"),
        ("lead-worked-by-untyped", "Lead-workedBy", "Class", "add", "mkt:workedBy", "untyped"),
    ],
    "deal": [
        ("deal-without-lead", "Deal-worksLead", "MinCount", "drop", "mkt:worksLead", ""),
        ("deal-two-leads", "Deal-worksLead", "MaxCount", "extra", "mkt:worksLead", "other-lead"),
        ("deal-without-stage", "Deal-dealStage", "MinCount", "drop", "mkt:dealStage", ""),
        ("deal-new-stage", "DealStageShape", "In", "replace", "mkt:dealStage", "typed-stage"),
        ("deal-two-amounts", "Deal-amount", "MaxCount", "extra", "mkt:amount", "other-amount"),
        ("deal-amount-untyped", "Deal-amount", "Class", "replace", "mkt:amount", "untyped"),
        ("deal-two-close-dates", "Deal-closeDate", "MaxCount", "extra", "mkt:closeDate",
         "later-date"),
    ],
    "discount": [
        ("discount-missing", "DiscountPromotion-discountPercent", "MinCount", "drop",
         "mkt:discountPercent", ""),
        ("discount-twice", "DiscountPromotion-discountPercent", "MaxCount", "extra",
         "mkt:discountPercent", f'"10"^^<{XSD}integer>'),
        ("discount-as-long", "DiscountPromotion-discountPercent", "Or", "replace",
         "mkt:discountPercent", "as-long"),
        ("discount-negative", "DiscountPromotion-discountPercent", "MinInclusive", "replace",
         "mkt:discountPercent", f'"-5.00"^^<{XSD}decimal>'),
        ("promotion-promotes-nothing", "Promotion-promotes", "MinCount", "drop", "mkt:promotes",
         ""),
        ("promotion-promotes-segment", "Promotion-promotes", "Or", "replace", "mkt:promotes",
         "segment"),
        ("promotion-element-untyped", "Promotion-addressesElement", "Class", "replace",
         "mkt:addressesElement", "untyped"),
        ("promotion-two-starts", "Promotion-startDate", "MaxCount", "extra", "mkt:startDate",
         "earlier-date"),
        ("promotion-start-as-text", "Promotion-startDate", "Datatype", "replace", "mkt:startDate",
         "as-text"),
        ("promotion-two-ends", "Promotion-endDate", "MaxCount", "extra", "mkt:endDate",
         "later-date"),
        ("promotion-end-as-datetime", "Promotion-endDate", "Datatype", "replace", "mkt:endDate",
         "as-datetime"),
        ("promotion-ends-before-start", "Promotion-startDate-order", "LessThanOrEquals",
         "replace", "mkt:startDate", "next-year"),
        ("promotion-two-budgets", "Promotion-budget", "MaxCount", "add", "mkt:budget",
         "two-amounts"),
        ("promotion-budget-segment", "Promotion-budget", "Class", "add", "mkt:budget", "segment"),
        ("promotion-targets-product", "Promotion-targetSegment", "Class", "add",
         "mkt:targetSegment", "product"),
    ],
    "brand": [
        ("brand-discount", "BrandPromotion-discountPercent", "MaxCount", "add",
         "mkt:discountPercent", f'"10"^^<{XSD}integer>'),
    ],
    "assessment": [
        ("assessment-without-service", "ServiceQualityAssessment-assessedService", "MinCount",
         "drop", "mkt:assessedService", ""),
        ("assessment-two-services", "ServiceQualityAssessment-assessedService", "MaxCount",
         "extra", "mkt:assessedService", "other-service"),
        ("assessment-of-product", "ServiceQualityAssessment-assessedService", "Class", "replace",
         "mkt:assessedService", "product"),
        ("assessment-without-gap", "ServiceQualityAssessment-measuresGap", "MinCount", "drop",
         "mkt:measuresGap", ""),
        ("assessment-gap-untyped", "ServiceQualityAssessment-measuresGap", "Class", "extra",
         "mkt:measuresGap", "untyped"),
        ("assessment-other-gap", "ServiceQualityAssessment-measuresGap-customerGap", "HasValue",
         "replace", "mkt:measuresGap", _M + "DeliveryGap>"),
        ("assessment-without-scores", "ServiceQualityAssessment-hasScore", "MinCount",
         "drop-all", "mkt:hasScore", ""),
        ("assessment-score-untyped", "ServiceQualityAssessment-hasScore", "Class", "extra",
         "mkt:hasScore", "untyped"),
        ("respondents-twice", "ServiceQualityAssessment-respondents", "MaxCount", "extra",
         "mkt:respondents", f'"12"^^<{XSD}integer>'),
        ("respondents-as-long", "ServiceQualityAssessment-respondents", "Datatype", "replace",
         "mkt:respondents", "as-long"),
        ("respondents-zero", "ServiceQualityAssessment-respondents", "MinInclusive", "replace",
         "mkt:respondents", f'"0"^^<{XSD}integer>'),
    ],
    "score": [
        ("score-without-dimension", "ServqualScore-servqualDimension", "MinCount", "drop",
         "mkt:servqualDimension", ""),
        ("score-two-dimensions", "ServqualScore-servqualDimension", "MaxCount", "extra",
         "mkt:servqualDimension", _M + "Tangibles>"),
        ("score-unknown-dimension", "ServqualScore-servqualDimension", "In", "replace",
         "mkt:servqualDimension", _M + "PriceElement>"),
        ("expectation-missing", "ServqualScore-expectationScore", "MinCount", "drop",
         "mkt:expectationScore", ""),
        ("expectation-twice", "ServqualScore-expectationScore", "MaxCount", "extra",
         "mkt:expectationScore", f'"5.00"^^<{XSD}decimal>'),
        ("expectation-as-int", "ServqualScore-expectationScore", "Or", "replace",
         "mkt:expectationScore", "as-int"),
        ("expectation-below-scale", "ServqualScore-expectationScore", "MinInclusive", "replace",
         "mkt:expectationScore", f'"0.50"^^<{XSD}decimal>'),
        ("expectation-above-scale", "ServqualScore-expectationScore", "MaxInclusive", "replace",
         "mkt:expectationScore", f'"7.50"^^<{XSD}decimal>'),
        ("perception-missing", "ServqualScore-perceptionScore", "MinCount", "drop",
         "mkt:perceptionScore", ""),
        ("perception-twice", "ServqualScore-perceptionScore", "MaxCount", "extra",
         "mkt:perceptionScore", f'"4.00"^^<{XSD}decimal>'),
        ("perception-as-long", "ServqualScore-perceptionScore", "Or", "replace",
         "mkt:perceptionScore", "as-long"),
        ("perception-below-scale", "ServqualScore-perceptionScore", "MinInclusive", "replace",
         "mkt:perceptionScore", f'"0.00"^^<{XSD}decimal>'),
    ],
    "analysis": [
        ("analysis-without-framework", "FrameworkAnalysis-appliesFramework", "MinCount", "drop",
         "mkt:appliesFramework", ""),
        ("analysis-two-frameworks", "FrameworkAnalysis-appliesFramework", "MaxCount", "extra",
         "mkt:appliesFramework", "other-framework"),
        ("analysis-framework-segment", "FrameworkAnalysis-appliesFramework", "Class", "replace",
         "mkt:appliesFramework", "segment"),
        ("analysis-without-subject", "FrameworkAnalysis-analysisSubject", "MinCount", "drop",
         "mkt:analysisSubject", ""),
        ("analysis-two-subjects", "FrameworkAnalysis-analysisSubject", "MaxCount", "extra",
         "mkt:analysisSubject", "other-offer"),
        ("analysis-finding-untyped", "FrameworkAnalysis-hasFinding", "Class", "extra",
         "mkt:hasFinding", "untyped"),
        ("analysis-without-findings", "FrameworkAnalysis-hasFinding-missing", "MinCount",
         "drop-all", "mkt:hasFinding", ""),
    ],
    "finding": [
        ("finding-without-component", "Finding-aboutComponent", "MinCount", "drop",
         "mkt:aboutComponent", ""),
        ("finding-two-components", "Finding-aboutComponent", "MaxCount", "extra",
         "mkt:aboutComponent", _M + "PositioningStep>"),
        ("finding-about-segment", "Finding-aboutComponent", "Class", "replace",
         "mkt:aboutComponent", "segment"),
        ("finding-without-text", "Finding-findingText", "MinCount", "drop", "mkt:findingText",
         ""),
        ("finding-text-iri", "Finding-findingText", "NodeKind", "replace", "mkt:findingText",
         "iri"),
    ],
}  # fmt: skip
_PREFIXED = {"mkt:": MKT, "schema:": SCHEMA}


def predicate_term(name: str) -> str:
    """mkt:x, schema:x or rdf:type as an N-Triples IRI."""
    if name == "rdf:type":
        return RDF_TYPE
    prefix, local = name.split(":", 1)
    return f"<{_PREFIXED[prefix + ':']}{local}>"


def _split(line: str) -> tuple[str, str, str]:
    subject, predicate, rest = line.split(" ", 2)
    return subject, predicate, rest[: -len(" .\n")]


def _lexical(term: str) -> str:
    return term[1 : term.rindex('"')]


def iri(local: str) -> str:
    return f"<{EX}{local}>"


def mkt(local: str) -> str:
    return f"<{MKT}{local}>"


def schema(local: str) -> str:
    return f"<{SCHEMA}{local}>"


def text(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def tagged(value: str, language: str) -> str:
    return f"{text(value)}@{language}"


def typed(lexical: str, datatype: str) -> str:
    return f'"{lexical}"^^<{XSD}{datatype}>'


def decimal(value: Decimal) -> str:
    # The canonical form (no trailing zeros), which every store keeps as written.
    normal = format(value.normalize(), "f")
    return typed(normal, "decimal")


@dataclass
class Generator:
    """Writes one graph: call ``lines()``; ``injected`` counts the violations put in."""

    triples: int
    violations: float = 0.0
    seed: int = 1
    injected: Counter = field(default_factory=Counter)
    realistic: bool = False

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)
        self.shape = random.Random(self.seed + 7919)  # --realistic's choices only
        self._turn: Counter = Counter()
        self._seen: Counter = Counter()  # entities of each kind --realistic has offered an edit
        self._edits: Counter = Counter()  # edits of each kind of entity made
        self.count = 0
        self.segments: list[str] = []
        self.products: list[str] = []
        self.services: list[str] = []
        self.offers: list[str] = []
        self.prospects: list[str] = []
        self.leads: list[str] = []
        self.amounts: list[str] = []
        self._fresh = 0

    # -- plumbing -----------------------------------------------------------------------------

    def t(self, s: str, p: str, o: str) -> str:
        self.count += 1
        return f"{s} {p} {o} .\n"

    def violation(self, entity: str) -> str | None:
        """The kind of violation this entity gets, if any (kinds of an entity taken in turn)."""
        kinds = KINDS[entity]
        # --realistic: the first entities of a kind get one violation each, in turn.
        forced = self.realistic and self._turn[entity] < len(kinds)
        if self.violations <= 0 or (self.random.random() >= self.violations and not forced):
            return None
        kind = kinds[self._turn[entity] % len(kinds)][0]
        self._turn[entity] += 1
        self.injected[kind] += 1
        return kind

    def edit(self, entity: str, focus: str, lines: list[str]) -> list[str]:
        """With --realistic, maybe one of EDITS[entity] applied to ``focus``'s lines: the first
        entities of a kind get one each, in turn, then about the violation rate of them."""
        if not self.realistic or self.violations <= 0:
            return lines
        edits = EDITS[entity]
        first = self._seen[entity] < len(edits)
        self._seen[entity] += 1
        if not first and self.shape.random() >= self.violations:
            return lines
        kind, _shape, _component, operation, name, value = edits[self._edits[entity] % len(edits)]
        predicate = predicate_term(name)
        at = [i for i, line in enumerate(lines) if line.startswith(f"{focus} {predicate} ")]
        if operation != "add" and not at:
            return lines  # nothing to edit here (another kind took the line): the next one
        self._edits[entity] += 1
        self.injected[kind] += 1
        lines = list(lines)
        if operation == "drop-all":
            for i in reversed(at):
                del lines[i]
            self.count -= len(at)
            return lines
        if operation == "drop":
            del lines[at[0]]
            self.count -= 1
            return lines
        current = _split(lines[at[0]])[2] if at else ""
        objects, extra = self.resolve(value, current, focus)
        new = [self.t(focus, predicate, o) for o in objects] + extra
        if operation == "replace":
            lines[at[0] : at[0] + 1] = new
            self.count -= 1
        elif operation == "extra":
            lines[at[0] + 1 : at[0] + 1] = new
        else:  # add
            lines += new
        return lines

    def fresh(self, what: str) -> str:
        self._fresh += 1
        return iri(f"{what}-{self._fresh}")

    def _other(self, pool: list[str], current: str, fallback: str) -> str:
        others = [item for item in pool[-20:] if item != current]
        return self.shape.choice(others) if others else self.fresh(fallback)

    def resolve(self, value: str, current: str, focus: str) -> tuple[list[str], list[str]]:
        """An edit's value as objects for the edited line, and any lines it needs besides."""
        pick = self.shape.choice
        if value.startswith(('"', "<")):
            return [value], []
        if value in ("segment", "product", "offer"):
            return [pick({"segment": self.segments, "product": self.products,
                          "offer": self.offers}[value][-20:])], []  # fmt: skip
        if value.startswith("other-"):
            pools = {"offer": self.offers, "segment": self.segments, "prospect": self.prospects,
                     "lead": self.leads[:-1], "service": self.services,
                     "amount": self.amounts[:-1]}  # fmt: skip
            what = value[len("other-") :]
            if what == "level":
                return [mkt(next(x for x in LEVELS if mkt(x) != current))], []
            if what == "framework":
                return [mkt(next(x for x in sorted(FRAMEWORK_COMPONENTS) if mkt(x) != current))], []
            return [self._other(pools[what], current, what)], []
        if value == "two-amounts":
            return [self._other(self.amounts, "", "amount"), self.fresh("amount")], []
        if value in ("untyped", "iri"):
            return [self.fresh("untyped" if value == "untyped" else "note")], []
        if value in ("typed-channel", "typed-stage"):
            node = self.fresh(value[len("typed-") :])
            kind = mkt("Channel" if value == "typed-channel" else "DealStage")
            return [node], [self.t(node, RDF_TYPE, kind)]
        lexical = _lexical(current)
        if value in ("as-int", "as-long"):
            whole = lexical.split(".")[0]
            return [typed(whole, "int" if value == "as-int" else "long")], []
        if value == "as-text":
            return [text(lexical)], []
        if value == "tagged":
            return [tagged(lexical, "en")], []
        if value == "as-datetime":
            return [typed(f"{lexical}T09:00:00", "dateTime")], []
        shift = {"earlier-date": -1, "later-date": 1, "next-year": 400}[value]
        moved = date.fromisoformat(lexical) + timedelta(days=shift)
        return [typed(moved.isoformat(), "date")], []

    def name(self) -> str:
        r = self.random
        return f"{r.choice(WORDS).title()} {r.choice(WORDS).title()} {r.choice(FORMS)}"

    def day(self, start: date, spread: int) -> date:
        return start + timedelta(days=self.random.randrange(spread))

    def amount_node(self, local: str) -> str:
        """A money amount's node: an IRI, or with --realistic mostly a blank node."""
        node = f"_:{local}" if self.realistic and self.shape.random() < 0.7 else iri(local)
        self.amounts.append(node)
        del self.amounts[:-50]
        return node

    def dec(self, value: Decimal) -> str:
        """A decimal literal: canonical, or with --realistic as written with two places (whole
        numbers sometimes as xsd:integer, as some systems export them)."""
        if not self.realistic:
            return decimal(value)
        if value == value.to_integral_value() and self.shape.random() < 0.3:
            return typed(str(int(value)), "integer")
        return typed(f"{value:.2f}", "decimal")

    def stamp(self, moment: datetime) -> str:
        """A timestamp's lexical form: UTC with Z, or with --realistic in mixed time zones."""
        if not self.realistic:
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        zone = self.shape.choice(["Z", "+01:00", "-05:00", ""])
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + zone

    def names(self, item: str, name: str) -> list[str]:
        """schema:name: one plain name, or with --realistic the name in English, German and
        French."""
        if not self.realistic:
            return [self.t(item, schema("name"), text(name))]
        return [
            self.t(item, schema("name"), tagged(name, "en")),
            self.t(item, schema("name"), tagged(f"{name} (Deutschland)", "de")),
            self.t(item, schema("name"), tagged(f"{name} (édition française)", "fr")),
        ]

    def description(self, item: str) -> list[str]:
        """With --realistic, a long description (several hundred characters, quotes, accents,
        line breaks), as CRM and catalogue exports carry."""
        if not self.realistic:
            return []
        pick = self.shape.choice
        sentences = [
            f'The "{pick(WORDS).title()}" line serves {pick(WORDS)} buyers in {pick(WORDS)} '
            f"markets; its margin is reviewed each quarter by the Zürich and Lyon teams."
            for _ in range(self.shape.randrange(3, 12))
        ]
        return [self.t(item, schema("description"), tagged("\n".join(sentences), "en"))]

    def amount(self, node: str, low: int, high: int, kind: str | None = None) -> Iterator[str]:
        value = Decimal(self.random.randrange(low * 100, high * 100)) / 100
        if kind == "campaign-negative-budget":
            value = -value
        currency = "eur" if kind == "campaign-lowercase-currency" else "EUR"
        lines = [
            self.t(node, RDF_TYPE, schema("MonetaryAmount")),
            self.t(node, schema("value"), self.dec(value)),
            self.t(node, schema("currency"), text(currency)),
        ]
        yield from self.edit("amount", node, lines)

    # -- the graph ----------------------------------------------------------------------------

    def lines(self) -> Iterator[str]:
        block = 0
        every = 20 if self.realistic else 50  # --realistic: a larger catalogue
        while self.count < self.triples:
            if block % every == 0:
                yield from self.catalogue(block // every)
            yield from self.campaign(block)
            if block % 5 == 4:
                yield from self.promotions(block)
                yield from self.assessment(block)
                yield from self.analysis(block)
            block += 1

    def catalogue(self, n: int) -> Iterator[str]:
        """Segments, a product, a service, their offers and level descriptions, STP decisions."""
        for i in range(3):
            segment = iri(f"segment-{n}-{i}")
            self.segments.append(segment)
            lines = [
                self.t(segment, RDF_TYPE, mkt("MarketSegment")),
                self.t(segment, schema("name"), text(f"Segment {n}.{i}: {self.name()} buyers")),
            ]
            yield from self.edit("segment", segment, lines)
        for kind, pool in (("Product", self.products), ("Service", self.services)):
            item = iri(f"{kind.lower()}-{n}")
            pool.append(item)
            lines = [self.t(item, RDF_TYPE, schema(kind))]
            lines += self.names(item, f"{self.name()} {kind.lower()}")
            lines += self.description(item)
            levels = []
            for level in LEVELS:
                description = iri(f"{kind.lower()}-{n}-{level}")
                lines.append(self.t(item, mkt("describedAtLevel"), description))
                level_lines = [
                    self.t(description, RDF_TYPE, mkt("ProductLevelDescription")),
                    self.t(description, mkt("atLevel"), mkt(level)),
                    self.t(description, mkt("levelDetail"), text(f"{level} of {item[1:-1]}")),
                ]
                levels += self.edit("level", description, level_lines)
            yield from self.edit(kind.lower(), item, lines)
            yield from levels
            for j in range(2):
                offer = iri(f"offer-{kind.lower()}-{n}-{j}")
                self.offers.append(offer)
                lines = [
                    self.t(offer, RDF_TYPE, mkt("Offer")),
                    self.t(offer, schema("name"), text(f"Plan {j} of {kind.lower()} {n}")),
                    self.t(offer, schema("itemOffered"), item),
                ]
                price = Decimal(self.random.randrange(1000, 500000)) / 100
                lines.append(self.t(offer, schema("price"), self.dec(price)))
                lines.append(self.t(offer, schema("priceCurrency"), text("EUR")))
                lines.append(self.t(offer, mkt("addressesElement"), mkt(self.random.choice(MIX))))
                yield from self.edit("offer", offer, lines)
        # With --realistic, a price decision for each offer of this catalogue (without: the last).
        offers = self.offers[-4:] if self.realistic else self.offers[-1:]
        for k, offer in enumerate(offers):
            decision = iri(f"price-decision-{n}" + (f"-{k}" if k else ""))
            lines = [
                self.t(decision, RDF_TYPE, mkt("PriceDecision")),
                self.t(decision, schema("name"), text(f"Price review {n}")),
                self.t(decision, mkt("priceDecisionFor"), offer),
                self.t(decision, mkt("addressesElement"), mkt("PriceElement")),
            ]
            yield from self.edit("decision", decision, lines)
        targeting = iri(f"targeting-{n}")
        lines = [
            self.t(targeting, RDF_TYPE, mkt("TargetingDecision")),
            self.t(targeting, mkt("segment"), self.segments[-1]),
        ]
        yield from self.edit("targeting", targeting, lines)
        # With --realistic, a positioning statement for each segment (without: the last).
        for k, segment in enumerate(self.segments[-3:] if self.realistic else self.segments[-1:]):
            statement = iri(f"positioning-{n}" + (f"-{k}" if k else ""))
            wording = self.name() if not k else self.shape.choice(WORDS).title()
            lines = [
                self.t(statement, RDF_TYPE, mkt("PositioningStatement")),
                self.t(statement, mkt("positioningFor"), segment),
                self.t(statement, mkt("statement"), text(f"For {wording}: margins first.")),
            ]
            yield from self.edit("positioning", statement, lines)

    def campaign(self, n: int) -> Iterator[str]:
        r = self.random
        kind = self.violation("campaign")
        campaign = iri(f"campaign-{n}")
        start = self.day(date(2019, 1, 1), 2000)
        end = start + timedelta(days=r.randrange(7, 120))
        if kind == "campaign-ends-before-start":
            start, end = end, start
        lines = [
            self.t(campaign, RDF_TYPE, mkt("MarketingCampaign")),
            self.t(campaign, schema("name"), text(f"Campaign {n}: {self.name()}")),
        ]
        channel = mkt(r.choice(CHANNELS)) if kind != "campaign-unknown-channel" else iri("fax")
        lines.append(self.t(campaign, mkt("channel"), channel))
        if kind != "campaign-without-start":
            lines.append(self.t(campaign, mkt("startDate"), typed(start.isoformat(), "date")))
        if kind != "campaign-without-end":
            lines.append(self.t(campaign, mkt("endDate"), typed(end.isoformat(), "date")))
        budget = self.amount_node(f"campaign-{n}-budget")
        lines.append(self.t(campaign, mkt("budget"), budget))
        amount = list(self.amount(budget, 1000, 50000, kind))
        lines.append(self.t(campaign, mkt("targetSegment"), r.choice(self.segments)))
        if n % 10 == 0:
            lines += self.description(campaign)
        yield from self.edit("campaign", campaign, lines)
        yield from amount
        for i in range(r.randrange(10, 30)):
            yield from self.lead(campaign, f"{n}-{i}", start)

    def prospect(self, key: str) -> Iterator[str]:
        r = self.random
        if self.prospects and r.random() < 0.2:
            return  # a returning prospect: the lead reuses one
        kind = self.violation("prospect")
        prospect = iri(f"party-{key}")
        self.prospects.append(prospect)
        del self.prospects[:-50]
        person = r.random() < 0.3
        lines = []
        if kind != "prospect-untyped-party":
            lines.append(self.t(prospect, RDF_TYPE, schema("Person" if person else "Organization")))
        lines.append(self.t(prospect, RDF_TYPE, mkt("Prospect")))
        name = f"{r.choice(FIRST)} {r.choice(LAST)}" if person else self.name()
        if kind != "prospect-without-name":
            lines.append(self.t(prospect, schema("name"), text(name)))
        yield from self.edit("prospect", prospect, lines)

    def lead(self, campaign: str, key: str, start: date) -> Iterator[str]:
        r = self.random
        yield from self.prospect(key)
        kind = self.violation("lead")
        lead = iri(f"lead-{key}")
        self.leads.append(lead)
        del self.leads[:-50]
        created = datetime.combine(self.day(start, 60), datetime.min.time(), timezone.utc)
        created += timedelta(minutes=r.randrange(8 * 60, 18 * 60))
        lines = [self.t(lead, RDF_TYPE, mkt("Lead"))]
        if kind != "lead-without-prospect":
            lines.append(self.t(lead, mkt("prospect"), self.prospects[-1]))
        source = r.choice(self.segments) if kind == "lead-from-segment" else campaign
        lines.append(self.t(lead, mkt("generatedBy"), source))
        if kind == "lead-two-sources":
            referral = iri(f"referral-{key}")
            lines.append(self.t(referral, RDF_TYPE, mkt("LeadGeneration")))
            lines.append(self.t(lead, mkt("generatedBy"), referral))
        stamp = self.stamp(created)
        if kind == "lead-created-as-date":
            value = typed(created.date().isoformat(), "date")
        elif kind == "lead-created-ill-typed":
            value = typed(stamp.replace("T", "T2"), "dateTime")  # hour 2x: not a time
        else:
            value = typed(stamp, "dateTime")
        lines.append(self.t(lead, mkt("createdAt"), value))
        if kind != "lead-without-email":
            at = " at " if kind == "lead-bad-email" else "@"
            email = text(f"contact-{key}{at}party-{key}.example")
            lines.append(self.t(lead, mkt("contactEmail"), email))
        yield from self.edit("lead", lead, lines)
        if r.random() < 0.35:
            yield from self.deal(lead, key, created.date())

    def deal(self, lead: str, key: str, created: date) -> Iterator[str]:
        r = self.random
        kind = self.violation("deal")
        deal = iri(f"deal-{key}")
        stage = r.choice(STAGES)
        if kind == "deal-won-without-amount":
            stage = "WonStage"
        if kind == "deal-closed-without-date":
            stage = "LostStage"
        lines = [
            self.t(deal, RDF_TYPE, mkt("Deal")),
            self.t(deal, schema("name"), text(f"Deal {key}")),
        ]
        target = self.prospects[-1] if kind == "deal-works-prospect" else lead
        lines.append(self.t(deal, mkt("worksLead"), target))
        lines.append(
            self.t(
                deal,
                mkt("dealStage"),
                mkt(stage) if kind != "deal-unknown-stage" else iri("stalled"),
            )
        )
        if kind == "deal-two-stages":
            lines.append(
                self.t(
                    deal,
                    mkt("dealStage"),
                    mkt("OpenStage" if stage != "OpenStage" else "LostStage"),
                )
            )
        amount: list[str] = []
        if kind != "deal-won-without-amount":
            node = self.amount_node(f"deal-{key}-amount")
            lines.append(self.t(deal, mkt("amount"), node))
            amount = list(self.amount(node, 500, 90000))
        if kind != "deal-closed-without-date":
            close = self.day(created, 120).isoformat()
            value = text(close) if kind == "deal-close-date-text" else typed(close, "date")
            lines.append(self.t(deal, mkt("closeDate"), value))
        yield from self.edit("deal", deal, lines)
        yield from amount
        if self.realistic and stage == "WonStage":
            yield from self.customer(key)

    def customer(self, key: str) -> Iterator[str]:
        """With --realistic, a won deal's buyer as a customer record of its own."""
        customer = iri(f"customer-{key}")
        lines = [
            self.t(customer, RDF_TYPE, schema("Organization")),
            self.t(customer, RDF_TYPE, mkt("Customer")),
            self.t(customer, schema("name"), tagged(f"Customer {key}", "en")),
        ]
        yield from self.edit("customer", customer, lines)

    def promotions(self, n: int) -> Iterator[str]:
        r = self.random
        kind = self.violation("promotion")
        promo = iri(f"promotion-{n}")
        lines = [
            self.t(promo, RDF_TYPE, mkt("DiscountPromotion")),
            self.t(promo, schema("name"), text(f"Spring offer {n}")),
        ]
        percent = Decimal(r.randrange(5, 50))
        if kind == "discount-over-100":
            percent = Decimal(120)
        elif kind == "discount-deep":
            percent = Decimal(70)
        lines.append(self.t(promo, mkt("discountPercent"), self.dec(percent)))
        lines.append(self.t(promo, mkt("promotes"), r.choice(self.offers)))
        lines.append(self.t(promo, mkt("addressesElement"), mkt("PromotionElement")))
        start = self.day(date(2019, 1, 1), 2000)
        lines.append(self.t(promo, mkt("startDate"), typed(start.isoformat(), "date")))
        end = typed((start + timedelta(days=30)).isoformat(), "date")
        lines.append(self.t(promo, mkt("endDate"), end))
        yield from self.edit("discount", promo, lines)
        brand = iri(f"brand-promotion-{n}")
        lines = [
            self.t(brand, RDF_TYPE, mkt("BrandPromotion")),
            self.t(brand, schema("name"), text(f"Sponsorship {n}")),
            self.t(brand, mkt("promotes"), r.choice(self.products + self.services)),
            self.t(brand, mkt("addressesElement"), mkt("PromotionElement")),
        ]
        yield from self.edit("brand", brand, lines)

    def assessment(self, n: int) -> Iterator[str]:
        r = self.random
        kind = self.violation("assessment")
        survey = iri(f"servqual-{n}")
        lines = [
            self.t(survey, RDF_TYPE, mkt("ServiceQualityAssessment")),
            self.t(survey, mkt("assessedService"), r.choice(self.services)),
            self.t(survey, mkt("measuresGap"), mkt("CustomerGap")),
        ]
        respondents = str(r.randrange(20, 400))
        if self.realistic and self.shape.random() < 0.1:
            respondents = "0" + respondents  # as some exports pad it: stores keep it canonically
        lines.append(self.t(survey, mkt("respondents"), typed(respondents, "integer")))
        dimensions = DIMENSIONS[:4] if kind == "assessment-four-scores" else DIMENSIONS
        for i, dimension in enumerate(dimensions):
            score = iri(f"servqual-{n}-{dimension}")
            lines.append(self.t(survey, mkt("hasScore"), score))
            lines.append(self.t(score, RDF_TYPE, mkt("ServqualScore")))
            lines.append(self.t(score, mkt("servqualDimension"), mkt(dimension)))
            expected = Decimal(r.randrange(400, 700)) / 100
            perceived = Decimal(r.randrange(300, 700)) / 100
            if kind == "score-out-of-scale" and i == 0:
                perceived = Decimal(9)
            lines.append(self.t(score, mkt("expectationScore"), self.dec(expected)))
            lines.append(self.t(score, mkt("perceptionScore"), self.dec(perceived)))
        lines = self.edit("score", iri(f"servqual-{n}-{dimensions[-1]}"), lines)
        yield from self.edit("assessment", survey, lines)

    def analysis(self, n: int) -> Iterator[str]:
        r = self.random
        kind = self.violation("analysis")
        framework = r.choice(sorted(FRAMEWORK_COMPONENTS))
        analysis = iri(f"analysis-{n}")
        lines = [
            self.t(analysis, RDF_TYPE, mkt("FrameworkAnalysis")),
            self.t(analysis, mkt("appliesFramework"), mkt(framework)),
        ]
        subject = text("our offer") if kind == "analysis-subject-text" else r.choice(self.offers)
        lines.append(self.t(analysis, mkt("analysisSubject"), subject))
        for i, component in enumerate(FRAMEWORK_COMPONENTS[framework]):
            finding = iri(f"analysis-{n}-finding-{i}")
            if not (kind == "finding-without-analysis" and i == 0):
                lines.append(self.t(analysis, mkt("hasFinding"), finding))
            lines.append(self.t(finding, RDF_TYPE, mkt("Finding")))
            lines.append(self.t(finding, mkt("aboutComponent"), mkt(component)))
            lines.append(
                self.t(finding, mkt("findingText"), text(f"{component}: {self.name()} leads."))
            )
        last = len(FRAMEWORK_COMPONENTS[framework]) - 1
        lines = self.edit("finding", iri(f"analysis-{n}-finding-{last}"), lines)
        yield from self.edit("analysis", analysis, lines)


PREFIXES = {"ex": EX, "mkt": MKT, "schema": SCHEMA, "xsd": XSD}


def write(path: Path, generator: Generator) -> None:
    """Write the graph to ``path``: N-Triples, or Turtle (by pyoxigraph, streamed) for .ttl."""
    if path.suffix == ".ttl":
        import pyoxigraph as ox

        def triples():
            chunk: list[str] = []
            for line in generator.lines():
                chunk.append(line)
                if len(chunk) >= 10000:
                    yield from ox.parse("".join(chunk), ox.RdfFormat.N_TRIPLES)
                    chunk = []
            if chunk:
                yield from ox.parse("".join(chunk), ox.RdfFormat.N_TRIPLES)

        with path.open("wb") as handle:
            ox.serialize(triples(), handle, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        return
    with path.open("w", encoding="utf-8") as handle:
        buffer: list[str] = []
        for line in generator.lines():
            buffer.append(line)
            if len(buffer) >= 10000:
                handle.write("".join(buffer))
                buffer = []
        handle.write("".join(buffer))


def parse_size(text: str) -> int:
    """10k, 1m, 2.5M, 100000 -> a number of triples."""
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if scale > 1 else text
    return int(float(number) * scale)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=parse_size, required=True, help="about this many")
    parser.add_argument("--violations", type=float, default=0.0, help="rate, 0 to 1")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True, help="FILE.nt or FILE.ttl")
    parser.add_argument(
        "--realistic",
        action="store_true",
        help="blank-node amounts, decimals as written (490.00), mixed time zones",
    )
    parser.add_argument("--manifest", type=Path, help="write the injected violations as JSON")
    args = parser.parse_args(argv)
    if not 0 <= args.violations <= 1:
        parser.error("--violations is a rate between 0 and 1")
    generator = Generator(args.triples, args.violations, args.seed, realistic=args.realistic)
    write(args.output, generator)
    if args.manifest:
        args.manifest.write_text(json.dumps(dict(sorted(generator.injected.items())), indent=2))
    print(
        f"{args.output}: {generator.count} triples, "
        f"{sum(generator.injected.values())} violations injected",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
