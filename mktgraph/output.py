"""Presenting results to people: query answers, records, validation reports, reasoning summaries,
load reports (table, CSV, TSV, JSON, XML, RDF); files.py writes them safely."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mktgraph.errors import InputError, QueryError
from mktgraph.formats import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    RESULT_FORMATS_BY_EXTENSION,
    VALIDATE_FORMATS_BY_EXTENSION,
    format_by_extension,
    graph_format_for,
)
from mktgraph.prefixes import XSD_IRI, shorten
from mktgraph.queries import CsvAnswer

# rdflib is imported where an answer needs it: a store's own CSV, the records of `queries`,
# `frameworks` and `info` are written without it (a light start for light commands).
if TYPE_CHECKING:
    from rdflib.query import Result

    from mktgraph.frameworks import Framework, FrameworkDetail
    from mktgraph.importing import ImportReport
    from mktgraph.lint import Check, LintResult
    from mktgraph.ontology import OntologyInfo
    from mktgraph.queries import NamedQuery
    from mktgraph.reason import ReasoningResult
    from mktgraph.sources import SourceSpec
    from mktgraph.stores import LoadReport
    from mktgraph.validate import ValidationResult

__all__ = ["display", "shorten"]  # shorten lives in prefixes; output is where callers find it

MIN_COLUMN_WIDTH = 12


def display(term) -> str:
    """A term as a person reads it: IRIs shortened by our prefixes, literals as their text."""
    from mktgraph.namespaces import display as displayed

    return displayed(term)


def _fit_widths(natural: list[int], total: int) -> list[int]:
    """Column widths that fit ``total`` characters of table, shrinking the widest first."""
    widths = list(natural)
    budget = total - (3 * len(widths) + 1)  # "| " + " | " ... + " |"
    while sum(widths) > budget:
        widest = max(range(len(widths)), key=widths.__getitem__)
        if widths[widest] <= MIN_COLUMN_WIDTH:
            break
        widths[widest] -= 1
    return widths


def render_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], width: int | None = None
) -> str:
    """A text table that wraps long cells to fit the terminal (or ``width``)."""
    from prettytable import PrettyTable, TableStyle

    if width is None:
        width = shutil.get_terminal_size((120, 24)).columns
    table = PrettyTable()
    table.set_style(TableStyle.SINGLE_BORDER)
    table.field_names = list(header)
    table.align = "l"
    natural = [
        max([len(h)] + [max((len(x) for x in str(r[i]).splitlines()), default=0) for r in rows])
        for i, h in enumerate(header)
    ]
    for name, fitted in zip(header, _fit_widths(natural, width), strict=True):
        table.max_width[name] = fitted
    for row in rows:
        table.add_row(list(row))
    return table.get_string()


_RESULTS_FORMATS = {"csv": "CSV", "tsv": "TSV", "json": "JSON", "xml": "XML"}
# A blank node label that N-Triples (and so every SPARQL results parser) accepts.
# (Patterns as text, compiled by re on first use: light commands never pay for them.)
_BLANK_LABEL = r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?<!\.)\Z"
# A TSV cell holding a negative decimal written bare, as Turtle allows (rdflib's TSV parser
# fails on it: it negates the Decimal as if it were an int or a float).
_BARE_NEGATIVE_DECIMAL = r"(?<![^\t\n])-[0-9]*\.[0-9]+(?![^\t\n])"
# Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"


def render_result(result, fmt: str, width: int | None = None) -> str:
    """A SELECT or ASK result in one of RESULT_FORMATS (ASK in csv/tsv/table is true/false).

    ``result`` is an rdflib ``Result`` or a pyoxigraph answer (``QuerySolutions`` or
    ``QueryBoolean``). The W3C formats are written by Oxigraph's result serialisers, which
    write every term exactly (rdflib's write zero, ``0.0`` and ``false`` as empty literals in
    XML, and tabs and newlines raw in TSV); every output ends with a newline.
    """
    if fmt not in RESULT_FORMATS:
        raise InputError(
            f"unknown result format {fmt!r}; expected one of {', '.join(RESULT_FORMATS)}"
        )
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return _render_boolean(bool(result), fmt)
    if not isinstance(result, ox.QuerySolutions) and result.type == "ASK":
        return _render_boolean(bool(result.askAnswer), fmt)
    if fmt == "table":
        from mktgraph.namespaces import display

        if isinstance(result, ox.QuerySolutions):
            result = _to_rdflib(result)
        variables = list(result.vars or [])
        rows = [[display(row.get(v)) for v in variables] for row in result.bindings]
        return render_table([str(v) for v in variables], rows, width) + "\n"
    solutions = result if isinstance(result, ox.QuerySolutions) else oxigraph_solutions(result)
    return _serialize(solutions, fmt)


def _render_boolean(answer: bool, fmt: str) -> str:
    if fmt in ("json", "xml"):
        import pyoxigraph as ox

        boolean = ox.parse_query_results(
            '{"head":{},"boolean":%s}' % ("true" if answer else "false"),
            ox.QueryResultsFormat.JSON,
        )
        return _serialize(boolean, fmt)
    return "true\n" if answer else "false\n"


def _serialize(answer, fmt: str) -> str:
    import pyoxigraph as ox

    try:
        data = answer.serialize(format=getattr(ox.QueryResultsFormat, _RESULTS_FORMATS[fmt]))
    except (OSError, ValueError, RuntimeError) as error:
        raise QueryError(f"cannot write the answer as {fmt}: {error}") from None
    text = data.decode("utf-8")
    if fmt == "xml":
        bad = re.search(_NOT_XML, text)
        if bad:
            raise QueryError(
                f"the answer holds the character U+{ord(bad.group()):04X}, which XML cannot "
                "carry; use --format json or tsv"
            )
        # Oxigraph writes a carriage return inside a literal raw, and XML parsers read it as a
        # newline: a character reference keeps it. The writer itself puts none in its markup.
        text = text.replace("\r", "&#13;")
    elif fmt == "tsv" and "-" in text:
        decimal = f"<{XSD_IRI}decimal>"
        text = re.sub(_BARE_NEGATIVE_DECIMAL, lambda m: f'"{m.group()}"^^{decimal}', text)
    return text if text.endswith("\n") else text + "\n"


def oxigraph_solutions(result: Result):
    """An rdflib SELECT ``Result`` as pyoxigraph ``QuerySolutions``, every term as it is.

    pyoxigraph has no constructor for solutions, and its query engine would canonicalise
    literals given as bindings ("1.50" -> "1.5"), so the rows go through its JSON results
    parser, which keeps each lexical form.
    """
    import json

    import pyoxigraph as ox

    variables = list(result.vars or [])
    labels: dict[str, str] = {}
    bindings = []
    # ``result.bindings``, not iteration, which drops the solutions that bind no variable.
    for row in result.bindings:
        binding = {}
        for variable in variables:
            term = row.get(variable)
            if term is not None:
                binding[str(variable)] = _json_term(term, labels)
        bindings.append(binding)
    names = [str(v) for v in variables]
    document = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}})
    try:
        return ox.parse_query_results(document, ox.QueryResultsFormat.JSON)
    except SyntaxError as error:
        raise QueryError(f"the answer holds a term no results format can carry: {error}") from None


def _json_term(term, labels: dict[str, str]) -> dict[str, str]:
    """An rdflib term in the W3C SPARQL JSON results syntax."""
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import XSD

    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        label = str(term)
        if not re.match(_BLANK_LABEL, label):
            # A label some engine made up that N-Triples cannot write: a fresh one, the same
            # for every occurrence, so the rows still join on it.
            label = labels.setdefault(label, f"mktgraphb{len(labels)}")
        return {"type": "bnode", "value": label}
    if isinstance(term, Literal):
        if term.language:
            return {"type": "literal", "value": str(term), "xml:lang": term.language}
        if term.datatype is not None and term.datatype != XSD.string:
            return {"type": "literal", "value": str(term), "datatype": str(term.datatype)}
        return {"type": "literal", "value": str(term)}
    raise QueryError(f"the answer holds {term!r}, which no SPARQL results format can carry")


def _to_rdflib(solutions) -> Result:
    from mktgraph.stores.embedded import to_rdflib_result

    return to_rdflib_result(solutions, "SELECT")


def atomic_output(path: str | Path):  # -> ContextManager[IO[bytes]]
    """A binary file to write or stream into (see ``files.output_file``: atomic for a regular
    file, through symlinks, devices and FIFOs written in place)."""
    from mktgraph.files import output_file

    return output_file(path)


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` all at once (see ``files.output_file``)."""
    from mktgraph.files import write_output

    write_output(path, data)


