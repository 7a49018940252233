"""The one module that knows where mktgraph's data files are (wheel or checkout)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
KINDS = ("ontology", "shapes", "queries", "examples", "mappings")


@cache
def data_root() -> Path:
    """The folder holding ontology/, shapes/, queries/ and examples/.

    In a wheel they are copied into the package as ``mktgraph/data``; in a checkout
    (and an editable install) they stay at the top of the repository.
    """
    packaged = _PACKAGE_DIR / "data"
    if (packaged / "ontology").is_dir():
        return packaged
    return _PACKAGE_DIR.parent


def data_dir(kind: str) -> Path:
    """The folder of one kind of data file: ontology, shapes, queries or examples."""
    if kind not in KINDS:
        raise ValueError(f"unknown data kind {kind!r}; expected one of {', '.join(KINDS)}")
    return data_root() / kind


def ontology_files() -> list[Path]:
    """The Turtle files that together make up the mktgraph ontology, in a stable order."""
    return sorted(data_dir("ontology").glob("*.ttl"))


def shape_files() -> list[Path]:
    """The SHACL shape files for instance data, in a stable order."""
    return sorted(data_dir("shapes").glob("*.ttl"))


def query_files() -> list[Path]:
    """The named SPARQL query files, in a stable order."""
    return sorted(data_dir("queries").glob("*.rq"))


def example_files() -> list[Path]:
    """The sample knowledge graph's files, in a stable order."""
    return sorted(data_dir("examples").glob("*.ttl"))


def jsonld_context_file() -> Path:
    """mktgraph's own JSON-LD context."""
    return data_dir("ontology") / "context.jsonld"


def mapping_files() -> list[Path]:
    """The shipped import mappings (YARRRML), by name; their lookup tables sit beside them."""
    return sorted(data_dir("mappings").glob("*.yml"))


def lint_check_files() -> list[Path]:
    """The quality checks of `mktgraph lint`, one SPARQL file each, in a stable order."""
    return sorted((data_dir("queries") / "lint").glob("*.rq"))
