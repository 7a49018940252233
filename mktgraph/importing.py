"""`mktgraph import`: CRM and spreadsheet exports into RDF through RML/YARRRML mappings run by
morph-kgc, with every cell checked and normalised first and each row's provenance recorded."""

from __future__ import annotations

import csv
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from mktgraph.errors import InputError
from mktgraph.tables import (
    CellError,
    Table,
    fold,
    open_table,
    to_boolean,
    to_currency,
    to_date,
    to_datetime,
    to_decimal,
    to_integer,
    where,
)

# A mapping mints IRIs under this placeholder namespace (prefix `base:`); an import moves them
# under --base, so the same rows give the same IRIs every time.
BASE_PLACEHOLDER = "http://mktgraph.invalid/base/"
DEFAULT_BASE = "https://example.org/data/"
MKT = "https://w3id.org/mktgraph/def/"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_PART_COUNTS: dict[str, int] = {}  # mapped part -> triples its task wrote (this process)
CHUNK_ROWS = 50_000  # rows per morph-kgc run: bounds memory, and mapping overlaps reading

_RML = "http://w3id.org/rml/"
_TEMPLATE, _REFERENCE, _CONSTANT = _RML + "template", _RML + "reference", _RML + "constant"
_PARENT = _RML + "parentTriplesMap"
_LITERAL, _IRI = _RML + "Literal", _RML + "IRI"
_ASSERTED = _RML + "TriplesMap"

_KIND_BY_DATATYPE = {
    XSD + "date": "date",
    XSD + "dateTime": "datetime",
    XSD + "decimal": "decimal",
    XSD + "double": "decimal",
    XSD + "float": "decimal",
    XSD + "integer": "integer",
    XSD + "int": "integer",
    XSD + "nonNegativeInteger": "integer",
    XSD + "positiveInteger": "integer",
    XSD + "boolean": "boolean",
}
_CURRENCY_PROPERTIES = {SCHEMA + "currency", SCHEMA + "priceCurrency"}


# -- mappings -------------------------------------------------------------------------------


def shipped_mappings() -> dict[str, Path]:
    """The mappings shipped with mktgraph, by name (file stem)."""
    from mktgraph.resources import mapping_files

    return {path.stem: path for path in mapping_files()}


def resolve_mapping(name_or_file: str) -> Path:
    """A shipped mapping by name, or a mapping file (.yml/.yaml YARRRML, .ttl RML)."""
    path = Path(name_or_file)
    if path.suffix.lower() in (".yml", ".yaml", ".ttl", ".rml") or path.is_file():
        if not path.is_file():
            raise InputError(f"{path}: no such mapping file")
        return path
    shipped = shipped_mappings()
    if name_or_file in shipped:
        return shipped[name_or_file]
    raise InputError(
        f"unknown mapping {name_or_file!r}; give a mapping file or one of {', '.join(shipped)}"
    )


def _morph_config(mapping: Path, extra: str = "") -> str:
    return (
        "[CONFIGURATION]\nlogging_level: ERROR\nna_values: ,nan\n"
        f"number_of_processes: 1\n{extra}\n[DataSource]\nmappings: {mapping.resolve()}\n"
    )


def _need_morph_kgc() -> None:
    try:
        import morph_kgc  # noqa: F401
    except ImportError:
        raise InputError(
            "mktgraph import needs morph-kgc: pip install --no-deps 'morph-kgc==2.10.0' "
            "(without its pins, which are older than mktgraph's)"
        ) from None


