"""`mktgraph import`: the shipped mappings over the example exports, into a file and a store."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from mktgraph.importing import run_import
from mktgraph.provenance import Locator
from mktgraph.resources import example_files

MKT = Namespace("https://w3id.org/mktgraph/def/")
NW = "https://example.org/northwind/"


def _values(graph: Graph) -> set[tuple]:
    """Triples with literals by value (so 5880.00 and 5880 are one decimal)."""
    return {
        (s, p, (o.datatype, o.toPython()) if isinstance(o, Literal) else o) for s, p, o in graph
    }


@pytest.fixture(scope="module")
def northwind() -> Graph:
    return Graph().parse(example_files()[0])


def test_filled_templates_give_the_sample_graph(examples, tmp_path, northwind):
    out = tmp_path / "northwind.ttl"
    report = run_import(
        sorted((examples / "templates").glob("*.csv")), "mktgraph", output=str(out), base=NW
    )
    assert (report.rows, report.triples) == (54, 281)
    imported = _values(Graph().parse(out))
    subjects = {s for s, _, _ in imported}
    expected = {t for t in _values(northwind) if t[0] in subjects}
    assert imported - expected == set()
    # what the templates do not hold: the customer role (customers.csv) and descriptions
    missing = expected - imported
    assert sorted(
        (str(s), str(p), str(o[1] if isinstance(o, tuple) else o)) for s, p, o in missing
    ) == [
        (NW + "baltic-grocers", str(RDF.type), str(MKT.Customer)),
        (NW + "greenleaf-tea", str(RDF.type), str(MKT.Customer)),
        (NW + "pixel-tees", str(RDF.type), str(MKT.Customer)),
        (
            NW + "segment-midmarket-retail",
            "https://schema.org/description",
            "Store chains with 20 to 500 outlets whose finance and category managers want margin "
            "figures per store.",
        ),
        (
            NW + "segment-online-shops",
            "https://schema.org/description",
            "Owner-run web shops with one to twenty staff, selling to consumers.",
        ),
        (
            NW + "segment-wholesale",
            "https://schema.org/description",
            "Distributors that supply retailers and track margin per customer and per product "
            "line.",
        ),
        (NW + "stadtmarkt", str(RDF.type), str(MKT.Customer)),
    ]


def _rows(run_cli, query: str, data: Path) -> list[list[str]]:
    result = run_cli("query", query, "--data", str(data), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return list(csv.reader(io.StringIO(result.stdout)))


def _open_leads(rows: list[list[str]], campaigns: set[str]) -> list[tuple]:
    """open-leads without the lead IRI, creation times as UTC instants (or wall-clock times
    where the export has no time zone), only leads of the given campaigns."""
    found = []
    for _lead, prospect, email, campaign, created in rows[1:]:
        if campaign in campaigns:
            when = dt.datetime.fromisoformat(created.replace("Z", "+00:00"))
            found.append((prospect, email, campaign, when))
    return sorted(found)


@pytest.mark.parametrize("crm", ["salesforce", "hubspot"])
@pytest.mark.slow
def test_crm_exports_answer_like_the_sample_graph(run_cli, examples, tmp_path, crm):
    out = tmp_path / f"{crm}.ttl"
    files = sorted(str(p) for p in (examples / crm).glob("*.csv"))
    result = run_cli("import", *files, "--mapping", crm, "--base", NW + crm + "/", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    sample = example_files()[0]
    expected = [row[1:] for row in _rows(run_cli, "lead-to-deal", sample)]
    assert [row[1:] for row in _rows(run_cli, "lead-to-deal", out)] == expected
    campaigns = {row[0] for row in expected[1:]}
    wanted = _open_leads(_rows(run_cli, "open-leads", sample), campaigns)
    got = _open_leads(_rows(run_cli, "open-leads", out), campaigns)
    if crm == "hubspot":  # HubSpot exports local times without a zone
        wanted = [(*row[:3], row[3].replace(tzinfo=None)) for row in wanted]
    assert got == wanted
    assert len(got) == 11


@pytest.mark.slow
def test_import_into_a_store_is_idempotent_and_replace_updates_rows(examples, tmp_path):
    store = tmp_path / "store"
    files = sorted((examples / "salesforce").glob("*.csv"))
    run_import(files, "salesforce", store=str(store), base=NW)
    count = ox.Store(str(store))
    amount = URIRef(NW + "0065g000000001AAQ-amount")
    value = ox.NamedNode("https://schema.org/value")

    def state():
        db = ox.Store.read_only(str(store))
        return len(db), [
            q.object.value
            for q in db.quads_for_pattern(ox.NamedNode(str(amount)), value, None, ox.DefaultGraph())
        ]

    del count
    first = state()
    assert first[1] == ["5880"]
    run_import(files, "salesforce", store=str(store), base=NW)
    assert state() == first
    # a changed amount: without --replace both values stay, with it the old one goes
    changed = tmp_path / "changed"
    changed.mkdir()
    text = (examples / "salesforce" / "Opportunity.csv").read_text(encoding="utf-8")
    (changed / "Opportunity.csv").write_text(
        text.replace(",5880.00,", ",6100.00,", 1), encoding="utf-8"
    )
    report = run_import(
        [changed / "Opportunity.csv"], "salesforce", store=str(store), base=NW, replace=True
    )
    assert state() == (first[0], ["6100"])
    assert report.replaced == 54  # every value the 9 opportunities' rows fill (6 each)


def test_provenance_points_at_file_row_and_column(examples, tmp_path):
    out = tmp_path / "sf.ttl"
    files = [str(p) for p in sorted((examples / "salesforce").glob("*.csv"))]
    run_import(files, "salesforce", output=str(out), base=NW)
    locator = Locator.for_files([out])
    opportunity = str(examples / "salesforce" / "Opportunity.csv")
    lead = str(examples / "salesforce" / "Lead.csv")
    located = locator.locate(NW + "0065g000000003AAQ-amount", "https://schema.org/value")
    assert (located.file, located.row, located.column) == (opportunity, 4, "Amount")
    located = locator.locate(NW + "0065g000000003AAQ", str(MKT.dealStage))
    assert (located.file, located.row, located.column) == (opportunity, 4, "StageName")
    # a deal's lead comes from the lead's row (Lead.ConvertedOpportunityId)
    located = locator.locate(NW + "0065g000000003AAQ", str(MKT.worksLead))
    assert (located.file, located.row, located.column) == (lead, 6, "Id")
    located = locator.locate(NW + "00Q5g000000002AAC", None)
    assert (located.file, located.row, located.column) == (lead, 3, "")
    assert locator.locate(NW + "nothing-here", None) is None


def test_xlsx_import(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["id", "name", "deal_stage", "works_lead_id", "amount", "amount_currency", "close_date"]
    )
    sheet.append(["d1", "Deal one", "won", "lead-1", 5880, "EUR", dt.datetime(2024, 3, 20)])
    book.save(tmp_path / "deals.xlsx")
    out = tmp_path / "deals.nt"
    run_import([tmp_path / "deals.xlsx"], output=str(out), base="https://example.org/x/")
    got = sorted(Graph().parse(out).triples((URIRef("https://example.org/x/d1"), None, None)))
    assert [(str(p), str(o)) for _, p, o in got] == [
        (str(RDF.type), str(MKT.Deal)),
        ("https://schema.org/name", "Deal one"),
        (str(MKT.amount), "https://example.org/x/d1-amount"),
        (str(MKT.closeDate), "2024-03-20"),
        (str(MKT.dealStage), str(MKT.WonStage)),
        (str(MKT.worksLead), "https://example.org/x/lead-1"),
    ]


def test_copy_of_examples_untouched(examples, tmp_path):
    """The example exports stay as committed (the tests above only read them)."""
    copy = tmp_path / "copy"
    shutil.copytree(examples, copy)
    assert sorted(p.name for p in (copy / "salesforce").iterdir()) == [
        "Campaign.csv",
        "CampaignMember.csv",
        "Lead.csv",
        "Opportunity.csv",
    ]


def test_a_users_own_mapping_with_its_lookup_table(tmp_path):
    (tmp_path / "pipeline-stages.csv").write_text(
        "Phase,stage\nNegotiating,OpenStage\nSigned,WonStage\nDropped,LostStage\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "our-crm.yml"
    mapping.write_text(
        """prefixes:
  mkt: https://w3id.org/mktgraph/def/
  base: http://mktgraph.invalid/base/
