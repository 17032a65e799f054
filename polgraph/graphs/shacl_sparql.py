"""polgraph's SHACL shapes compiled to SPARQL and run inside Oxigraph.

pyshacl checks one focus node at a time in Python, about 0.2 s per article of a corpus; the
shapes of ``polgraph/ontology/shapes.ttl`` use a small part of SHACL, and each of their
constraints can be written as one SPARQL query that returns every violating focus node at
once. :func:`compile_shapes` turns the shapes graph into :class:`Check` objects, one per
(shape, constraint component); :func:`run_checks` runs them in a ``pyoxigraph.Store`` (with
the union of its graphs as the default graph, the view pyshacl validates) and returns the
results as pyshacl would report them: the same source shape, focus node, path, value,
severity, constraint component and message. ``tests/test_shacl_sparql.py`` holds the two
engines to the same results on every fixture and on the example corpus.

Supported: ``sh:targetClass`` (with subclasses); paths made of IRIs, sequences, alternatives
and inverses; ``sh:class``, ``sh:datatype`` (with lexical checks of the XSD types used),
``sh:nodeKind``, ``sh:in``, ``sh:hasValue``, ``sh:minCount``, ``sh:maxCount``,
``sh:minInclusive``, ``sh:maxInclusive``, ``sh:minLength``, ``sh:pattern``, ``sh:lessThan``,
``sh:lessThanOrEquals``, ``sh:or``, ``sh:not``, ``sh:node``, ``sh:qualifiedValueShape`` with
``sh:qualifiedMinCount``/``sh:qualifiedMaxCount``, and SPARQL-based constraints
(``sh:sparql`` with ``sh:select``). Anything else raises :class:`UnsupportedShape` when the
shapes are compiled, so a new shape cannot be skipped silently.

The queries are generated from the shapes, so they are built here rather than kept in
``.rq`` files; every IRI and literal in them comes from the shapes graph through
:func:`sparql_term`.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from polgraph.graphs.vocab import SH

#: Lexical forms of the XSD datatypes the shapes use (rdflib calls other forms ill-typed).
_LEXICAL: dict[URIRef, str] = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.nonNegativeInteger: r"^(\+?[0-9]+|-0+)$",
    XSD.decimal: r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.date: r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.gYear: r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
#: Datatypes whose values a SPARQL cast also checks (a date like 2024-02-30 is ill-typed).
_CASTS = {XSD.date}

_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}

#: Shape predicates that carry no constraint (or are read with the constraint they belong to).
_NOT_CONSTRAINTS = {
    RDF.type, RDFS.label, RDFS.comment, SH.message, SH.severity, SH.path, SH.targetClass,
    SH.property, SH.name, SH.description, SH.order, SH.group, SH.declare, SH.prefixes,
    SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.deactivated,
}

_COMPONENTS = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.lessThan: SH.LessThanConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}


#: Where a query's focus nodes are restricted (a VALUES block, or nothing for all of them).
SCOPE = "%SCOPE%"


class UnsupportedShape(ValueError):
    """A shape uses a part of SHACL this compiler does not translate."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape as a query.

    ``where`` is the group graph pattern after the focus-node pattern; it binds ``?this`` and,
    for a value-based constraint, ``?value``; ``extra`` are further variables a message
    template names. ``path`` is the result path (a node of the shapes graph) or None.
    """

    shape: Node
    component: URIRef
    severity: URIRef
    messages: tuple[str, ...]
    targets: tuple[URIRef, ...]
    where: str
    path: Node | None = None
    reports_value: bool = True
    #: True: enumerate the focus nodes first (a check of absence or of the node itself);
    #: False: find the failing values first, then keep those of focus nodes (most checks
    #: fail nowhere, so this reads each value once and joins nothing).
    focus_first: bool = True
    extra: tuple[str, ...] = ()
    prefixes: str = ""
    #: The pattern for a scoped run when it differs from ``where``: a test per row (index
    #: look-ups) instead of a set computed over the whole store and subtracted.
    scoped_where: str = ""


@dataclass
class Result:
    """One result, in rdflib terms, as pyshacl would report it."""

    shape: Node
    component: URIRef
    severity: URIRef
    focus: Node
    message: str
    path: Node | None = None
    value: Node | None = None
    bindings: dict[str, Node] = field(default_factory=dict)


# -- terms ----------------------------------------------------------------------------------


def sparql_term(node: Node) -> str:
    """An IRI or literal of the shapes graph in SPARQL syntax."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        text = json.dumps(str(node), ensure_ascii=False)
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None and node.datatype != XSD.string:
            return f"{text}^^<{node.datatype}>"
        return text
    raise UnsupportedShape(f"a blank node cannot be written as a SPARQL term: {node}")