def _quiet_morph() -> None:
    for name in ("morph_kgc", "morph-kgc"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _cache_dir() -> Path:
    given = os.environ.get("MKTGRAPH_CACHE")
    if given:
        return Path(given)
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "mktgraph"


def parse_mapping(mapping: Path) -> tuple[Any, Any, Any]:
    """morph-kgc's own reading of a mapping: (rules, functions, config); InputError when it
    does not parse. morph-kgc takes seconds to read a mapping (SPARQL over its RML), so the
    reading is kept in a cache keyed by the mapping's bytes (MKTGRAPH_CACHE, else
    ~/.cache/mktgraph)."""
    import hashlib
    import pickle

    _need_morph_kgc()
    _quiet_morph()
    from morph_kgc import _version
    from morph_kgc.args_parser import load_config_from_argument

    config = load_config_from_argument(_morph_config(mapping))
    _quiet_morph()
    try:
        text = mapping.read_bytes()
    except OSError as error:
        raise InputError(f"{mapping}: cannot read: {error.strerror or error}") from None
    key = hashlib.sha256(text + _version.__version__.encode()).hexdigest()[:32]
    cached = _cache_dir() / "mappings" / f"{key}.pickle"
    if cached.is_file():
        try:
            with cached.open("rb") as handle:
                rules, functions = pickle.load(handle)
            return rules, functions, config
        except Exception:  # a stale or broken cache entry: read the mapping again
            pass
    from morph_kgc.mapping.mapping_parser import retrieve_mappings

    try:
        rules, functions, _ = retrieve_mappings(config)
    except Exception as error:  # ruamel, rdflib and morph-kgc's own errors alike
        message = " ".join(str(error).split()) or type(error).__name__
        raise InputError(f"{mapping}: the mapping does not parse: {message[:300]}") from None
    if rules.empty:
        raise InputError(f"{mapping}: the mapping has no rules")
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((rules, functions), handle)
        os.replace(tmp, cached)
    except OSError:
        pass  # no cache: the next import reads the mapping again
    return rules, functions, config


# -- what each source needs ------------------------------------------------------------------


@dataclass
class Need:
    """What one column must hold: a kind (text, id, date, datetime, decimal, integer,
    boolean, currency, term, lookup) and, for terms and lookups, the allowed values."""

    kind: str
    allowed: dict[str, str] = field(default_factory=dict)  # folded -> canonical spelling
    lookup: str = ""  # the lookup table that holds the allowed values


@dataclass
class SourcePlan:
    """One logical source of a mapping that the user's files fill."""

    name: str  # as the mapping writes it: deals.csv
    needs: dict[str, Need]
    subjects: list[str]  # subject templates of its triples maps (placeholder base)
    predicates: dict[str, list[tuple[str, str]]]  # subject template -> (predicate, column)
    joins_data: bool = False  # a rule joins it with another data source (no chunking)


def _references(template: str) -> list[str]:
    from morph_kgc.utils import get_references_in_template

    return get_references_in_template(template)


def _is_set(value: Any) -> bool:
    return isinstance(value, str) and value != ""


def _known_terms() -> dict[str, dict[str, str]]:
    """Per namespace (mkt:, schema:), folded label or local name -> local name, of every IRI
    the ontology and shapes mention: what `mkt:$(stage)` may hold."""
    global _TERMS
    if _TERMS is not None:
        return _TERMS
    import pyoxigraph as ox

    from mktgraph.resources import ontology_files, shape_files

    labels_of = {
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://www.w3.org/2004/02/skos/core#altLabel",
    }
    found: dict[str, dict[str, str]] = {MKT: {}, SCHEMA: {}}
    labels: list[tuple[str, str]] = []
    # pyoxigraph's parser: a tenth of the time rdflib takes to read the ontology
    for path in [*ontology_files(), *shape_files()]:
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            for term in (triple.subject, triple.predicate, triple.object):
                if isinstance(term, ox.NamedNode):
                    text = term.value
                    for namespace, names in found.items():
                        if text.startswith(namespace) and "/" not in text[len(namespace) :]:
                            local = text[len(namespace) :]
                            names.setdefault(fold(local), local)
            if triple.predicate.value in labels_of and isinstance(triple.subject, ox.NamedNode):
                labels.append((triple.subject.value, triple.object.value))
    for names in found.values():
        # "search" for SearchChannel, "won" for WonStage: the name without its last word,
        # where no other term shortens to the same
        shortened: dict[str, list[str]] = {}
        for local in set(names.values()):
            head = re.sub(r"[A-Z][a-z0-9]*$", "", local)
            if head:
                shortened.setdefault(fold(head), []).append(local)
        for short, locals_ in shortened.items():
            if len(locals_) == 1:
                names.setdefault(short, locals_[0])
    for subject, label in labels:
        for namespace, names in found.items():
            if subject.startswith(namespace) and "/" not in subject[len(namespace) :]:
                names.setdefault(fold(label), subject[len(namespace) :])
    _TERMS = found
    return found


_TERMS: dict[str, dict[str, str]] | None = None


def _lookup_values(path: Path, column: str) -> dict[str, str]:
    table = open_table(path)
    if column not in table.header:
        raise InputError(f"{where(str(path), 1, column)}: missing column (the mapping joins on it)")
    index = table.header.index(column)
    return {fold(cells[index]): cells[index] for _, cells in table.rows if len(cells) > index}


def plan_sources(
    rules, mapping: Path, given: Sequence[Path] = ()
) -> tuple[dict[str, SourcePlan], dict[str, Path]]:
    """The data sources of a mapping with what their columns need, and its lookup tables
    (sources that sit beside the mapping file, stage names, channel names, unless one of the
    ``given`` files is named like them)."""
    lookups: dict[str, Path] = {}
    given_stems = {Path(p).stem.casefold() for p in given}
    for name in sorted(set(rules["logical_source_value"].dropna())):
        beside = mapping.parent / name
        if beside.is_file() and Path(name).stem.casefold() not in given_stems:
            lookups[name] = beside
    plans: dict[str, SourcePlan] = {}
    by_id = {row["triples_map_id"]: row for _, row in rules.iterrows()}
    for _, rule in rules.iterrows():
        source = rule["logical_source_value"]
        if not _is_set(source) or source in lookups:
            continue
        plan = plans.setdefault(source, SourcePlan(source, {}, [], {}))
        if rule["triples_map_type"] != _ASSERTED:
            continue
        subject = rule["subject_map_value"]
        if rule["subject_map_type"] == _TEMPLATE:
            for column in _references(subject):
                plan.needs.setdefault(column, Need("id"))
            if subject not in plan.subjects:
                plan.subjects.append(subject)
        elif rule["subject_map_type"] == _REFERENCE:
            plan.needs.setdefault(subject, Need("id"))
        predicate = rule["predicate_map_value"]
        kind = rule["object_map_type"]
        value = rule["object_map_value"]
        columns: list[str] = []
        if kind == _REFERENCE:
            columns = [value]
            if rule["object_termtype"] == _LITERAL:
                datatype = rule["lang_datatype_map_value"]
                need = _KIND_BY_DATATYPE.get(datatype, "text") if _is_set(datatype) else "text"
                if predicate in _CURRENCY_PROPERTIES:
                    need = "currency"
                _set_need(plan, value, Need(need))
            else:
                plan.needs.setdefault(value, Need("id"))
        elif kind == _TEMPLATE:
            columns = _references(value)
            match = re.fullmatch(r"(.*)\{([^{}]+)\}", value)
            namespace = match[1] if match else ""
            if rule["object_termtype"] == _IRI and match and namespace in (MKT, SCHEMA):
                _set_need(plan, match[2], Need("term", _known_terms()[namespace]))
            else:
                for column in columns:
                    plan.needs.setdefault(column, Need("id"))
        elif kind == _PARENT:
            parent = by_id.get(value)
            conditions = rule["object_join_conditions"]
            if _is_set(conditions):
                for condition in eval(conditions).values():  # morph-kgc's own repr of a dict
                    child, parent_column = condition["child_value"], condition["parent_value"]
                    columns.append(child)
                    parent_source = parent["logical_source_value"] if parent is not None else ""
                    if parent_source in lookups:
                        allowed = _lookup_values(lookups[parent_source], parent_column)
                        _set_need(plan, child, Need("lookup", allowed, parent_source))
                    else:
                        plan.needs.setdefault(child, Need("id"))
                        plan.joins_data = True
        if predicate == RDF_TYPE and kind == _CONSTANT:
            columns = [""]  # the rule that types the subject: its row is the subject's home
        if _is_set(predicate) and rule["predicate_map_type"] == _CONSTANT and columns:
            pairs = plan.predicates.setdefault(subject, [])
            for column in columns:
                if (predicate, column) not in pairs:
                    pairs.append((predicate, column))
    return plans, lookups


def _set_need(plan: SourcePlan, column: str, need: Need) -> None:
    known = plan.needs.get(column)
    if known is None or known.kind == "id" or known.kind == "text":
        plan.needs[column] = need


# -- reading, checking and normalising the user's files -------------------------------------


def match_files(
    files: Sequence[Path], plans: dict[str, SourcePlan], mapping_name: str, delimiter: str | None
) -> list[tuple[Table, SourcePlan]]:
    """Which source of the mapping each file fills: by name (deals.csv, Deals.xlsx), else the
    one source whose columns the file's header holds."""
    by_stem = {Path(name).stem.casefold(): plan for name, plan in plans.items()}
    matched: list[tuple[Table, SourcePlan]] = []
    for path in files:
        table = open_table(path, delimiter)
        plan = by_stem.get(path.stem.casefold())
        if plan is None:
            header = set(table.header)
            fits = [p for p in plans.values() if p.needs and set(p.needs) <= header]
            if len(fits) == 1:
                plan = fits[0]
        if plan is None:
            names = ", ".join(sorted(plans))
            raise InputError(
                f"{path}: the {mapping_name} mapping reads {names}; name the file after one of "
                "them (or give it all the columns that one needs)"
            )
        matched.append((table, plan))
    return matched


def _normaliser(need: Need, decimal_comma: bool) -> Callable[[str], str] | None:
    kind = need.kind
    if kind == "date":
        return to_date
    if kind == "datetime":
        return to_datetime
    if kind == "decimal":
        return lambda text: to_decimal(text, decimal_comma=decimal_comma)
    if kind == "integer":
        return lambda text: to_integer(text, decimal_comma=decimal_comma)
    if kind == "boolean":
        return to_boolean
    if kind == "currency":
        return to_currency
    if kind == "id":
        return str.strip
    if kind in ("term", "lookup"):
        allowed = need.allowed

        @lru_cache(maxsize=1024)  # a column of stages repeats a handful of names
        def choose(text: str) -> str:
            found = allowed.get(fold(text))
            if found is None:
                if need.lookup:
                    raise CellError(
                        f"unknown value {text!r}: not in the mapping's {need.lookup} "
                        "(add a row there to map it)"
                    )
                raise CellError(f"unknown value {text!r}: not a term of mktgraph's vocabulary")
            return found

        return choose
    return None


@dataclass
class Prepared:
    """A user's file, checked and normalised into UTF-8 CSV chunks for morph-kgc."""

    table: Table
    plan: SourcePlan
    chunks: list[Path]
    rows: int


def _chunks(table: Table, size: int, needed: list[str]):
    """(row numbers, DataFrame of the needed columns as text) per chunk of ``size`` rows. CSV
    goes through pandas' C parser; an .xlsx sheet through openpyxl's rows."""
    import numpy as np
    import pandas as pd

    if table.encoding == "xlsx":
        indexes = [table.header.index(c) for c in needed]
        batch: list[list[str]] = []
        numbers: list[int] = []
        for number, cells in table.rows:
            batch.append([cells[i] if i < len(cells) else "" for i in indexes])
            numbers.append(number)
            if len(batch) == size:
                yield np.array(numbers), pd.DataFrame(batch, columns=needed, dtype=str)
                batch, numbers = [], []
        if batch:
            yield np.array(numbers), pd.DataFrame(batch, columns=needed, dtype=str)
        return
    positions = [table.header.index(c) for c in needed]
    reader = pd.read_csv(
        table.path,
        sep=table.delimiter,
        encoding=table.encoding,
        encoding_errors="strict",
        dtype=str,
        na_filter=False,
        keep_default_na=False,
        skip_blank_lines=False,
        header=0,
        usecols=positions,
        chunksize=size,
        engine="c",
    )
    done = 0
    for frame in reader:
        # columns by position: the header's names as read (stripped) may differ from pandas'
        frame = frame.iloc[:, [sorted(positions).index(p) for p in positions]]
        frame.columns = needed
        frame = frame.fillna("")
        numbers = np.arange(done + 2, done + 2 + len(frame))
        done += len(frame)
        blank = (frame == "").all(axis=1).to_numpy() if len(needed) else np.zeros(len(frame), bool)
        if blank.any():  # an empty line (or a row with none of the mapped cells)
            frame, numbers = frame[~blank], numbers[~blank]
        yield numbers, frame


_FAST = {  # cells already in the form the shapes want: left as they are
    "decimal": r"0|-?(?:0|[1-9][0-9]*)\.[0-9]*[1-9]|-?[1-9][0-9]*(?:\.[0-9]*[1-9])?",
    "integer": r"0|-?[1-9][0-9]*",
    "datetime": r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3])"
    r":[0-5][0-9]:[0-5][0-9](?:\.[0-9]*[1-9])?(?:Z|[+-](?!00:00)(?:0[0-9]|1[0-4]):[0-5][0-9])?",
}
_BY_VALUE = {"date", "datetime", "boolean", "currency", "term", "lookup"}  # few distinct values