def table_format(fmt: str | None, output: str | Path | None, *, terminal: bool) -> str:
    """The format of a SELECT/ASK answer: ``fmt``, else the one the extension of the file
    ``output`` names, else a table on a terminal and CSV elsewhere (a pipe, a file)."""
    named = format_by_extension(output, RESULT_FORMATS_BY_EXTENSION)
    return fmt or named or ("table" if terminal else "csv")


def render_answer(
    answer: Result | CsvAnswer,
    fmt: str | None,
    *,
    terminal: bool = False,
    output: str | Path | None = None,
) -> str:
    """A query's answer, to be written to ``output`` (None or "-": stdout): SELECT/ASK in a
    RESULT_FORMATS format (default: see table_format), CONSTRUCT/DESCRIBE in a GRAPH_FORMATS
    format (default: the one the file's extension names, else Turtle)."""
    if isinstance(answer, CsvAnswer):  # written by the store itself
        return answer.text
    if answer.type in ("CONSTRUCT", "DESCRIBE"):
        fmt = fmt or graph_format_for(output)
        if fmt not in GRAPH_FORMATS:
            raise InputError(
                f"a {answer.type} query gives RDF: --format must be one of "
                f"{', '.join(GRAPH_FORMATS)}"
            )
        from mktgraph.export import serialize

        return serialize(answer.graph, fmt)
    fmt = table_format(fmt, output, terminal=terminal)
    if fmt not in RESULT_FORMATS:
        raise InputError(
            f"a {answer.type} query gives a table: --format must be one of "
            f"{', '.join(RESULT_FORMATS)}"
        )
    return render_result(answer, fmt)


