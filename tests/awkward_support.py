"""Running every named query over the awkward corpus (tests/queries/awkward), and the answers
it should give; shared by tests/queries and tests/integration."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from rdflib import BNode, Literal, Namespace
from rdflib.namespace import XSD
from results_support import Answer, answer_of, integer_types_as_integer, read_oxigraph

from mktgraph.queries import named_queries

AWKWARD = Path(__file__).parent / "queries" / "awkward" / "company.ttl"
AW = Namespace("https://example.org/awkward/")
ROOT = Path(__file__).parents[1]
# Values for the required parameters of named queries.
PARAMETERS = {"framework-components": ["-p", f"framework={AW.framework}"]}
QUERY_NAMES = sorted(named_queries())
# Queries that read only the ontology: over the awkward data they answer as over none.
ONTOLOGY_QUERIES = (
    "end-to-end",
    "marketing-activities",
    "product-levels",
    "sales-vs-marketing",
    "service-quality-gaps",
    "services-triangle",
)

_RUNNER = """
import json, sys
from click.testing import CliRunner
from mktgraph.cli import cli
names, source, parameters = json.loads(sys.argv[1])
answers = {}
for name in names:
    result = CliRunner().invoke(
        cli, ["query", name, *source, *parameters.get(name, []), "--format", "json"]
    )
    answers[name] = [result.exit_code, result.stdout, result.stderr]
print(json.dumps(answers))
"""


def run_every_query(source: list[str], names=QUERY_NAMES) -> dict[str, Answer]:
    """Each named query's answer (as JSON, read by Oxigraph's parser, by value) from one source.

    In a child process: a store that aborts on a query (as Oxigraph did on open-leads when
    time zones were mixed) must fail the test, not end the test run."""
    child = subprocess.run(
        [sys.executable, "-c", _RUNNER, json.dumps([list(names), source, PARAMETERS])],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert child.returncode == 0, f"exit {child.returncode}: {child.stderr[-2000:]}"
    answers = {}
    for name, (code, stdout, stderr) in json.loads(child.stdout).items():
        assert code == 0, f"{name}: exit {code}: {stderr}"
        assert stderr == "", name
        answers[name] = integer_types_as_integer(read_oxigraph(stdout, "json", exact=False))
    return answers


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def _decimal(text: str) -> Literal:
    return Literal(Decimal(text))


def _time(text: str) -> Literal:
    return Literal(text, datatype=XSD.dateTime)


NOWHERE = "A campaign without an IRI"
SPRING = Literal("Frühjahrs-Kampagne ☀", lang="de")
ORSTED, NIHON = Literal("Ørsted & Søn A/S"), Literal("日本商事", lang="ja")
DANA = Literal('Dana "DJ" O\'Neil,\tJr.')

# The answers over the awkward data, worked out by hand from tests/queries/awkward/company.ttl.
EXPECTED: dict[str, Answer] = {
    "lead-to-deal": answer_of(
        ["campaign", "name", "channel", "leads", "deals", "won", "conversionRate"],
        [
            # 5 leads each: ordered by the campaign then, and blank nodes come before IRIs.
            (BNode(), Literal(NOWHERE), _en("e-mail channel"), _integer(5), _integer(0),
             _integer(0), _decimal("0")),
            (AW["campaign-spring"], SPRING, _en("search channel"), _integer(5), _integer(2),
             _integer(1), _decimal("0.2")),
            (AW["campaign-quiet"], Literal(""), _en("print channel"), _integer(0), _integer(0),
             _integer(0), None),
        ],
    ),
    "open-leads": answer_of(
        ["lead", "prospect", "contactEmail", "generatedBy", "createdAt"],
        [
            (AW["lead-old"], ORSTED, Literal("ørsted@example.dk"), Literal(NOWHERE),
             _time("1999-12-31T23:59:59-12:00")),
            (AW["lead-plus1"], NIHON, Literal("info@nihon.example"), SPRING,
             _time("2024-03-01T09:30:00+01:00")),
            (BNode(), Literal("Zoë\nTwo-Lines"), Literal("zoe@example.org"), Literal(NOWHERE),
             _time("2024-03-01T08:59:59+00:00")),
            (AW["lead-z"], DANA, Literal("dana@example.org"), SPRING,
             _time("2024-03-01T09:00:00Z")),
            (AW["lead-same"], DANA, Literal("dana.too@example.org"), Literal(NOWHERE),
             _time("2024-03-01T10:00:00+01:00")),
            (AW["lead-fraction"], ORSTED, Literal("fraction@example.dk"), Literal(NOWHERE),
             _time("2024-03-01T09:00:00.250Z")),
            (AW["lead-local"], NIHON, None, Literal(NOWHERE), _time("2024-03-01T09:15:00")),
            (AW["lead-minus5"], ORSTED, Literal("west@example.dk"), SPRING,
             _time("2024-03-01T05:00:00-05:00")),
        ],
    ),
    "activities-by-discipline": answer_of(
        ["discipline", "activities"],
        [
            # 3 campaigns, 2 deals and 2 service quality assessments; the deals are sales.
            (Literal("marketing"), _integer(7)),
            (Literal("sales"), _integer(2)),
            (Literal("marketing other than sales"), _integer(5)),
        ],
    ),
    "service-gaps": answer_of(
        ["service", "dimension", "expectation", "perception", "gap", "assessments"],
        [
            # Tangibles: expectations 1.50 and 2.50, perceptions 7 and 6.0.
            (Literal("Service «Ünï» & Co"), _en("tangibles"), _decimal("2"), _decimal("6.5"),
             _decimal("4.5"), _integer(2)),
            (Literal("Service «Ünï» & Co"), _en("reliability"), _decimal("7"), _decimal("1"),
             _decimal("-6"), _integer(1)),
        ],
    ),
    "framework-components": answer_of(
        ["framework", "position", "component", "name", "definition"],
        [
            (AW.framework, None, AW.unplaced, Literal("unplaced"), None),
            (AW.framework, _integer(1), AW.first, Literal("first"), None),
            (AW.framework, _integer(2), AW.second, Literal("second"), None),
            (AW.framework, _decimal("3.0"), AW.third, Literal("third"),
             Literal("Third, written 3.0.")),
        ],
    ),
}  # fmt: skip

# The row the awkward framework adds to `frameworks`, after the eight (its position is 9.0).
AWKWARD_FRAMEWORK_ROW = answer_of(
    ["framework", "name", "originator", "year", "components", "extends", "refines", "source"],
    [(AW.framework, _en("Awkward framework"), None, None, _integer(4), None, None, None)],
).rows[0]


def expected_answers(without_data: dict[str, Answer]) -> dict[str, Answer]:
    """EXPECTED, plus the ontology queries' answers over no data, plus `frameworks` over no
    data with the awkward framework's row at the end."""
    expected = dict(EXPECTED)
    for name in ONTOLOGY_QUERIES:
        expected[name] = without_data[name]
    frameworks = without_data["frameworks"]
    expected["frameworks"] = Answer(frameworks.variables, [*frameworks.rows, AWKWARD_FRAMEWORK_ROW])
    return expected
