"""A SPARQL 1.1 Protocol client over HTTP (urllib): POST the query, read JSON results.

Errors become :class:`polgraph.errors.EndpointError` with a message that says what went
wrong: the endpoint refused the query (4xx), failed (5xx), did not answer in time, or could
not be reached.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from polgraph import __version__
from polgraph.errors import EndpointError, QueryError
from polgraph.urls import redact

SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


def check_url(url: str) -> None:
    """Raise :class:`QueryError` unless ``url`` is an http(s) URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise QueryError(f"not an http(s) SPARQL endpoint URL: {redact(url)!r}")


def post_query(url: str, query: str, accept: str, timeout: float) -> bytes:
    """POST ``query`` to the endpoint and return the body of a 2xx answer."""
    check_url(url)
    body = urllib.parse.urlencode({"query": query}).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "Accept": accept,
            "User-Agent": f"polgraph/{__version__}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as err:
        raise _http_error(redact(url), err) from None
    except TimeoutError:
        raise EndpointError(f"{redact(url)} did not answer within {timeout:g} s") from None
    except urllib.error.URLError as err:
        if isinstance(err.reason, TimeoutError):
            raise EndpointError(f"{redact(url)} did not answer within {timeout:g} s") from None
        shown = redact(url)
        raise EndpointError(f"cannot reach the SPARQL endpoint {shown}: {err.reason}") from None
    except OSError as err:
        raise EndpointError(f"cannot reach the SPARQL endpoint {redact(url)}: {err}") from None


def _http_error(url: str, err: urllib.error.HTTPError) -> EndpointError:
    try:
        detail = err.read().decode("utf-8", "replace").strip()
    except OSError:
        detail = ""
    detail = " ".join(detail.split())[:300]
    status = f"HTTP {err.code} {err.reason}".strip()
    suffix = f": {detail}" if detail else ""
    if err.code == 404:
        return EndpointError(f"no SPARQL endpoint at {url} ({status}); check the URL{suffix}")
    if err.code in (401, 403):
        return EndpointError(f"{url} refused access ({status}){suffix}")
    if 400 <= err.code < 500:
        return EndpointError(f"{url} rejected the query ({status}){suffix}")
    return EndpointError(f"the SPARQL endpoint {url} failed ({status}){suffix}")


def select_json(url: str, query: str, timeout: float) -> dict:
    """The SPARQL JSON results of a SELECT or ASK query."""
    raw = post_query(url, query, SPARQL_JSON, timeout)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise EndpointError(
            f"{redact(url)} did not answer with SPARQL JSON results: {raw[:120]!r}"
        ) from None
    if not isinstance(data, dict) or not ("results" in data or "boolean" in data):
        raise EndpointError(f"{url} answered with JSON that is not SPARQL results")
    return data


def construct_ntriples(url: str, query: str, timeout: float) -> bytes:
    """The N-Triples answer to a CONSTRUCT or DESCRIBE query."""
    return post_query(url, query, N_TRIPLES, timeout)