def rdflib_term(node: object) -> Node:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(node, pyoxigraph.NamedNode):
        return URIRef(node.value)
    if isinstance(node, pyoxigraph.BlankNode):
        return BNode(node.value)
    if isinstance(node, pyoxigraph.Literal):
        if node.language:
            return Literal(node.value, lang=node.language)
        if node.datatype.value == str(XSD.string):
            return Literal(node.value)
        return Literal(node.value, datatype=URIRef(node.datatype.value))
    raise TypeError(f"not an RDF term: {node!r}")


def oxigraph_term(node: Node) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(node, URIRef):
        return pyoxigraph.NamedNode(str(node))
    if isinstance(node, BNode):
        return pyoxigraph.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return pyoxigraph.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return pyoxigraph.Literal(str(node), datatype=pyoxigraph.NamedNode(str(node.datatype)))
        return pyoxigraph.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


# -- compiling --------------------------------------------------------------------------------


class _Names:
    """Fresh variable names for nested patterns."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def __call__(self, stem: str = "v") -> str:
        return f"?_{stem}{next(self._counter)}"


def sparql_path(shapes: Graph, path: Node) -> str:
    """A SHACL path as a SPARQL property path."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return f"^({sparql_path(shapes, inverse)})"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        options = (sparql_path(shapes, p) for p in Collection(shapes, alternatives))
        return "(" + "|".join(options) + ")"
    for key, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = shapes.value(path, key)
        if inner is not None:
            return f"({sparql_path(shapes, inner)}){mark}"
    if shapes.value(path, RDF.first) is not None:
        return "(" + "/".join(sparql_path(shapes, p) for p in Collection(shapes, path)) + ")"
    raise UnsupportedShape(f"a path this compiler does not know: {path}")


def path_pattern(shapes: Graph, subject: str, path: Node, obj: str, names: _Names) -> str:
    """Triple patterns linking ``subject`` to ``obj`` through a SHACL path.

    A sequence becomes a chain of patterns through fresh variables and an alternative a
    UNION: Oxigraph evaluates those from a bound subject, where it would evaluate a sequence
    property path inside ``NOT EXISTS`` over the whole graph.
    """
    if isinstance(path, URIRef):
        return f"{subject} <{path}> {obj} ."
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return path_pattern(shapes, obj, inverse, subject, names)
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return " UNION ".join("{ " + path_pattern(shapes, subject, p, obj, names) + " }"
                              for p in Collection(shapes, alternatives))
    if shapes.value(path, RDF.first) is not None:
        steps = list(Collection(shapes, path))
        nodes = [subject, *(names("p") for _ in steps[1:]), obj]
        return " ".join(path_pattern(shapes, nodes[i], step, nodes[i + 1], names)
                        for i, step in enumerate(steps))
    return f"{subject} {sparql_path(shapes, path)} {obj} ."


