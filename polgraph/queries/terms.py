"""RDF terms for parameter values and query results, whatever the backend.

Parameter values become :class:`Term` objects (checked, typed); the runner turns them into
rdflib terms or into SPARQL text for a ``VALUES`` clause (:func:`sparql_term`), escaped by
the SPARQL grammar's rules, so a value is always data and never query text.

Result values are rendered as plain strings (:func:`render`): the lexical form, with
numbers and booleans in one canonical form so every backend prints the same thing.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from polgraph.errors import QueryError

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"

_TYPE_DATATYPES = {
    "decimal": XSD + "decimal",
    "integer": XSD + "integer",
    "boolean": XSD + "boolean",
    "date": XSD + "date",
}
_INTEGER_TYPES = {
    XSD + name
    for name in (
        "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
        "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte",
    )
}
_FLOAT_TYPES = {XSD + "double", XSD + "float"}

#: Characters an IRI reference may not contain in SPARQL (IRIREF production).
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*$")
_WEB_IRI = re.compile(r"^https?://[^\x00-\x20<>\"{}|^`\\]+$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\b": "\\b", "\f": "\\f"}


@dataclass(frozen=True)
class Term:
    """An IRI (``datatype`` None) or a literal with its datatype (``xsd:string`` if plain)."""

    value: str
    datatype: str | None = XSD_STRING

    @property
    def is_iri(self) -> bool:
        return self.datatype is None


def param_term(name: str, kind: str, value: str) -> Term:
    """The term for a parameter value: typed when the header declares a type.

    ``auto`` (no declared type): an ``http(s)://`` IRI binds as an IRI, anything else as a
    plain string literal.
    """
    if kind == "auto":
        if _WEB_IRI.match(value):
            return Term(value, None)
        return Term(value)
    if kind == "string":
        return Term(value)
    if kind == "iri":
        if not _IRI.match(value):
            raise QueryError(f"parameter {name}: {value!r} is not an IRI")
        return Term(value, None)
    text = value.strip()
    try:
        if kind == "decimal":
            number = Decimal(text)
            if not number.is_finite():
                raise ValueError(text)
            lexical = format(number, "f")
        elif kind == "integer":
            lexical = str(int(text))
        elif kind == "boolean":
            lexical = {"true": "true", "1": "true", "yes": "true",
                       "false": "false", "0": "false", "no": "false"}[text.lower()]
        elif kind == "date":
            lexical = datetime.date.fromisoformat(text).isoformat()
        else:
            raise QueryError(f"parameter {name}: unknown type {kind!r}")
    except (ValueError, InvalidOperation, KeyError):
        raise QueryError(f"parameter {name}: {value!r} is not a valid {kind}") from None
    return Term(lexical, _TYPE_DATATYPES[kind])


def _escape(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return "".join(out)


def sparql_term(term: Term) -> str:
    """The term in SPARQL syntax: ``<iri>``, ``"text"`` or ``"lexical"^^<datatype>``."""
    if term.is_iri:
        if not _IRI.match(term.value):
            raise QueryError(f"{term.value!r} is not an IRI")
        return f"<{term.value}>"
    literal = f'"{_escape(term.value)}"'
    if term.datatype and term.datatype != XSD_STRING:
        return f"{literal}^^<{term.datatype}>"
    return literal


def render(value: str, datatype: str | None) -> str:
    """A literal's lexical form, canonical for booleans and numbers (``"35.400"`` → ``"35.4"``)."""
    if datatype is None:
        return value
    try:
        if datatype == XSD + "boolean":
            return {"1": "true", "0": "false"}.get(value.strip(), value.strip())
        if datatype == XSD + "decimal":
            number = Decimal(value.strip())
            if number.is_finite():
                number = number.normalize()
                return format(number, "f") if number else "0"
            return value
        if datatype in _INTEGER_TYPES:
            return str(int(value.strip()))
        if datatype in _FLOAT_TYPES:
            number = float(value.strip())
            if math.isnan(number):
                return "NaN"
            if math.isinf(number):
                return "INF" if number > 0 else "-INF"
            return repr(number)
    except (ValueError, InvalidOperation):
        return value
    return value
