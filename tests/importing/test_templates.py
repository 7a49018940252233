"""CSV templates: derived from the shapes and the ontology, written with their README."""

from __future__ import annotations

import csv

import pytest
from rdflib import URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from mktgraph.errors import InputError
from mktgraph.graph import load
from mktgraph.resources import shape_files
from mktgraph.templates import TEMPLATE_CLASSES, resolve, template_for, write_templates

MKT = "https://w3id.org/mktgraph/def/"


def test_deal_template_columns():
    assert template_for("deals").header == [
        "id",
        "name",
        "deal_stage",
        "works_lead_id",
        "amount",
        "amount_currency",
        "close_date",
    ]


def test_lead_and_campaign_template_columns():
    assert template_for("leads").header == [
        "id",
        "name",
        "created_at",
        "generated_by_id",
        "prospect_id",
        "contact_email",
    ]
    assert template_for("campaigns").header == [
        "id",
        "name",
        "channel",
        "start_date",
        "budget",
        "budget_currency",
        "end_date",
        "target_segment_id",
    ]


def test_required_columns_follow_violation_min_counts():
    required = {c.name for c in template_for("deals").columns if c.required}
    assert required == {"id", "deal_stage", "works_lead_id"}
    # a discount is required of discount promotions only, so optional in the promotions file
    promotion = {c.name: c for c in template_for("promotions").columns}
    assert not promotion["discount_percent"].required
    assert promotion["type"].allowed == ("Promotion", "BrandPromotion", "DiscountPromotion")


def _in_list(shapes, shape_name: str) -> tuple[str, ...]:
    shape = URIRef("https://w3id.org/mktgraph/shapes/" + shape_name)
    return tuple(
        str(m).rsplit("/", 1)[-1] for m in Collection(shapes, shapes.value(shape, SH["in"]))
    )


def test_fixed_sets_are_the_shapes_value_sets():
    shapes = load(shape_files())
    columns = {c.name: c for c in template_for("deals").columns}
    assert columns["deal_stage"].allowed == _in_list(shapes, "Deal-dealStage")
    assert columns["deal_stage"].allowed == ("OpenStage", "WonStage", "LostStage")
    channel = {c.name: c for c in template_for("campaigns").columns}["channel"]
    assert channel.allowed == _in_list(shapes, "MarketingCampaign-channel")
    dimension = {c.name: c for c in template_for("servqual-scores").columns}["servqual_dimension"]
    assert dimension.allowed == (
        "Tangibles",
        "Reliability",
        "Responsiveness",
        "Assurance",
        "Empathy",
    )


def test_every_required_property_of_every_template_class_has_a_column():
    """No drift: a property a shape requires of a class is a column of its template."""
    shapes = load(shape_files())
    # a link both ends know is filled at one end: a score names its assessment
    anywhere = {c.property for name in TEMPLATE_CLASSES for c in template_for(name).columns}
    for name, cls in TEMPLATE_CLASSES.items():
        properties = {c.property for c in template_for(name).columns}
        for node_shape in shapes.subjects(SH.targetClass, cls):
            for shape in shapes.objects(node_shape, SH.property):
                path = shapes.value(shape, SH.path)
                min_count = shapes.value(shape, SH.minCount)
                if shapes.value(shape, SH.severity) != SH.Violation or not min_count:
                    continue
                if isinstance(path, URIRef):
                    assert path in properties or path in anywhere, (name, path)
                elif (inverse := shapes.value(path, SH.inversePath)) is not None:
                    assert inverse in properties, (name, inverse)


def test_resolve_by_template_class_or_curie():
    assert [t.name for t in resolve(["Deal", "mkt:Lead", "campaigns", "deal"])] == [
        "deals",
        "leads",
        "campaigns",
    ]
    with pytest.raises(InputError, match="unknown template 'widgets'"):
        resolve(["widgets"])


def test_write_templates_and_readme(tmp_path):
    written = write_templates(["deals", "leads"], tmp_path)
    assert [p.name for p in written] == ["deals.csv", "leads.csv", "README.md"]
    with open(tmp_path / "deals.csv", newline="", encoding="utf-8") as handle:
        assert list(csv.reader(handle)) == [template_for("deals").header]
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert (
        "| `deal_stage` | yes | one of the allowed values | OpenStage, WonStage, LostStage |"
        in readme
    )
    assert "## leads.csv (mkt:Lead)" in readme


def test_write_templates_keeps_filled_files(tmp_path):
    (tmp_path / "deals.csv").write_text("id\nd1\n", encoding="utf-8")
    with pytest.raises(InputError, match="deals.csv: exists; pass --force"):
        write_templates(["deals"], tmp_path)
    assert (tmp_path / "deals.csv").read_text(encoding="utf-8") == "id\nd1\n"
    write_templates(["deals"], tmp_path, force=True)
    assert (tmp_path / "deals.csv").read_text(encoding="utf-8").startswith("id,name,deal_stage")


def test_template_command_writes_files_and_lists_them(run_cli, tmp_path):
    result = run_cli("template", "Deal", "leads", "-o", str(tmp_path / "data"))
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / "data"
    assert result.stdout.splitlines() == [
        str(folder / "deals.csv"),
        str(folder / "leads.csv"),
        str(folder / "README.md"),
    ]
    assert (folder / "leads.csv").read_bytes() == (
        b"id,name,created_at,generated_by_id,prospect_id,contact_email\r\n"
    )


def test_template_command_refuses_to_overwrite(run_cli, tmp_path):
    (tmp_path / "deals.csv").write_text("id\nd1\n", encoding="utf-8")
    result = run_cli("template", "deals", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'deals.csv'}: exists; pass --force to overwrite\n"
    assert result.stdout == ""