class Compiler:
    """Compiles the shapes of one shapes graph; ``subclasses`` gives a class's closure."""

    def __init__(self, shapes: Graph, subclasses: dict[URIRef, set[URIRef]]) -> None:
        self.shapes = shapes
        self.subclasses = subclasses
        self.names = _Names()

    def classes(self, cls: Node) -> list[URIRef]:
        return sorted(self.subclasses.get(cls, {cls}) | {cls})

    def type_test(self, var: str, *classes: Node) -> str:
        """A pattern that holds when ``var`` is an instance of one of ``classes``."""
        kind = self.names("t")
        values = ", ".join(sparql_term(c) for c in sorted({k for cls in classes
                                                           for k in self.classes(cls)}))
        return f"{var} a {kind} . FILTER ({kind} IN ({values}))"

    def classes_of_or(self, predicate: Node, argument: Node) -> list[Node]:
        """The classes of an ``sh:or`` whose members are all bare ``[ sh:class C ]`` shapes
        (checked as one type test, which Oxigraph runs much faster than a disjunction of
        EXISTS), else an empty list."""
        if predicate != SH["or"]:
            return []
        classes = []
        for member in Collection(self.shapes, argument):
            pairs = [(p, o) for p, o in self.shapes.predicate_objects(member)
                     if p not in (RDF.type, RDFS.comment)]
            if len(pairs) != 1 or pairs[0][0] != SH["class"]:
                return []
            classes.append(pairs[0][1])
        return classes

    def datatype_test(self, var: str, datatype: Node) -> str:
        tests = [f"isLiteral({var})", f"sameTerm(DATATYPE({var}), {sparql_term(datatype)})"]
        if datatype in _LEXICAL:
            tests.append(f"REGEX(STR({var}), {json.dumps(_LEXICAL[datatype])})")
        if datatype in _CASTS:
            tests.append(f"COALESCE(sameTerm(DATATYPE({sparql_term(datatype)}(STR({var}))), "
                         f"{sparql_term(datatype)}), false)")
        return "(" + " && ".join(tests) + ")"

    # Value-node tests: SPARQL expressions that hold when the node in ``var`` passes.

    def value_test(self, predicate: Node, argument: Node, var: str) -> str:
        if predicate == SH["class"]:
            return f"EXISTS {{ {self.type_test(var, argument)} }}"
        if predicate == SH.datatype:
            return self.datatype_test(var, argument)
        if predicate == SH.nodeKind:
            if argument not in _NODE_KINDS:
                raise UnsupportedShape(f"sh:nodeKind {argument}")
            return _NODE_KINDS[argument].format(v=var)
        if predicate == SH["in"]:
            members = list(Collection(self.shapes, argument))
            return "(" + (" || ".join(f"sameTerm({var}, {sparql_term(m)})" for m in members)
                          or "false") + ")"
        if predicate == SH.hasValue:
            return f"sameTerm({var}, {sparql_term(argument)})"
        if predicate == SH.minInclusive:
            return f"COALESCE({var} >= {sparql_term(argument)}, false)"
        if predicate == SH.maxInclusive:
            return f"COALESCE({var} <= {sparql_term(argument)}, false)"
        if predicate == SH.minLength:
            return f"(!isBlank({var}) && STRLEN(STR({var})) >= {int(argument)})"
        if predicate == SH.pattern:
            return self.pattern_test(var, argument, None)
        if predicate == SH["or"]:
            members = [self.conforms(var, s) for s in Collection(self.shapes, argument)]
            return "(" + (" || ".join(members) or "false") + ")"
        if predicate == SH["not"]:
            return f"!{self.conforms(var, argument)}"
        if predicate == SH.node:
            return self.conforms(var, argument)
        raise UnsupportedShape(f"{predicate} inside a nested shape")

    def pattern_test(self, var: str, pattern: Node, flags: Node | None) -> str:
        arguments = f"STR({var}), {json.dumps(str(pattern))}"
        if flags is not None:
            arguments += f", {json.dumps(str(flags))}"
        return f"(!isBlank({var}) && REGEX({arguments}))"

    def conforms(self, var: str, shape: Node) -> str:
        """An expression that holds when the node in ``var`` conforms to ``shape``."""
        tests = []
        path = self.shapes.value(shape, SH.path)
        for predicate, argument in sorted(self.shapes.predicate_objects(shape)):
            if predicate in _NOT_CONSTRAINTS or predicate == SH.flags:
                continue
            if path is None:
                tests.append(self.value_test(predicate, argument, var))
                continue
            other = self.names()
            step = path_pattern(self.shapes, var, path, other, self.names)
            if predicate == SH.minCount and int(argument) == 1:
                tests.append(f"EXISTS {{ {step} }}")
            elif predicate == SH.minCount and int(argument) == 0:
                continue
            elif predicate == SH.maxCount and int(argument) == 0:
                tests.append(f"NOT EXISTS {{ {step} }}")
            elif predicate == SH.hasValue:
                reached = path_pattern(self.shapes, var, path, sparql_term(argument), self.names)
                tests.append(f"EXISTS {{ {reached} }}")
            elif predicate in (SH.minCount, SH.maxCount):
                raise UnsupportedShape(f"{predicate} {argument} inside a nested shape")
            else:
                inner = self.value_test(predicate, argument, other)
                tests.append(f"NOT EXISTS {{ {step} FILTER (!{inner}) }}")
        for prop in self.shapes.objects(shape, SH.property):
            tests.append(self.conforms(var, prop))
        return "(" + (" && ".join(tests) or "true") + ")"

    # Top-level constraints.

    def checks(self) -> list[Check]:
        checks: list[Check] = []
        for node_shape in sorted(set(self.shapes.subjects(SH.targetClass, None))):
            targets = tuple(sorted({c for t in self.shapes.objects(node_shape, SH.targetClass)
                                    for c in self.classes(t)}))
            checks += self.shape_checks(node_shape, targets, None)
            for prop in sorted(self.shapes.objects(node_shape, SH.property)):
                path = self.shapes.value(prop, SH.path)
                if path is None:
                    raise UnsupportedShape(f"property shape {prop} without sh:path")
                checks += self.shape_checks(prop, targets, path)
        return checks

    def shape_checks(self, shape: Node, targets: tuple[URIRef, ...], path: Node | None
                     ) -> list[Check]:
        if (shape, SH.deactivated, Literal(True)) in self.shapes:
            return []
        severity = self.shapes.value(shape, SH.severity) or SH.Violation
        messages = tuple(sorted(str(m) for m in self.shapes.objects(shape, SH.message)))
        base = {"shape": shape, "severity": severity, "messages": messages,
                "targets": targets, "path": path}
        step = None
        if path is not None:
            step = functools.partial(path_pattern, self.shapes, "?this", path, names=self.names)
        values = step("?value") if step else "BIND (?this AS ?value)"
        found: list[Check] = []
        for predicate, argument in sorted(self.shapes.predicate_objects(shape)):
            if predicate in _NOT_CONSTRAINTS or predicate == SH.flags:
                continue
            if predicate == SH.qualifiedValueShape:
                found += self.qualified(shape, argument, step, base)
                continue
            if predicate == SH.sparql:
                found.append(self.sparql_check(argument, base))
                continue
            if predicate not in _COMPONENTS:
                raise UnsupportedShape(f"{predicate} on {shape}")
            component = _COMPONENTS[predicate]
            if predicate in (SH.minCount, SH.maxCount):
                if step is None:
                    raise UnsupportedShape(f"{predicate} on a node shape")
                found.append(Check(component=component, reports_value=False,
                                   where=self.count_pattern(predicate, int(argument), step),
                                   focus_first=predicate == SH.minCount, **base))
            elif predicate == SH.hasValue:
                where = (f"MINUS {{ {SCOPE}{step(sparql_term(argument))} }}" if step
                         else f"FILTER (!sameTerm(?this, {sparql_term(argument)}))")
                found.append(Check(component=component, reports_value=False, where=where,
                                   **base))
            elif predicate in (SH.lessThan, SH.lessThanOrEquals):
                operator = "<" if predicate == SH.lessThan else "<="
                where = (f"{values} ?this {sparql_term(argument)} ?_other . "
                         f"FILTER (!COALESCE(?value {operator} ?_other, false))")
                found.append(Check(component=component, where=where,
                                   focus_first=step is None, **base))
            elif predicate == SH.pattern:
                test = self.pattern_test("?value", argument, self.shapes.value(shape, SH.flags))
                found.append(Check(component=component, where=f"{values} FILTER (!{test})",
                                   focus_first=step is None, **base))
            elif predicate == SH["class"] or self.classes_of_or(predicate, argument):
                classes = self.classes_of_or(predicate, argument) or [argument]
                # The instances, each once: a node typed in a thousand article graphs would
                # otherwise come a thousand times from the union of the store's graphs.
                test = self.type_test('?value', *classes)
                where = f"{values} MINUS {{ SELECT DISTINCT ?value WHERE {{ {test} }} }}"
                found.append(Check(component=component, where=where,
                                   scoped_where=f"{values} FILTER NOT EXISTS {{ {test} }}",
                                   focus_first=step is None, **base))
            else:
                test = self.value_test(predicate, argument, "?value")
                found.append(Check(component=component, where=f"{values} FILTER (!{test})",
                                   focus_first=step is None, **base))
        return found

    def count_pattern(self, predicate: Node, limit: int, step: Callable[[str], str]) -> str:
        if predicate == SH.minCount:
            if limit <= 0:
                return "FILTER (false)"
            if limit == 1:
                return f"MINUS {{ {SCOPE}{step('?_any')} }}"
            return (f"OPTIONAL {{ SELECT ?this (COUNT(DISTINCT ?_any) AS ?_n) "
                    f"WHERE {{ {SCOPE}{step('?_any')} }} GROUP BY ?this }} "
                    f"FILTER (COALESCE(?_n, 0) < {limit})")
        return (f"{{ SELECT ?this WHERE {{ {SCOPE}{step('?_any')} }} GROUP BY ?this "
                f"HAVING (COUNT(DISTINCT ?_any) > {limit}) }}")

    def qualified(self, shape: Node, qualified: Node, step: Callable[[str], str] | None,
                  base: dict
                  ) -> list[Check]:
        if step is None:
            raise UnsupportedShape("sh:qualifiedValueShape on a node shape")
        if self.shapes.value(shape, SH.qualifiedValueShapesDisjoint) is not None:
            raise UnsupportedShape("sh:qualifiedValueShapesDisjoint")
        test = self.conforms("?_q", qualified)
        count = (f"OPTIONAL {{ SELECT ?this (COUNT(DISTINCT ?_q) AS ?_n) WHERE {{ "
                 f"{SCOPE}{step('?_q')} FILTER ({test}) }} GROUP BY ?this }}")
        found = []
        low = self.shapes.value(shape, SH.qualifiedMinCount)
        if low is not None:
            found.append(Check(component=SH.QualifiedMinCountConstraintComponent,
                               reports_value=False,
                               where=f"{count} FILTER (COALESCE(?_n, 0) < {int(low)})", **base))
        high = self.shapes.value(shape, SH.qualifiedMaxCount)
        if high is not None:
            found.append(Check(component=SH.QualifiedMaxCountConstraintComponent,
                               reports_value=False,
                               where=f"{count} FILTER (COALESCE(?_n, 0) > {int(high)})", **base))
        return found

    def sparql_check(self, constraint: Node, base: dict) -> Check:
        select = self.shapes.value(constraint, SH.select)
        if select is None:
            raise UnsupportedShape(f"SPARQL constraint {constraint} without sh:select")
        prefixes = "".join(
            f"PREFIX {declaration[0]}: <{declaration[1]}>\n"
            for declaration in sorted(self._declarations(constraint)))
        text = str(select)
        opening = re.search(r"WHERE\s*\{", text, re.IGNORECASE)
        if opening is None:
            raise UnsupportedShape(f"SPARQL constraint {constraint}: no WHERE {{ … }}")
        text = text[: opening.end()] + f" {SCOPE}" + text[opening.end():]
        extra = tuple(sorted(set(re.findall(r"[?$](\w+)", text.split("WHERE", 1)[0]))
                             - {"this", "value", "path"}))
        messages = tuple(sorted(str(m) for m in self.shapes.objects(constraint, SH.message)))
        merged = {**base, "messages": tuple(sorted({*messages, *base["messages"]}))}
        return Check(component=SH.SPARQLConstraintComponent, where=f"{{ {text} }}",
                     extra=extra, prefixes=prefixes, focus_first=False, **merged)

    def _declarations(self, constraint: Node) -> Iterator[tuple[str, str]]:
        for source in self.shapes.objects(constraint, SH.prefixes):
            for declaration in self.shapes.objects(source, SH.declare):
                yield (str(self.shapes.value(declaration, SH.prefix)),
                       str(self.shapes.value(declaration, SH.namespace)))