def render_records(records: list[dict], columns: list[str], fmt: str) -> str:
    """Records (dicts of plain values) as a table, CSV or JSON."""
    import csv
    import io
    import json

    if fmt == "json":
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(records)
        return buffer.getvalue()
    return render_table(columns, [[str(r.get(c, "")) for c in columns] for r in records]) + "\n"


def render_queries(named: Iterable[NamedQuery], fmt: str) -> str:
    """The named queries with their titles and parameters (``[name=default]`` when optional)."""
    records = [
        {
            "name": q.name,
            "title": q.title,
            "parameters": " ".join(
                p.name if p.required else f"[{p.name}={p.default}]" for p in q.parameters
            ),
        }
        for q in named
    ]
    return render_records(records, ["name", "title", "parameters"], fmt)


def render_info(info: OntologyInfo, fmt: str) -> str:
    """What `mktgraph info` shows: a table of facts, CSV (property, value) or JSON."""
    import json

    facts = info.as_dict()
    if fmt == "json":
        return json.dumps(facts, indent=2) + "\n"
    if fmt == "csv":
        records = [{"property": k, "value": v} for k, v in facts.items()]
        return render_records(records, ["property", "value"], "csv")
    rows = [[k.replace("_", " "), str(v)] for k, v in facts.items()]
    return render_table(["property", "value"], rows) + "\n"


FRAMEWORK_TABLE_COLUMNS = ["name", "originator", "year", "components"]
FRAMEWORK_COLUMNS = [*FRAMEWORK_TABLE_COLUMNS, "extends", "refines", "source", "iri"]
COMPONENT_TABLE_COLUMNS = ["position", "name", "definition"]
COMPONENT_COLUMNS = [*COMPONENT_TABLE_COLUMNS, "iri"]


def _cells(record: dict, fmt: str) -> dict:
    """A record as a table shows it: a missing value as an empty cell."""
    return {k: "" if v is None else v for k, v in record.items()} if fmt == "table" else record


