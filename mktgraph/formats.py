"""The names of every input and output format, declared once (no imports: `--help` lists them)."""

from __future__ import annotations

from pathlib import PurePath

# RDF formats: mktgraph's name -> what people call it (error messages name it so).
RDF_FORMAT_NAMES: dict[str, str] = {
    "turtle": "Turtle",
    "nt": "N-Triples",
    "nquads": "N-Quads",
    "trig": "TriG",
    "json-ld": "JSON-LD",
    "xml": "RDF/XML",
}

# File extension -> RDF format, for the files mktgraph reads (and names it writes).
RDF_FORMATS_BY_EXTENSION: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}

# The RDF formats a graph is written in (export, CONSTRUCT answers, reports, inferred facts).
GRAPH_FORMATS = ("turtle", "json-ld", "nt", "nquads", "xml")
# The extension each graph format's files get.
GRAPH_EXTENSIONS = {
    "turtle": ".ttl",
    "json-ld": ".jsonld",
    "nt": ".nt",
    "nquads": ".nq",
    "xml": ".rdf",
}
# SELECT and ASK answers: a text table, or the W3C SPARQL 1.1 results formats.
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
# Lists of records (queries, frameworks, validation rows).
RECORD_FORMATS = ("table", "csv", "json")
# A validation: a summary grouped by shape, rows, or the SHACL report graph.
VALIDATE_FORMATS = ("text", "table", "csv", "json", "turtle", "json-ld")
# The facts a reasoner inferred: every graph format, and TriG (a default graph only).
REASON_FORMATS = (*GRAPH_FORMATS, "trig")
# Facts about the ontology.
INFO_FORMATS = ("table", "csv", "json")
# A framework: its list of components, or its diagram.
FRAMEWORK_FORMATS = (*RECORD_FORMATS, "svg")
# Lint findings: a summary grouped by check, or rows.
LINT_FORMATS = ("text", "table", "csv", "json")
# File extension -> SELECT/ASK results format, for -o (.srj and .srx: the W3C's own names).
RESULT_FORMATS_BY_EXTENSION = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".json": "json",
    ".srj": "json",
    ".xml": "xml",
    ".srx": "xml",
}
# File extension -> validation output format, for -o.
VALIDATE_FORMATS_BY_EXTENSION = {
    ".txt": "text",
    ".csv": "csv",
    ".json": "json",
    ".ttl": "turtle",
    ".jsonld": "json-ld",
}


def graph_format_for(
    path: str | PurePath | None, default: str = "turtle", allowed: tuple[str, ...] = GRAPH_FORMATS
) -> str:
    """The graph format a file name asks for by its extension (``default`` for none known, and
    for standard output, "-")."""
    if not path or str(path) == "-":
        return default
    fmt = RDF_FORMATS_BY_EXTENSION.get(PurePath(path).suffix.lower())
    return fmt if fmt in allowed else default


def format_by_extension(path: str | PurePath | None, table: dict[str, str]) -> str | None:
    """The format ``table`` gives the file name's extension, or None (also for "-")."""
    if not path or str(path) == "-":
        return None
    return table.get(PurePath(path).suffix.lower())