def class_closure(pairs: Iterable[tuple[URIRef, URIRef]]) -> dict[URIRef, set[URIRef]]:
    """Each class with all its subclasses (itself included), from (sub, super) pairs."""
    below: dict[URIRef, set[URIRef]] = {}
    for sub, sup in pairs:
        below.setdefault(sup, set()).add(sub)
    closure: dict[URIRef, set[URIRef]] = {}
    for cls in below:
        seen = {cls}
        todo = [cls]
        while todo:
            for sub in below.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        closure[cls] = seen
    return closure


def compile_shapes(shapes: Graph, subclasses: dict[URIRef, set[URIRef]]) -> list[Check]:
    """The checks of every shape with a target in ``shapes``."""
    return Compiler(shapes, subclasses).checks()


# -- running ----------------------------------------------------------------------------------


#: The named graph and predicate that mark the focus nodes of a scoped run, while it runs.
SCOPE_GRAPH = "urn:polgraph:validation-scope"
SCOPE_PREDICATE = "urn:polgraph:validation-scope#focus"


def query_text(check: Check, scoped: bool = False) -> str:
    """The SELECT query of a check; ``scoped``: only the nodes marked in :data:`SCOPE_GRAPH`."""
    scope = f"GRAPH <{SCOPE_GRAPH}> {{ ?this <{SCOPE_PREDICATE}> true }} " if scoped else ""
    variables = " ".join(["?this", "?value", *(f"?{name}" for name in check.extra)])
    where = ((check.scoped_where or check.where) if scoped else check.where).replace(SCOPE, scope)
    if not check.focus_first:
        return (f"{check.prefixes}SELECT DISTINCT {variables} WHERE {{ "
                f"{{ SELECT DISTINCT {variables} WHERE {{ {scope}{where} }} }} "
                f"FILTER EXISTS {{ {focus_pattern(check.targets)} }} }}")
    return (f"{check.prefixes}SELECT DISTINCT {variables} WHERE {{ "
            f"{{ SELECT DISTINCT ?this WHERE {{ {scope}{focus_pattern(check.targets)} }} }} "
            f"{where} }}")