def prepare(
    table: Table,
    plan: SourcePlan,
    workdir: Path,
    record: Callable[[str, str, int, str], None],
    *,
    chunk_rows: int = CHUNK_ROWS,
    on_chunk: Callable[[Path], None] | None = None,
    record_many: Callable[[Iterable[tuple[str, str, int, str]]], None] | None = None,
) -> Prepared:
    """Check every cell the mapping reads, write the normalised cells in chunks (handing each
    to ``on_chunk``), and record (subject, file, row, subject template) for each subject a
    row gives."""
    from falcon.uri import encode_value  # how morph-kgc encodes template values in IRIs

    display = str(table.path)
    header = table.header
    missing = [column for column in plan.needs if column not in header]
    if missing:
        raise InputError(f"{where(display, 1, missing[0])}: missing column (the mapping needs it)")
    columns = list(plan.needs)
    decimal_comma = table.delimiter == ";"
    normalisers = {c: _normaliser(plan.needs[c], decimal_comma) for c in columns}
    chunks: list[Path] = []
    rows = 0
    stem = re.sub(r"\W+", "-", Path(plan.name).stem)
    add = record_many or (lambda items: [record(*item) for item in items])
    try:
        for numbers, frame in _chunks(table, chunk_rows, columns):
            for column in columns:
                normalise = normalisers[column]
                frame[column] = _normalised(
                    frame[column], normalise, plan.needs[column].kind, display, numbers, column
                )
            chunk = workdir / f"{stem}-{len(chunks)}.csv"
            frame.to_csv(chunk, index=False, encoding="utf-8")
            chunks.append(chunk)
            rows += len(frame)
            if on_chunk is not None:
                on_chunk(chunk)
            for template in plan.subjects:
                refs = _references(template)
                pieces = _split(template)
                subjects = None
                present = None
                for ref, piece in zip(refs, pieces[1:], strict=True):
                    values = frame[ref]
                    encoded = values.map(encode_value) + piece
                    subjects = pieces[0] + encoded if subjects is None else subjects + encoded
                    has = (values != "").to_numpy()
                    present = has if present is None else present & has
                if subjects is None:
                    continue
                add(
                    (subject, display, int(number), template)
                    for subject, number, keep in zip(subjects, numbers, present, strict=True)
                    if keep
                )
    except UnicodeDecodeError as error:  # pragma: no cover - the encoding was checked first
        raise InputError(f"{display}: not readable as {table.encoding}: {error}") from None
    except (csv.Error, ValueError) as error:
        if isinstance(error, InputError):
            raise
        message = " ".join(str(error).split())
        raise InputError(f"{display}: malformed CSV: {message}") from None
    if not chunks:  # a header alone: nothing to map, but the columns were checked
        chunk = workdir / f"{stem}-0.csv"
        with chunk.open("w", encoding="utf-8", newline="") as empty:
            csv.writer(empty).writerow(columns)
        chunks.append(chunk)
        if on_chunk is not None:
            on_chunk(chunk)
    return Prepared(table, plan, chunks, rows)


