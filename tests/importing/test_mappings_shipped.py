"""The shipped mappings: found through mktgraph.resources, parse, and travel in the wheel."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from mktgraph.importing import parse_mapping, plan_sources, shipped_mappings
from mktgraph.templates import TEMPLATE_CLASSES, template_for

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_mapping_names():
    assert sorted(shipped_mappings()) == ["hubspot", "mktgraph", "salesforce"]


def test_the_mktgraph_mapping_reads_the_templates_columns():
    """No drift between `mktgraph template` and the default mapping: each template file is a
    source of the mapping, and the mapping reads exactly the template's columns."""
    mapping = shipped_mappings()["mktgraph"]
    rules, _, _ = parse_mapping(mapping)
    plans, lookups = plan_sources(rules, mapping)
    assert lookups == {}
    assert sorted(plans) == sorted(f"{name}.csv" for name in TEMPLATE_CLASSES)
    for name in TEMPLATE_CLASSES:
        template = template_for(name)
        assert sorted(plans[template.file_name].needs) == sorted(template.header), name


@pytest.mark.slow
def test_the_wheel_ships_the_mappings_and_their_lookups(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = {n for n in archive.namelist() if n.startswith("mktgraph/data/mappings/")}
    assert names == {
        f"mktgraph/data/mappings/{p.name}" for p in (ROOT / "mappings").iterdir() if p.is_file()
    }
    assert "mktgraph/data/mappings/salesforce-stages.csv" in names
