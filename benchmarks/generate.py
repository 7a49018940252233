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
keep canonically as ``490``), and timestamps in mixed time zones (``Z``, ``+01:00``, ``-05:00``
and none). Its choices come from a random stream of their own: the rest stays as without it.
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


def iri(local: str) -> str:
    return f"<{EX}{local}>"


def mkt(local: str) -> str:
    return f"<{MKT}{local}>"


def schema(local: str) -> str:
    return f"<{SCHEMA}{local}>"


def text(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


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
        self.count = 0
        self.segments: list[str] = []
        self.products: list[str] = []
        self.services: list[str] = []
        self.offers: list[str] = []
        self.prospects: list[str] = []

    # -- plumbing -----------------------------------------------------------------------------

    def t(self, s: str, p: str, o: str) -> str:
        self.count += 1
        return f"{s} {p} {o} .\n"

    def violation(self, entity: str) -> str | None:
        """The kind of violation this entity gets, if any (kinds of an entity taken in turn)."""
        if self.violations <= 0 or self.random.random() >= self.violations:
            return None
        kinds = KINDS[entity]
        kind = kinds[self._turn[entity] % len(kinds)][0]
        self._turn[entity] += 1
        self.injected[kind] += 1
        return kind

    def name(self) -> str:
        r = self.random
        return f"{r.choice(WORDS).title()} {r.choice(WORDS).title()} {r.choice(FORMS)}"

    def day(self, start: date, spread: int) -> date:
        return start + timedelta(days=self.random.randrange(spread))

    def amount_node(self, local: str) -> str:
        """A money amount's node: an IRI, or with --realistic mostly a blank node."""
        if self.realistic and self.shape.random() < 0.7:
            return f"_:{local}"
        return iri(local)

    def dec(self, value: Decimal) -> str:
        """A decimal literal: canonical, or with --realistic as written with two places."""
        return typed(f"{value:.2f}", "decimal") if self.realistic else decimal(value)

    def stamp(self, moment: datetime) -> str:
        """A timestamp's lexical form: UTC with Z, or with --realistic in mixed time zones."""
        if not self.realistic:
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        zone = self.shape.choice(["Z", "+01:00", "-05:00", ""])
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + zone

    def amount(self, node: str, low: int, high: int, kind: str | None = None) -> Iterator[str]:
        value = Decimal(self.random.randrange(low * 100, high * 100)) / 100
        if kind == "campaign-negative-budget":
            value = -value
        currency = "eur" if kind == "campaign-lowercase-currency" else "EUR"
        yield self.t(node, RDF_TYPE, schema("MonetaryAmount"))
        yield self.t(node, schema("value"), self.dec(value))
        yield self.t(node, schema("currency"), text(currency))

    # -- the graph ----------------------------------------------------------------------------

    def lines(self) -> Iterator[str]:
        block = 0
        while self.count < self.triples:
            if block % 50 == 0:
                yield from self.catalogue(block // 50)
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
            yield self.t(segment, RDF_TYPE, mkt("MarketSegment"))
            yield self.t(segment, schema("name"), text(f"Segment {n}.{i}: {self.name()} buyers"))
        for kind, pool in (("Product", self.products), ("Service", self.services)):
            item = iri(f"{kind.lower()}-{n}")
            pool.append(item)
            yield self.t(item, RDF_TYPE, schema(kind))
            yield self.t(item, schema("name"), text(f"{self.name()} {kind.lower()}"))
            for level in LEVELS:
                description = iri(f"{kind.lower()}-{n}-{level}")
                yield self.t(item, mkt("describedAtLevel"), description)
                yield self.t(description, RDF_TYPE, mkt("ProductLevelDescription"))
                yield self.t(description, mkt("atLevel"), mkt(level))
                yield self.t(description, mkt("levelDetail"), text(f"{level} of {item[1:-1]}"))
            for j in range(2):
                offer = iri(f"offer-{kind.lower()}-{n}-{j}")
                self.offers.append(offer)
                yield self.t(offer, RDF_TYPE, mkt("Offer"))
                yield self.t(offer, schema("name"), text(f"Plan {j} of {kind.lower()} {n}"))
                yield self.t(offer, schema("itemOffered"), item)
                price = Decimal(self.random.randrange(1000, 500000)) / 100
                yield self.t(offer, schema("price"), self.dec(price))
                yield self.t(offer, schema("priceCurrency"), text("EUR"))
                yield self.t(offer, mkt("addressesElement"), mkt(self.random.choice(MIX)))
        decision = iri(f"price-decision-{n}")
        yield self.t(decision, RDF_TYPE, mkt("PriceDecision"))
        yield self.t(decision, schema("name"), text(f"Price review {n}"))
        yield self.t(decision, mkt("priceDecisionFor"), self.offers[-1])
        yield self.t(decision, mkt("addressesElement"), mkt("PriceElement"))
        targeting = iri(f"targeting-{n}")
        yield self.t(targeting, RDF_TYPE, mkt("TargetingDecision"))
        yield self.t(targeting, mkt("segment"), self.segments[-1])
        statement = iri(f"positioning-{n}")
        yield self.t(statement, RDF_TYPE, mkt("PositioningStatement"))
        yield self.t(statement, mkt("positioningFor"), self.segments[-1])
        yield self.t(statement, mkt("statement"), text(f"For {self.name()}: margins first."))

    def campaign(self, n: int) -> Iterator[str]:
        r = self.random
        kind = self.violation("campaign")
        campaign = iri(f"campaign-{n}")
        start = self.day(date(2019, 1, 1), 2000)
        end = start + timedelta(days=r.randrange(7, 120))
        if kind == "campaign-ends-before-start":
            start, end = end, start
        yield self.t(campaign, RDF_TYPE, mkt("MarketingCampaign"))
        yield self.t(campaign, schema("name"), text(f"Campaign {n}: {self.name()}"))
        channel = mkt(r.choice(CHANNELS)) if kind != "campaign-unknown-channel" else iri("fax")
        yield self.t(campaign, mkt("channel"), channel)
        if kind != "campaign-without-start":
            yield self.t(campaign, mkt("startDate"), typed(start.isoformat(), "date"))
        if kind != "campaign-without-end":
            yield self.t(campaign, mkt("endDate"), typed(end.isoformat(), "date"))
        budget = self.amount_node(f"campaign-{n}-budget")
        yield self.t(campaign, mkt("budget"), budget)
        yield from self.amount(budget, 1000, 50000, kind)
        yield self.t(campaign, mkt("targetSegment"), r.choice(self.segments))
        for i in range(r.randrange(10, 30)):
            yield from self.lead(campaign, f"{n}-{i}", start)

    def prospect(self, key: str) -> Iterator[str]:
        r = self.random
        if self.prospects and r.random() < 0.2:
            return  # a returning prospect: the lead reuses one
        kind = self.violation("prospect")
        prospect = iri(f"party-{key}")
        self.prospects.append(prospect)
        person = r.random() < 0.3
        if kind != "prospect-untyped-party":
            yield self.t(prospect, RDF_TYPE, schema("Person" if person else "Organization"))
        yield self.t(prospect, RDF_TYPE, mkt("Prospect"))
        name = f"{r.choice(FIRST)} {r.choice(LAST)}" if person else self.name()
        if kind != "prospect-without-name":
            yield self.t(prospect, schema("name"), text(name))

    def lead(self, campaign: str, key: str, start: date) -> Iterator[str]:
        r = self.random
        yield from self.prospect(key)
        kind = self.violation("lead")
        lead = iri(f"lead-{key}")
        created = datetime.combine(self.day(start, 60), datetime.min.time(), timezone.utc)
        created += timedelta(minutes=r.randrange(8 * 60, 18 * 60))
        yield self.t(lead, RDF_TYPE, mkt("Lead"))
        if kind != "lead-without-prospect":
            yield self.t(lead, mkt("prospect"), self.prospects[-1])
        source = r.choice(self.segments) if kind == "lead-from-segment" else campaign
        yield self.t(lead, mkt("generatedBy"), source)
        if kind == "lead-two-sources":
            referral = iri(f"referral-{key}")
            yield self.t(referral, RDF_TYPE, mkt("LeadGeneration"))
            yield self.t(lead, mkt("generatedBy"), referral)
        stamp = self.stamp(created)
        if kind == "lead-created-as-date":
            value = typed(created.date().isoformat(), "date")
        elif kind == "lead-created-ill-typed":
            value = typed(stamp.replace("T", "T2"), "dateTime")  # hour 2x: not a time
        else:
            value = typed(stamp, "dateTime")
        yield self.t(lead, mkt("createdAt"), value)
        if kind != "lead-without-email":
            at = " at " if kind == "lead-bad-email" else "@"
            yield self.t(lead, mkt("contactEmail"), text(f"contact-{key}{at}party-{key}.example"))
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
        yield self.t(deal, RDF_TYPE, mkt("Deal"))
        yield self.t(deal, schema("name"), text(f"Deal {key}"))
        target = self.prospects[-1] if kind == "deal-works-prospect" else lead
        yield self.t(deal, mkt("worksLead"), target)
        yield self.t(
            deal, mkt("dealStage"), mkt(stage) if kind != "deal-unknown-stage" else iri("stalled")
        )
        if kind == "deal-two-stages":
            yield self.t(
                deal, mkt("dealStage"), mkt("OpenStage" if stage != "OpenStage" else "LostStage")
            )
        if kind != "deal-won-without-amount":
            amount = self.amount_node(f"deal-{key}-amount")
            yield self.t(deal, mkt("amount"), amount)
            yield from self.amount(amount, 500, 90000)
        if kind != "deal-closed-without-date":
            close = self.day(created, 120).isoformat()
            value = text(close) if kind == "deal-close-date-text" else typed(close, "date")
            yield self.t(deal, mkt("closeDate"), value)

    def promotions(self, n: int) -> Iterator[str]:
        r = self.random
        kind = self.violation("promotion")
        promo = iri(f"promotion-{n}")
        yield self.t(promo, RDF_TYPE, mkt("DiscountPromotion"))
        yield self.t(promo, schema("name"), text(f"Spring offer {n}"))
        percent = Decimal(r.randrange(5, 50))
        if kind == "discount-over-100":
            percent = Decimal(120)
        elif kind == "discount-deep":
            percent = Decimal(70)
        yield self.t(promo, mkt("discountPercent"), self.dec(percent))
        yield self.t(promo, mkt("promotes"), r.choice(self.offers))
        yield self.t(promo, mkt("addressesElement"), mkt("PromotionElement"))
        start = self.day(date(2019, 1, 1), 2000)
        yield self.t(promo, mkt("startDate"), typed(start.isoformat(), "date"))
        yield self.t(promo, mkt("endDate"), typed((start + timedelta(days=30)).isoformat(), "date"))
        brand = iri(f"brand-promotion-{n}")
        yield self.t(brand, RDF_TYPE, mkt("BrandPromotion"))
        yield self.t(brand, schema("name"), text(f"Sponsorship {n}"))
        yield self.t(brand, mkt("promotes"), r.choice(self.products + self.services))
        yield self.t(brand, mkt("addressesElement"), mkt("PromotionElement"))

    def assessment(self, n: int) -> Iterator[str]:
        r = self.random
        kind = self.violation("assessment")
        survey = iri(f"servqual-{n}")
        yield self.t(survey, RDF_TYPE, mkt("ServiceQualityAssessment"))
        yield self.t(survey, mkt("assessedService"), r.choice(self.services))
        yield self.t(survey, mkt("measuresGap"), mkt("CustomerGap"))
        yield self.t(survey, mkt("respondents"), typed(str(r.randrange(20, 400)), "integer"))
        dimensions = DIMENSIONS[:4] if kind == "assessment-four-scores" else DIMENSIONS
        for i, dimension in enumerate(dimensions):
            score = iri(f"servqual-{n}-{dimension}")
            yield self.t(survey, mkt("hasScore"), score)
            yield self.t(score, RDF_TYPE, mkt("ServqualScore"))
            yield self.t(score, mkt("servqualDimension"), mkt(dimension))
            expected = Decimal(r.randrange(400, 700)) / 100
            perceived = Decimal(r.randrange(300, 700)) / 100
            if kind == "score-out-of-scale" and i == 0:
                perceived = Decimal(9)
            yield self.t(score, mkt("expectationScore"), self.dec(expected))
            yield self.t(score, mkt("perceptionScore"), self.dec(perceived))

    def analysis(self, n: int) -> Iterator[str]:
        r = self.random
        kind = self.violation("analysis")
        framework = r.choice(sorted(FRAMEWORK_COMPONENTS))
        analysis = iri(f"analysis-{n}")
        yield self.t(analysis, RDF_TYPE, mkt("FrameworkAnalysis"))
        yield self.t(analysis, mkt("appliesFramework"), mkt(framework))
        subject = text("our offer") if kind == "analysis-subject-text" else r.choice(self.offers)
        yield self.t(analysis, mkt("analysisSubject"), subject)
        for i, component in enumerate(FRAMEWORK_COMPONENTS[framework]):
            finding = iri(f"analysis-{n}-finding-{i}")
            if not (kind == "finding-without-analysis" and i == 0):
                yield self.t(analysis, mkt("hasFinding"), finding)
            yield self.t(finding, RDF_TYPE, mkt("Finding"))
            yield self.t(finding, mkt("aboutComponent"), mkt(component))
            yield self.t(finding, mkt("findingText"), text(f"{component}: {self.name()} leads."))


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