def _normalised(values, normalise, kind: str, display: str, numbers, column: str):
    """A column's cells normalised; InputError naming the first cell that cannot be."""
    stripped = values.str.strip()
    filled = stripped != ""
    if kind == "id":
        return stripped
    if not filled.all():
        values = values.where(filled, "")  # a cell of spaces is an empty cell
    if normalise is None:
        return values
    todo = filled & ~values.str.fullmatch(_FAST[kind]) if kind in _FAST else filled
    if not todo.any():
        return values
    if kind in _BY_VALUE:
        mapping = {}
        for text in values[todo].unique():
            try:
                mapping[text] = normalise(text)
            except CellError:
                mapping[text] = None
        fixed = values[todo].map(mapping)
    else:
        fixed = values[todo].map(lambda text: _or_none(normalise, text))
    bad = fixed.isna()
    if bad.any():
        first = bad.to_numpy().argmax()
        text = values[todo].iloc[first]
        row = int(numbers[todo.to_numpy().nonzero()[0][first]])
        try:
            normalise(text)
        except CellError as error:
            raise InputError(f"{where(display, row, column)}: {error}") from None
    values = values.copy()
    values[todo] = fixed
    return values


def _or_none(normalise, text: str):
    try:
        return normalise(text)
    except CellError:
        return None