def render_frameworks(frameworks: Sequence[Framework] | FrameworkDetail, fmt: str) -> str:
    """The frameworks as a table (the main columns), CSV or JSON (every column); or one of
    them with its components (see render_framework)."""
    if not isinstance(frameworks, Sequence):
        return render_framework(frameworks, fmt)
    records = [_cells(f.as_record(), fmt) for f in frameworks]
    columns = FRAMEWORK_TABLE_COLUMNS if fmt == "table" else FRAMEWORK_COLUMNS
    return render_records(records, columns, fmt)


def render_framework(detail: FrameworkDetail, fmt: str) -> str:
    """One framework: JSON (the framework with its components), CSV (its components), or a
    table of its facts followed by a table of its components."""
    import json

    if fmt == "json":
        return json.dumps(detail.as_dict(), indent=2, ensure_ascii=False) + "\n"
    components = [_cells(c.as_record(), fmt) for c in detail.components]
    if fmt == "csv":
        return render_records(components, COMPONENT_COLUMNS, fmt)
    framework = detail.framework
    count = f"{framework.components} ({'in order' if detail.ordered else 'unordered'})"
    facts = [
        ("framework", f"{framework.name} ({shorten(framework.iri)})"),
        ("originator", framework.originator),
        ("year", framework.year or ""),
        ("extends", framework.extends or ""),
        ("refines", framework.refines or ""),
        ("source", framework.source),
        ("components", count),
    ]
    records = [{"property": k, "value": v} for k, v in facts if v != ""]
    return (
        render_records(records, ["property", "value"], fmt)
        + "\n"
        + render_records(components, COMPONENT_TABLE_COLUMNS, fmt)
    )


VALIDATE_COLUMNS = ["focus", "path", "value", "severity", "message", "shape", "component"]
ORIGIN_COLUMNS = ["file", "row", "column"]


def _json_cell(column: str, text: str):
    """A row number is a number in JSON (null when unknown); every other field is text."""
    if column == "row":
        return int(text) if text else None
    return text


def validation_format(fmt: str | None, output: str | Path | None) -> str:
    """The format of a validation's output: ``fmt``, else the one the extension of the file
    ``output`` names, else text."""
    return fmt or format_by_extension(output, VALIDATE_FORMATS_BY_EXTENSION) or "text"