def focus_pattern(targets: tuple[URIRef, ...]) -> str:
    """The pattern that binds ``?this`` to each instance of the target classes.

    It runs in a ``SELECT DISTINCT`` of its own: in the union of a store's graphs, a node
    typed in a thousand article graphs (an extractor, a party) would otherwise come a
    thousand times and multiply every join after it. ``FILTER (… IN …)`` rather than
    ``VALUES``: Oxigraph joins a VALUES block slowly."""
    if len(targets) == 1:
        return f"?this a {sparql_term(targets[0])} ."
    return (f"?this a ?_focusType . FILTER (?_focusType IN "
            f"({', '.join(sparql_term(t) for t in targets)}))")


def run_checks(store: pyoxigraph.Store, checks: list[Check],
               focus: Iterable[str] | None = None,
               progress: Callable[[int], object] | None = None) -> list[Result]:
    """Run the checks in ``store`` (union default graph); only ``focus`` nodes if given.

    A scoped run marks its focus nodes in a named graph of the store for as long as it runs
    (a join Oxigraph answers from its indexes, where a long VALUES list is slow), so the
    store must be writable. ``progress(1)`` is called after each check.
    """
    scoped = focus is not None
    graph = pyoxigraph.NamedNode(SCOPE_GRAPH)
    if scoped:
        mark = pyoxigraph.NamedNode(SCOPE_PREDICATE)
        true = pyoxigraph.Literal(True)
        store.remove_graph(graph) if store.contains_named_graph(graph) else None
        store.extend(pyoxigraph.Quad(pyoxigraph.NamedNode(iri), mark, true, graph)
                     for iri in focus)
    results: list[Result] = []
    try:
        for check in checks:
            for bindings in solutions(store, check, scoped):
                results.append(result_of(check, bindings))
            if progress is not None:
                progress(1)
    finally:
        if scoped and store.contains_named_graph(graph):
            store.remove_graph(graph)
    return results