def _split(template: str) -> list[str]:
    """A template's constant pieces around its references: ``a{x}b{y}`` -> [a, b, '']."""
    return [
        piece.replace("\\{", "{").replace("\\}", "}") for piece in re.split(r"\{[^{}]+\}", template)
    ]


# -- running the mapping --------------------------------------------------------------------


def _rebased(template: str, base: str) -> str:
    if template.startswith(BASE_PLACEHOLDER):
        return base + template[len(BASE_PLACEHOLDER) :]
    return template


def _rebase(rules, base: str):
    rules = rules.copy()
    for column in ("subject_map_value", "object_map_value"):
        values = rules[column]
        rules[column] = values.where(
            ~values.astype(str).str.startswith(BASE_PLACEHOLDER),
            values.astype(str).str.replace(BASE_PLACEHOLDER, base, n=1, regex=False),
        )
    return rules


def _materialise_task(args) -> tuple[str, int]:
    """One morph-kgc mapping group over one chunk, written as N-Triples to ``out``."""
    group, rules, functions, config, out = args
    _quiet_morph()
    from morph_kgc.materializer import _materialize_mapping_group_to_set

    triples = _materialize_mapping_group_to_set(group, rules, functions, config)
    with open(out, "w", encoding="utf-8") as handle:
        if triples:  # one write: a write a line cost as much as the rest of the writing
            handle.write(" .\n".join(triples))
            handle.write(" .\n")
    return out, len(triples)


class Runner:
    """Runs the mapping's rules over each chunk as soon as it is written, in worker processes
    (morph-kgc's own unit of work: one mapping group over one file), while the next chunk is
    checked: reading and mapping overlap on the cores."""

    def __init__(
        self, rules, functions, config, lookups: dict[str, Path], workdir: Path, processes: int
    ) -> None:
        import queue

        from morph_kgc.constants import RML_TRIPLES_MAP_CLASS

        self.rules = rules.copy()
        for name, path in lookups.items():
            mine = self.rules["logical_source_value"] == name
            self.rules.loc[mine, "logical_source_value"] = str(path)
        self._asserted = RML_TRIPLES_MAP_CLASS
        self.functions, self.config, self.workdir = functions, config, workdir
        # the tasks in order of submission; None once every chunk has been submitted
        self._pending: queue.Queue = queue.Queue()
        self._finished = False
        self._counter = 0
        self._pool = None
        if processes > 1:
            import multiprocessing as mp

            self._pool = mp.get_context("fork").Pool(processes)

    def submit(self, source: str, chunk: Path) -> None:
        rules = self.rules.copy()
        rules.loc[rules["logical_source_value"] == source, "logical_source_value"] = str(chunk)
        asserted = rules[
            (rules["triples_map_type"] == self._asserted)
            & (rules["logical_source_value"] == str(chunk))
        ]
        for _, group in asserted.groupby(by="mapping_partition"):
            out = self.workdir / f"part-{self._counter}.nt"
            self._counter += 1
            task = (group, rules, self.functions, self.config, str(out))
            if self._pool is not None:
                self._pending.put(self._pool.apply_async(_materialise_task, (task,)))
            else:
                self._pending.put(_materialise_task(task))

    def finish(self) -> None:
        """Every chunk has been submitted."""
        if not self._finished:
            self._finished = True
            self._pending.put(None)

    def each_result(self, stop: Any = None) -> Iterator[Path]:
        """The N-Triples files in order, each as soon as its task is done, until finish() has
        been called and every task is done; a task's error is raised here. With ``stop`` (a
        threading.Event), it ends early once that is set."""
        import queue

        try:
            while True:
                try:
                    pending = self._pending.get(timeout=0.1)
                except queue.Empty:
                    if stop is not None and stop.is_set():
                        return
                    continue
                if pending is None:
                    break
                if hasattr(pending, "get"):
                    while not pending.ready():
                        if stop is not None and stop.is_set():
                            return
                        pending.wait(0.1)
                    out, count = pending.get()
                else:
                    out, count = pending
                _PART_COUNTS[out] = count  # saves reading the part again to count it
                yield Path(out)
        except BaseException:
            self.close(abort=True)
            raise
        self.close()

    def results(self) -> list[Path]:
        """The N-Triples files, once every task is done."""
        self.finish()
        return list(self.each_result())

    def close(self, *, abort: bool = False) -> None:
        """Let the workers finish and exit; with ``abort``, stop them at once (an error)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            if abort:
                pool.terminate()
            else:
                pool.close()
            pool.join()


# -- the import -----------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did."""

    files: list[str]
    rows: int
    triples: int  # distinct triples written (to a file) or produced (into a store)
    target: str
    seconds: float
    replaced: int = 0  # old values removed by --replace
    provenance: str = ""


