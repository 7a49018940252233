"""`mktgraph frameworks`: the list of eight, one framework by any name or IRI, each format."""

from __future__ import annotations

import csv
import io
import json

import pytest

LIST = [
    ["name", "originator", "year", "components"],
    ["3Cs of marketing", "Kenichi Ohmae", "1982", "3"],
    ["4Ps of marketing", "E. Jerome McCarthy", "1960", "4"],
    ["STP marketing model", "Philip Kotler", "", "3"],
    ["three product levels", "Philip Kotler", "", "3"],
    [
        "gap model of service quality",
        "A. Parasuraman; Valarie A. Zeithaml; Leonard L. Berry",
        "1985",
        "5",
    ],
    [
        "services marketing triangle",
        "Philip Kotler; Mary Jo Bitner; Christian Grönroos",
        "1995",
        "6",
    ],
    ["7Ps of marketing", "Bernard H. Booms; Mary Jo Bitner", "1981", "7"],
    ["five product levels", "Philip Kotler", "", "5"],
]
SEVEN_PS = [
    ("1", "product"),
    ("2", "price"),
    ("3", "place"),
    ("4", "promotion"),
    ("5", "people"),
    ("6", "process"),
    ("7", "physical evidence"),
]


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    """Tables fit the terminal: make it wide enough that the cells tested do not wrap."""
    monkeypatch.setenv("COLUMNS", "160")


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_list_csv_gives_the_eight_frameworks(run_cli):
    result = run_cli("frameworks", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    found = csv_rows(result.stdout)
    assert found[0] == [*LIST[0], "extends", "refines", "source", "iri"]
    assert [r[:4] for r in found] == LIST
    by_name = {r[0]: r for r in found[1:]}
    assert by_name["7Ps of marketing"][4:6] == ["4Ps of marketing", ""]
    assert by_name["five product levels"][4:6] == ["", "three product levels"]
    assert by_name["3Cs of marketing"][6:] == [
        "Ohmae, Kenichi (1982). The Mind of the Strategist.",
        "https://w3id.org/mktgraph/def/ThreeCs",
    ]
    assert result.stderr == ""


def test_list_defaults_to_csv_off_a_terminal(run_cli):
    result = run_cli("frameworks")
    assert result.exit_code == 0
    assert result.stdout == run_cli("frameworks", "--format", "csv").stdout


def test_list_table_shows_name_originator_year_and_components(run_cli):
    result = run_cli("frameworks", "--format", "table")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [c.strip() for c in lines[1].split("│")[1:-1]] == LIST[0]
    body = [[c.strip() for c in line.split("│")[1:-1]] for line in lines[3:-1]]
    assert body == LIST[1:]
    assert "None" not in result.stdout


def test_list_json(run_cli):
    result = run_cli("frameworks", "--format", "json")
    records = json.loads(result.stdout)
    assert [r["name"] for r in records] == [r[0] for r in LIST[1:]]
    seven = records[6]
    assert seven == {
        "iri": "https://w3id.org/mktgraph/def/SevenPs",
        "name": "7Ps of marketing",
        "originator": "Bernard H. Booms; Mary Jo Bitner",
        "year": 1981,
        "components": 7,
        "extends": "4Ps of marketing",
        "refines": None,
        "source": seven["source"],
    }
    assert seven["source"].startswith("Booms, Bernard H. and Bitner, Mary Jo (1981).")
    assert records[3]["year"] is None


@pytest.mark.parametrize(
    "name",
    [
        "7ps",
        "7Ps",
        "7 P's",
        "services marketing mix",
        "mkt:SevenPs",
        "https://w3id.org/mktgraph/def/SevenPs",
    ],
)
@pytest.mark.slow
def test_one_framework_by_several_names_and_by_iri(run_cli, name):
    result = run_cli("frameworks", name, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    found = csv_rows(result.stdout)
    assert found[0] == ["position", "name", "definition", "iri"]
    assert [(r[0], r[1]) for r in found[1:]] == SEVEN_PS
    assert found[1][3] == "https://w3id.org/mktgraph/def/ProductElement"
    assert found[1][2].startswith("The marketing mix element of what is offered")


@pytest.mark.parametrize(
    ("name", "components"),
    [
        ("4Ps", ["product", "price", "place", "promotion"]),
        ("marketing mix", ["product", "price", "place", "promotion"]),
        ("STP", ["segmentation", "targeting", "positioning"]),
        ("3cs", ["company", "competitors", "customers"]),
        (
            "gap model",
            [
                "knowledge gap",
                "standards gap",
                "delivery gap",
                "communication gap",
                "customer gap",
            ],
        ),
    ],
)
@pytest.mark.slow
def test_short_aliases(run_cli, name, components):
    result = run_cli("frameworks", name, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert [r[1] for r in csv_rows(result.stdout)[1:]] == components


def test_one_framework_as_table_says_what_it_extends_and_its_source(run_cli):
    result = run_cli("frameworks", "7ps", "--format", "table")
    assert result.exit_code == 0
    text = result.stdout
    facts, components = text.split("\n\n")
    assert "│ framework  │ 7Ps of marketing (mkt:SevenPs)" in facts
    assert "│ extends    │ 4Ps of marketing" in facts
    assert "│ source     │ Booms, Bernard H. and Bitner, Mary Jo (1981)." in facts
    assert "│ components │ 7 (in order)" in facts
    assert "refines" not in facts
    for position, name in SEVEN_PS:
        assert f"│ {position:<8} │ {name:<17} │ The " in components


def test_the_3cs_table_says_they_are_unordered(run_cli):
    result = run_cli("frameworks", "3Cs", "--format", "table")
    assert "│ components │ 3 (unordered)" in result.stdout
    assert "None" not in result.stdout


def test_one_framework_as_json(run_cli):
    result = run_cli("frameworks", "five product levels", "--format", "json")
    assert result.exit_code == 0
    detail = json.loads(result.stdout)
    assert {k: v for k, v in detail.items() if k not in ("components", "source")} == {
        "iri": "https://w3id.org/mktgraph/def/FiveProductLevels",
        "name": "five product levels",
        "originator": "Philip Kotler",
        "year": None,
        "extends": None,
        "refines": "three product levels",
        "ordered": True,
    }
    assert detail["source"] == "Kotler, Philip. Marketing Management."
    assert [(c["position"], c["name"]) for c in detail["components"]] == [
        (1, "core benefit"),
        (2, "generic product"),
        (3, "expected product"),
        (4, "augmented product"),
        (5, "potential product"),
    ]
    assert all(c["definition"] and c["iri"] for c in detail["components"])


def test_unknown_framework_is_one_line_on_stderr_and_exit_2(run_cli):
    result = run_cli("frameworks", "8ps")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: unknown framework '8ps'; known frameworks: 3Cs of marketing, 4Ps of marketing, "
        "STP marketing model, three product levels, gap model of service quality, "
        "services marketing triangle, 7Ps of marketing, five product levels "
        "(alternative names such as 7ps or 'marketing mix', and IRIs, work too)\n"
    )


def test_unknown_format_is_a_usage_error(run_cli):
    result = run_cli("frameworks", "--format", "xml")
    assert result.exit_code == 2
    assert result.stdout == ""