def solutions(store: pyoxigraph.Store, check: Check, scoped: bool = False
              ) -> Iterator[dict[str, Node]]:
    """The check's failing rows, each as ``{variable: rdflib term}``."""
    names = ("this", "value", *check.extra)
    for row in store.query(query_text(check, scoped), use_default_graph_as_union=True):
        yield {name: rdflib_term(row[name]) for name in names if row[name] is not None}


def result_of(check: Check, bindings: dict[str, Node]) -> Result:
    """One failing row of a check as the result pyshacl would report."""
    focus = bindings["this"]
    messages = check.messages
    if check.component == SH.SPARQLConstraintComponent:
        messages = tuple(sorted(_fill(m, bindings) for m in messages))
    reported = bindings.get("value") if check.reports_value else None
    if check.component == SH.SPARQLConstraintComponent and reported is None:
        reported = focus
    return Result(shape=check.shape, component=check.component, severity=check.severity,
                  focus=focus, message=messages[0] if messages else "", path=check.path,
                  value=reported, bindings=bindings)


def _fill(message: str, bindings: dict[str, Node]) -> str:
    """Put the bound values into a message template, as pyshacl does (``{?name}``)."""
    for name, value in bindings.items():
        message = re.sub("{[?$]" + re.escape(name) + "}", lambda _m, v=value: str(v), message)
    return message