@dataclass
class ImportJob:
    """An import being prepared: the rules, the normalised chunks, the provenance rows."""

    mapping: Path
    base: str
    rules: Any
    functions: Any
    config: Any
    prepared: list[Prepared]
    lookups: dict[str, Path]
    workdir: Path
    provenance: Any  # provenance.Recorder
    parts: list[Path] = field(default_factory=list)  # the N-Triples morph-kgc wrote
    runner: Any = None

    def subjects_and_predicates(self) -> Iterable[tuple[str, str]]:
        """(subject IRI, predicate IRI) pairs this import fills: what --replace clears."""
        yield from self.provenance.filled_pairs()


def prepare_import(
    files: Sequence[str | Path],
    mapping: str,
    workdir: Path,
    *,
    base: str = DEFAULT_BASE,
    delimiter: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    processes: int | None = None,
    wait: bool = True,
    start_load: Callable[[Runner, Any], None] | None = None,
) -> ImportJob:
    """Read, check and normalise every file (InputError at the first bad cell); nothing is
    written anywhere but ``workdir``. ``start_load(runner, rules)`` is called before the first
    chunk is read, to take the mapped parts as they come (they reach no target until the
    caller says so)."""
    from mktgraph.provenance import Recorder

    if not files:
        raise InputError("nothing to import: give CSV or .xlsx files")
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", base):
        raise InputError(f"--base {base!r} is not an absolute IRI (https://your.example/data/)")
    mapping_path = resolve_mapping(mapping)
    rules, functions, config = parse_mapping(mapping_path)
    paths = [Path(f) for f in files]
    plans, lookups = plan_sources(rules, mapping_path, paths)
    for plan in plans.values():  # provenance records the IRIs as minted under --base
        plan.subjects = [_rebased(t, base) for t in plan.subjects]
        plan.predicates = {_rebased(t, base): pairs for t, pairs in plan.predicates.items()}
    if not plans:
        raise InputError(f"{mapping_path}: the mapping reads no data files")
    matched = match_files(paths, plans, mapping_path.stem, delimiter)
    # only the rules of sources given files run; the rest of the mapping waits for its files
    given = {plan.name for _, plan in matched} | set(lookups)
    rules = _rebase(rules[rules["logical_source_value"].isin(given)], base)
    recorder = Recorder(workdir / "sources.db")
    # as many workers as morph-kgc itself starts (twice the cores)
    runner = Runner(
        rules, functions, config, lookups, workdir, processes or 2 * (os.cpu_count() or 1)
    )
    # a join between two data files needs both whole: then the rules run after the reading
    pipelined = not any(plan.joins_data for _, plan in matched)
    prepared = []
    try:
        if start_load is not None:
            start_load(runner, rules)
        for table, plan in matched:
            recorder.add_columns(str(table.path), plan.predicates)
            rows_chunk = chunk_rows if not plan.joins_data else 1 << 62
            submit = (
                (lambda chunk, name=plan.name: runner.submit(name, chunk)) if pipelined else None
            )
            prepared.append(
                prepare(
                    table,
                    plan,
                    workdir,
                    recorder.add_row,
                    chunk_rows=rows_chunk,
                    on_chunk=submit,
                    record_many=recorder.add_rows,
                )
            )
        recorder.flush()
        if not pipelined:
            for item in prepared:
                for chunk in item.chunks:
                    runner.submit(item.plan.name, chunk)
        runner.finish()
        parts = runner.results() if wait else []
    except BaseException:
        runner.close(abort=True)
        raise
    job = ImportJob(
        mapping_path, base, rules, functions, config, prepared, lookups, workdir, recorder, parts
    )
    job.runner = runner  # with wait=False: the mapping may still be running
    return job