def render_validation(result: ValidationResult, fmt: str) -> str:
    """A validation result as text, a table, CSV, JSON, or the SHACL report in RDF."""
    import json

    if fmt in GRAPH_FORMATS:
        from mktgraph.export import report_turtle, serialize

        # Turtle straight from the report's triples: no rdflib Graph is built for it.
        written = report_turtle(result.report_triples) if fmt == "turtle" else None
        return written if written is not None else serialize(result.report, fmt)
    records = [row.as_dict() for row in result.rows]
    # Imported data: where each value came from (see mktgraph.provenance).
    extra = ORIGIN_COLUMNS if any(row.file for row in result.rows) else []
    if fmt == "json":
        document = {
            "conforms": result.conforms,
            "inference": result.inference,
            "counts": result.counts,
            "results": [
                {c: _json_cell(c, r[c]) for c in VALIDATE_COLUMNS + extra} for r in records
            ],
            "warnings": list(result.warnings),
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if fmt in ("csv", "table"):
        return render_records(records, VALIDATE_COLUMNS + extra, fmt)
    parts = [result.summary() + "\n"]
    columns = ["focus", "path", "value", "severity", "message", *extra]
    for shape in dict.fromkeys(r["shape"] for r in records):
        group = [r for r in records if r["shape"] == shape]
        parts.append(f"\n{shape} ({len(group)} result{'' if len(group) == 1 else 's'})\n")
        parts.append(render_table(columns, [[r[c] for c in columns] for r in group]) + "\n")
    return "".join(parts)


def render_checks(checks: Iterable[Check], fmt: str) -> str:
    """The lint checks: name, severity and title."""
    records = [{"check": c.name, "severity": c.severity, "title": c.title} for c in checks]
    return render_records(records, ["check", "severity", "title"], fmt)


LINT_COLUMNS = ["check", "severity", "entity", "property", "value", "message"]


def render_lint(result: LintResult, fmt: str) -> str:
    """Lint findings as text (a summary, then a table per check), a table, CSV or JSON."""
    import json

    records = [finding.as_dict() for finding in result.findings]
    if fmt == "json":
        document = {
            "targets": result.targets,
            "checks": result.checks,
            "counts": result.counts,
            "findings": [{c: r[c] for c in LINT_COLUMNS} for r in records],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if fmt in ("csv", "table"):
        return render_records(records, LINT_COLUMNS, fmt)
    parts = [result.summary() + "\n"]
    columns = ["entity", "property", "value"]
    for check in dict.fromkeys(r["check"] for r in records):
        group = [r for r in records if r["check"] == check]
        first = group[0]
        count = f"{len(group)} finding{'' if len(group) == 1 else 's'}"
        parts.append(f"\n{check} ({first['severity']}, {count}): {first['message']}\n")
        parts.append(render_table(columns, [[r[c] for c in columns] for r in group]) + "\n")
    return "".join(parts)


def reasoning_summary(result: ReasoningResult, *, table: bool = True) -> str:
    """A few lines for a person: the verdict, the reasoner and why, what was inferred (with
    ``table``, the facts by kind too; the CLI writes them as CSV in a pipe)."""
    from mktgraph.reason import REASONER_NAMES, RL_REASONERS, show

    name = REASONER_NAMES[result.reasoner]
    lines = []
    if not result.consistent:
        lines.append(f"inconsistent: the data contradicts the ontology ({name})")
    elif result.unsatisfiable:
        lines.append(f"consistent, but {len(result.unsatisfiable)} unsatisfiable class(es)")
    else:
        lines.append("consistent; no unsatisfiable classes")
    lines.append(f"reasoner: {name}, {result.choice}; {result.seconds:.1f} s")
    if result.ontology_check:
        lines.append(f"ontology: {result.ontology_check}")
    if result.reasoner in RL_REASONERS and result.consistent and not result.ontology_check:
        lines.append("note: OWL 2 RL does not test classes for satisfiability")
    for cls in result.unsatisfiable:
        lines.append(f"unsatisfiable: {show(cls)}")
    if not result.consistent:
        lines += _problem_lines(result)
        return "\n".join(lines) + "\n"
    types = sum(n for kind, _term, n in result.counts() if kind == "type")
    lines.append(
        f"inferred facts: {result.inferred_count} "
        f"({types} new types, {result.inferred_count - types} property values)"
    )
    rows = [[kind, show(term), str(n)] for kind, term, n in result.counts()]
    if rows and table:
        lines.append(render_table(["kind", "term", "facts"], rows))
    return "\n".join(lines) + "\n"


def _problem_lines(result: ReasoningResult) -> list[str]:
    from mktgraph.reason import show

    involved = " ".join(show(i) for i in result.involved) or "unknown"
    lines = [f"individuals involved: {involved}"]
    for number, problem in enumerate(result.problems, 1):
        lines.append(f"{number}. {problem.why}")
        for fact in problem.facts:
            lines.append(f"   {fact.n3()}  # {'stated' if fact.asserted else 'inferred'}")
    if not result.problems:
        lines.append(
            "no cause found by the OWL 2 RL diagnosis; "
            "for an explanation use --reasoner pellet --explain"
        )
    if result.explanation:
        lines.append("explanation (Pellet):")
        lines += ["   " + line for line in result.explanation.strip().splitlines()]
    return lines


def render_reasoning_counts(result: ReasoningResult, fmt: str = "csv") -> str:
    """The inferred facts by kind (new types per class, values per property) as records."""
    from mktgraph.reason import show

    records = [{"kind": kind, "term": show(term), "facts": n} for kind, term, n in result.counts()]
    return render_records(records, ["kind", "term", "facts"], fmt)


def render_inferred(result: ReasoningResult, fmt: str) -> str:
    """The facts a reasoner inferred, as RDF in one of REASON_FORMATS."""
    from mktgraph.export import serialize

    return serialize(result.inferred, fmt)


def kept_place(spec: SourceSpec) -> tuple[str, str]:
    """Where `reason --store/--endpoint` keeps its inferences, in words, and the flags that
    name that place again (a server's URL without its secrets)."""
    if spec.kind == "store":
        return str(spec.store), f"--store {spec.store}"
    from mktgraph.stores.redact import redact_url

    endpoint = spec.endpoint
    url = redact_url(endpoint if isinstance(endpoint, str) else endpoint.url)
    where = f"graph <{spec.graph}> of {url}" if spec.graph else f"the server {url}"
    return where, f"--endpoint {url}" + (f" --graph {spec.graph}" if spec.graph else "")


def kept_reasoning(result: ReasoningResult, spec: SourceSpec) -> tuple[str, str]:
    """`reason --store/--endpoint`'s report: the summary and where the inferences are kept
    (for stdout), and, when the data is inconsistent, that nothing was kept (for stderr)."""
    where, flags = kept_place(spec)
    summary = reasoning_summary(result)
    if not result.consistent:
        return summary, f"nothing was kept in {where}: its inferences are as they were\n"
    return (
        summary + f"kept in {where}, apart from the stated data; `query {flags} --reason` and "
        f"`validate {flags} --reason` use them\n",
        "",
    )


def kept_options_refused(spec: SourceSpec) -> str:
    """Why `reason --store/--endpoint` refuses -o, --format and --explain."""
    _where, flags = kept_place(spec)
    return (
        f"with --{'store' if spec.kind == 'store' else 'endpoint'} the inferences stay "
        f"there (use `query {flags} --reason` or `export`); -o, --format and --explain are "
        "for files"
    )


def removed_inferences(removed: int, spec: SourceSpec) -> str:
    """What `reason --remove` did, in a line."""
    where, _flags = kept_place(spec)
    return f"removed {removed:,} inferred facts from {where}\n"


def load_progress(done: int, seconds: float, *, kind: str) -> str:
    """The progress of a load into a ``kind`` of target ("store" or "server"), a line that
    the next one overwrites on a terminal."""
    rate = f", {done / seconds:,.0f} triples/s" if seconds > 0 else ""
    return f"\r{done:,} triples {'loaded' if kind == 'store' else 'sent'}{rate}"


def import_summary(report: ImportReport, *, replace: bool = False) -> str:
    """What an import did, in a line (with ``replace``: how many old values went)."""
    replaced = f", {report.replaced} old values replaced" if replace else ""
    files = f"{len(report.files)} file{'s' if len(report.files) != 1 else ''}"
    return (
        f"imported {report.rows} rows from {files} into {report.target}: {report.triples} "
        f"triples{replaced} ({report.seconds:.1f} s); sources in {report.provenance}\n"
    )


def load_summary(report: LoadReport) -> str:
    """What a load did, in a line or two."""
    if report.protocol is None:  # an embedded store
        what = "replaced the data of" if report.replaced else "loaded"
        return (
            f"{what} {report.files} file{'s' if report.files != 1 else ''} into {report.path}: "
            f"{report.added:+,} triples; the store now holds {report.triples_after:,} triples "
            "(data and ontology)\n"
        )
    how = "Graph Store Protocol" if report.protocol == "gsp" else "SPARQL Update"
    requests = f"{report.requests} request{'s' if report.requests != 1 else ''}"
    if report.replaced:
        swap = f", swapped in by one {report.swapped_by}" if report.swapped_by else ""
        first = f"replaced {report.where} with {report.sent} triples ({how}, {requests}{swap})"
    else:
        # What the graph gained: quads of .trig/.nq files merge, and triples may be there.
        gained = report.triples_after - (report.triples_before or 0)
        kept = report.sent - gained
        sent = f"{report.sent} sent, {kept} of them there already or repeated; " if kept else ""
        first = f"added {gained} triples to {report.where} ({sent}{how}, {requests})"
    before = "" if report.triples_before is None else f" (before: {report.triples_before})"
    return f"{first}\n{report.where} now holds {report.triples_after} triples{before}\n"