mappings:
  stage:
    sources:
      - [pipeline-stages.csv~csv]
    s: mkt:$(stage)
  deal:
    sources:
      - [pipeline.csv~csv]
    s: base:deal-$(No)
    po:
      - [a, mkt:Deal]
      - p: mkt:dealStage
        o:
          mapping: stage
          condition:
            function: equal
            parameters:
              - [str1, $(Phase)]
              - [str2, $(Phase)]
""",
        encoding="utf-8",
    )
    data = tmp_path / "export" / "pipeline.csv"
    data.parent.mkdir()
    data.write_text("No;Phase\n7;signed\n8;Dropped\n", encoding="utf-8")
    out = tmp_path / "deals.nt"
    run_import([data], str(mapping), output=str(out), base="https://ours.example/")
    assert sorted(out.read_text(encoding="utf-8").splitlines()) == sorted(
        [
            f"<https://ours.example/deal-7> <{RDF.type}> <{MKT.Deal}> .",
            f"<https://ours.example/deal-8> <{RDF.type}> <{MKT.Deal}> .",
            f"<https://ours.example/deal-7> <{MKT.dealStage}> <{MKT.WonStage}> .",
            f"<https://ours.example/deal-8> <{MKT.dealStage}> <{MKT.LostStage}> .",
        ]
    )