def run_import(
    files: Sequence[str | Path],
    mapping: str = "mktgraph",
    *,
    output: str | None = None,
    store: str | None = None,
    endpoint: Any = None,
    graph: str | None = None,
    base: str = DEFAULT_BASE,
    replace: bool = False,
    delimiter: str | None = None,
    processes: int | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> ImportReport:
    """Import ``files`` through ``mapping`` into a file (``output``), an embedded store or a
    SPARQL server; with ``replace``, the values the imported rows fill replace old ones."""
    start = time.monotonic()
    targets = [t for t in (output, store, endpoint) if t]
    if len(targets) != 1:
        raise InputError("say where the graph goes: one of -o FILE, --store DIR, --endpoint URL")
    if output:
        from mktgraph.files import check_output

        # Before any work: -o is never one of the CSV files or the mapping it reads.
        check_output(output, [*files, *([mapping] if Path(mapping).is_file() else [])])
    with tempfile.TemporaryDirectory(prefix="mktgraph-import-") as tmp:
        workdir = Path(tmp)
        options = dict(base=base, delimiter=delimiter, chunk_rows=chunk_rows, processes=processes)
        if store:
            try:
                folder = Path(store)
                return _import_into_store(files, mapping, workdir, start, folder, replace, options)
            finally:
                for name in [n for n in _PART_COUNTS if n.startswith(str(workdir))]:
                    del _PART_COUNTS[name]
        job = prepare_import(files, mapping, workdir, wait=False, **options)
        # Every cell has been checked: from here on only the mapping runs, then the writing.
        try:
            return _deliver(job, start, output, endpoint, graph, replace)
        finally:
            job.runner.close(abort=True)  # after an error; a no-op once the results are in
            for name in [n for n in _PART_COUNTS if n.startswith(str(workdir))]:
                del _PART_COUNTS[name]


def _deliver(job: ImportJob, start: float, output, endpoint, graph, replace: bool):
    from mktgraph import provenance as prov

    rows = sum(item.rows for item in job.prepared)
    names = [str(item.table.path) for item in job.prepared]
    if output:
        triples = _write_file(job.runner.results(), Path(output), job.base)
        side = prov.beside(Path(output))
        job.provenance.save_as(side)
        return ImportReport(names, rows, triples, output, time.monotonic() - start, 0, str(side))
    parts = job.runner.results()
    triples, replaced = _into_server(parts, endpoint, graph, job if replace else None)
    job.provenance.send_to_server(endpoint)
    from mktgraph.stores.redact import redact_url

    where = f"{redact_url(endpoint.url)} ({f'graph <{graph}>' if graph else 'default graph'})"
    seconds = time.monotonic() - start
    return ImportReport(names, rows, triples, where, seconds, replaced, prov.SERVER_GRAPH)


PREFIXES = {
    "mkt": MKT,
    "schema": SCHEMA,
    "xsd": XSD,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}


def _write_file(parts: list[Path], output: Path, base: str) -> int:
    import pyoxigraph as ox

    from mktgraph.graph import format_for, ox_format
    from mktgraph.output import atomic_output

    fmt = format_for(output)
    if fmt == "nt":
        # N-Triples as morph-kgc wrote them, one part after the other, streamed (a triple two
        # chunks both give appears twice: the same graph)
        import shutil

        with atomic_output(output) as handle:
            for part in parts:
                with part.open("rb") as source:
                    shutil.copyfileobj(source, handle, 1 << 20)
        return sum(_count_lines(p) for p in parts)
    store = ox.Store()
    for part in parts:
        store.bulk_load(path=str(part), format=ox.RdfFormat.N_TRIPLES)
    prefixes = dict(PREFIXES)
    prefixes["data"] = base
    with atomic_output(output) as handle:
        if fmt in ("turtle", "trig"):
            store.dump(handle, ox_format(fmt), from_graph=ox.DefaultGraph(), prefixes=prefixes)
        elif fmt in ("nt", "nquads", "xml"):
            store.dump(handle, ox_format(fmt), from_graph=ox.DefaultGraph())
        else:
            raise InputError(f"{output}: write the import as .ttl, .nt, .nq, .trig or .rdf")
    return len(store)


_CANONICAL_DATATYPES = {
    XSD + n for n in ("date", "dateTime", "decimal", "integer", "boolean", "string")
}


def writes_canonical_literals(rules) -> bool:
    """Whether every literal the rules write is in the form a store keeps (mktgraph normalises
    these datatypes' cells to it), with no blank node and no language tag: then the store's
    bulk loader takes the files as they are, with nothing to record as written."""
    for _, rule in rules.iterrows():
        if rule["subject_termtype"] == _RML + "BlankNode":
            return False
        if rule["object_termtype"] == _RML + "BlankNode":
            return False
        if rule["object_termtype"] != _LITERAL:
            continue
        if rule["lang_datatype"] == _RML + "languageMap":
            return False
        datatype = rule["lang_datatype_map_value"]
        if _is_set(datatype) and datatype not in _CANONICAL_DATATYPES:
            return False
        if (
            rule["object_map_type"] == _CONSTANT
            and _is_set(datatype)
            and datatype != XSD + "string"
        ):
            return False  # a constant is written as the mapping spells it
    return True


class _StoreImport:
    """An import into an embedded store: when the mapping writes only literals the store keeps
    as written, one bulk load takes the parts as they are mapped (StreamedLoad) and writes
    them only once every cell has been checked and every part mapped; else the parts go in
    afterwards through the store's own load, which records rewritten literals."""

    def __init__(self, folder: Path, workdir: Path) -> None:
        from mktgraph.stores.embedded import is_store

        self.folder, self.workdir = folder, workdir
        self.existed, self.new = folder.exists(), not is_store(folder)
        self.store = None  # EmbeddedStore, open while streaming
        self.stream = None  # StreamedLoad

    def start(self, runner: Runner, rules) -> None:
        """Called by prepare_import before the first chunk: streams if the rules allow."""
        if not writes_canonical_literals(rules) or not hasattr(os, "mkfifo"):
            return  # (no named pipes on Windows)
        from mktgraph.stores.embedded import EmbeddedStore
        from mktgraph.streamed_load import StreamedLoad

        self.store = EmbeddedStore(self.folder, create=True)
        self.stream = StreamedLoad(self.store.oxigraph, self.workdir)
        self.stream.start(runner.each_result, _count_lines)

    def abort(self) -> None:
        """After an error: the store as it was (a store made by this import removed)."""
        import gc
        import shutil

        if self.stream is not None:
            self.stream.abort()
            self.stream = None
        if self.store is not None:
            store, self.store = self.store, None
            store.close()
            gc.collect()  # the last reference to the Oxigraph store: it closes
        if self.new and self.folder.is_dir():
            from mktgraph.stores.embedded import is_store

            if is_store(self.folder) or not any(self.folder.iterdir()):
                shutil.rmtree(self.folder, ignore_errors=True)
                if self.existed:
                    self.folder.mkdir()


def _import_into_store(files, mapping, workdir: Path, start: float, folder: Path, replace, options):
    from mktgraph import inferred
    from mktgraph import provenance as prov

    target = _StoreImport(folder, workdir)
    job = None
    try:
        job = prepare_import(
            files, mapping, workdir, wait=False, start_load=target.start, **options
        )
        # Every cell has been checked: from here on only the mapping runs, then the writing.
        if target.stream is not None:
            oxi = target.store.oxigraph
            # before the new values go in (the loader writes them when its input ends)
            replaced = _remove_old_values(oxi, job) if replace else 0
            triples = target.stream.commit()
            target.store.ensure_ontology()
            inferred.mark_stale(oxi)  # new data: `reason --store` again to bring them up
            del oxi
            target.stream = None
            store, target.store = target.store, None
            store.close()  # flushed, and closed: the provenance and the next import may follow
        else:
            triples, replaced = _into_store(job.runner.results(), folder, job if replace else None)
    except BaseException:
        if job is not None:
            job.runner.close(abort=True)
        target.abort()
        raise
    finally:
        if job is not None:
            job.runner.close(abort=True)  # a no-op once the results are in
    side = prov.in_store(folder)
    job.provenance.merge_into(side)
    rows = sum(item.rows for item in job.prepared)
    names = [str(item.table.path) for item in job.prepared]
    seconds = time.monotonic() - start
    return ImportReport(names, rows, triples, str(folder), seconds, replaced, str(side))


def _remove_old_values(oxi, job: ImportJob) -> int:
    """--replace: remove the values the imported rows fill, in every graph (the data, and the
    records of literals as written); the number removed. A property at a time: its values
    scanned and kept for the imported subjects, unless the store holds many more of them than
    the import fills, where each subject is looked up (a lookup costs about six scanned
    values)."""
    import pyoxigraph as ox

    removed = 0
    for predicate in job.provenance.filled_predicates():
        subjects = job.provenance.subjects_filling(predicate)
        node = ox.NamedNode(predicate)
        limit = 6 * len(subjects)
        found: list | None = []
        for scanned, quad in enumerate(oxi.quads_for_pattern(None, node, None), 1):
            if scanned > limit:
                found = None
                break
            if isinstance(quad.subject, ox.NamedNode) and quad.subject.value in subjects:
                found.append(quad)
        if found is None:
            found = [
                quad
                for subject in subjects
                for quad in oxi.quads_for_pattern(ox.NamedNode(subject), node, None)
            ]
        for quad in found:
            oxi.remove(quad)
        removed += len(found)
    return removed


def _into_store(parts: list[Path], folder: Path, job: ImportJob | None):
    """The parts into the store through its own load (literals it rewrites are recorded as
    written), after --replace's removals."""
    from mktgraph.sources import open_source
    from mktgraph.stores.embedded import EmbeddedStore

    replaced = 0
    if job is not None:
        with EmbeddedStore(folder, create=True) as store:
            replaced = _remove_old_values(store.oxigraph, job)
    triples = sum(_count_lines(p) for p in parts)
    if parts:
        with open_source(store=str(folder), writable=True) as target:
            target.load(parts)
    return triples, replaced


def _into_server(parts: list[Path], endpoint: Any, graph: str | None, job: ImportJob | None):
    from mktgraph.sources import open_source

    replaced = 0
    if job is not None:
        replaced = _delete_on_server(endpoint, graph, list(job.subjects_and_predicates()))
    if parts:
        # through the source layer: the server's protocol, and its records of rewritten
        # literals (none here: every literal is normalised already)
        with open_source(endpoint=endpoint, graph=graph, writable=True) as target:
            target.load(parts)
    return sum(_count_lines(p) for p in parts), replaced


def _delete_on_server(endpoint: Any, graph: str | None, pairs: list[tuple[str, str]]) -> int:
    import contextlib

    from mktgraph import stores

    with contextlib.closing(stores.open_store(endpoint, graph=graph)) as store:
        for start in range(0, len(pairs), 500):
            batch = pairs[start : start + 500]
            values = " ".join(f"(<{s}> <{p}>)" for s, p in batch)
            where_clause = f"VALUES (?s ?p) {{ {values} }} ?s ?p ?o ."
            if graph:
                text = (
                    f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} "
                    f"WHERE {{ GRAPH <{graph}> {{ {where_clause} }} }}"
                )
            else:
                text = f"DELETE {{ ?s ?p ?o }} WHERE {{ {where_clause} }}"
            store._update(text)  # the store's SPARQL Update call (stores/http.py)
    return len(pairs)


def _count_lines(path: Path) -> int:
    """Triples in a part (as its task counted them; else its lines)."""
    if str(path) in _PART_COUNTS:
        return _PART_COUNTS[str(path)]
    with path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
