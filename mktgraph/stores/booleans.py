"""Which variables of a query's answer hold booleans, read from the query itself: Virtuoso
writes every boolean it computes as the integer 1 or 0, and mktgraph turns them back."""

from __future__ import annotations

from typing import Any

# Expressions whose value is always an xsd:boolean (SPARQL 1.1, section 17).
_BOOLEAN_EXPRESSIONS = frozenset(
    {
        "RelationalExpression",
        "ConditionalAndExpression",
        "ConditionalOrExpression",
        "UnaryNot",
        "Builtin_EXISTS",
        "Builtin_NOTEXISTS",
        "Builtin_BOUND",
        "Builtin_isIRI",
        "Builtin_isURI",
        "Builtin_isBLANK",
        "Builtin_isLITERAL",
        "Builtin_isNUMERIC",
        "Builtin_isTRIPLE",
        "Builtin_REGEX",
        "Builtin_CONTAINS",
        "Builtin_STRSTARTS",
        "Builtin_STRENDS",
        "Builtin_sameTerm",
        "Builtin_LANGMATCHES",
    }
)
# Aggregates whose value is one of the values they aggregate.
_PASSING_AGGREGATES = frozenset({"Aggregate_Sample", "Aggregate_Min", "Aggregate_Max"})


def boolean_variables(text: str) -> frozenset[str]:
    """The names of the variables that ``text`` (a SELECT query) binds to a boolean expression
    (BIND, a SELECT expression, or SAMPLE/MIN/MAX of one); empty if rdflib cannot parse it."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        algebra = prepareQuery(text).algebra
    except Exception:  # the server will say what is wrong with the query
        return frozenset()
    bindings: list[tuple[str, Any]] = []  # (variable, expression) from Extend nodes
    aggregates: list[tuple[str, str, Any]] = []  # (result variable, aggregate, its argument)
    _collect(algebra, bindings, aggregates, set())
    booleans: set[str] = set()
    changed = True
    while changed:  # a variable bound to a boolean variable is boolean too
        changed = False
        for variable, expression in bindings:
            if variable not in booleans and _is_boolean(expression, booleans):
                booleans.add(variable)
                changed = True
        for variable, name, argument in aggregates:
            if (
                variable not in booleans
                and name in _PASSING_AGGREGATES
                and _is_boolean(argument, booleans)
            ):
                booleans.add(variable)
                changed = True
    return frozenset(booleans)


def _collect(node: Any, bindings: list, aggregates: list, seen: set[int]) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue

    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, CompValue):
        if node.name == "Extend":
            bindings.append((str(node.var), node.expr))
        elif node.name.startswith("Aggregate_") and node.get("res") is not None:
            aggregates.append((str(node.res), node.name, node.get("vars")))
        for value in node.values():
            _collect(value, bindings, aggregates, seen)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _collect(value, bindings, aggregates, seen)


def _is_boolean(expression: Any, booleans: set[str]) -> bool:
    from rdflib import Literal, Variable
    from rdflib.namespace import XSD
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(expression, Variable):
        return str(expression) in booleans
    if isinstance(expression, Literal):
        return expression.datatype == XSD.boolean
    if not isinstance(expression, CompValue):
        return False
    if expression.name in _BOOLEAN_EXPRESSIONS:
        return True
    if expression.name == "Builtin_IF":
        return _is_boolean(expression.arg2, booleans) and _is_boolean(expression.arg3, booleans)
    if expression.name == "Builtin_COALESCE":
        return all(_is_boolean(argument, booleans) for argument in expression.arg)
    return False


def booleans_from_integers(result: Any, variables: frozenset[str]) -> None:
    """Turn the integers 1 and 0 of ``variables`` in an rdflib SELECT Result into
    ``true``/``false`` xsd:booleans, in place."""
    from rdflib import Literal, Variable
    from rdflib.namespace import XSD

    if not variables:
        return
    wanted = [Variable(name) for name in variables]
    integers = {XSD.integer, XSD.int, XSD.long, XSD.short}
    for row in result.bindings:
        for variable in wanted:
            value = row.get(variable)
            if isinstance(value, Literal) and value.datatype in integers and str(value) in "01":
                row[variable] = Literal(str(value) == "1", datatype=XSD.boolean)
