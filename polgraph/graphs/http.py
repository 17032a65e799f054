"""A small HTTP client for SPARQL stores: timeouts, retries with backoff, credentials kept secret.

Standard library only (:mod:`urllib.request`). Credentials come from environment variables
(see :func:`credentials_from_env`) and never appear in messages: URLs are shown through
:func:`redact`, and any error text is scrubbed of the secret values before it is raised.
HTTP Basic and Digest authentication answer the server's challenge (Virtuoso's ``-auth``
endpoints use Digest); a token is sent as ``Authorization: Bearer``.
"""

from __future__ import annotations

import html
import http.client
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from polgraph.errors import EndpointError, UsageError
from polgraph.urls import redact  # noqa: F401  (re-exported)

#: Statuses worth another try: the server is there but busy, restarting or behind a proxy.
RETRY_STATUSES = frozenset({500, 502, 503, 504})
USER_AGENT = "polgraph-load"


@dataclass(frozen=True)
class Credentials:
    """A user and password, or a bearer token. ``repr`` never shows the secrets."""

    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    def secrets(self) -> list[str]:
        """The values that must never be printed."""
        return [value for value in (self.password, self.token) if value]


def credentials_from_env(
    user: str | None = None,
    password_env: str | None = None,
    token_env: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Credentials | None:
    """Credentials named by ``--user/--password-env`` or ``--token-env``; ``None`` for none.

    Raises :class:`UsageError` naming the variable (never its value) when it is unset.
    """
    environ = os.environ if environ is None else environ
    if token_env and (user or password_env):
        raise UsageError("give either --token-env or --user/--password-env, not both")
    if token_env:
        token = environ.get(token_env)
        if not token:
            raise UsageError(f"--token-env {token_env}: the environment variable is not set")
        return Credentials(token=token)
    if password_env and not user:
        raise UsageError("--password-env needs --user")
    if user:
        password = ""
        if password_env:
            if password_env not in environ:
                raise UsageError(
                    f"--password-env {password_env}: the environment variable is not set"
                )
            password = environ[password_env]
        return Credentials(user=user, password=password)
    return None


def split_userinfo(url: str) -> tuple[str, Credentials | None]:
    """The URL without ``user:password@`` and the credentials it carried, if any."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None
    netloc = parts.hostname or ""
    if ":" in netloc:  # an IPv6 address
        netloc = f"[{netloc}]"
    if parts.port is not None:
        netloc += f":{parts.port}"
    clean = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    user = urllib.parse.unquote(parts.username or "")
    password = urllib.parse.unquote(parts.password or "")
    return clean, Credentials(user=user, password=password)


class HttpStatusError(EndpointError):
    """The store answered, with an error status (kept in :attr:`status`)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Response:
    """What the server answered."""

    status: int
    body: bytes
    content_type: str


class HttpClient:
    """Sends requests to one store with a timeout, retries and the store's credentials.

    Connection errors, timeouts and 5xx answers are retried ``retries`` times, waiting
    ``backoff``, ``2 * backoff``, ``4 * backoff`` … seconds; anything else fails at once.
    """

    def __init__(
        self,
        credentials: Credentials | None = None,
        *,
        timeout: float = 60.0,
        retries: int = 3,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.credentials = credentials
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self._sleep = sleep
        self._opener = self._build_opener()

    def _build_opener(self) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = []
        creds = self.credentials
        if creds is not None and creds.user is not None:
            manager = _SamePassword(creds.user, creds.password or "")
            handlers += [
                urllib.request.HTTPDigestAuthHandler(manager),
                urllib.request.HTTPBasicAuthHandler(manager),
            ]
        return urllib.request.build_opener(*handlers)

    def scrub(self, text: str) -> str:
        """``text`` with every secret replaced by ``***``."""
        if self.credentials is not None:
            for secret in self.credentials.secrets():
                text = text.replace(secret, "***")
        return text

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> Response:
        """Send one request (retrying as described); a 2xx answer or :class:`EndpointError`.

        ``params`` are added to the URL's query string; messages show the URL without them.
        """
        all_headers = {"User-Agent": USER_AGENT, **(headers or {})}
        if self.credentials is not None and self.credentials.token:
            all_headers["Authorization"] = f"Bearer {self.credentials.token}"
        attempt = 0
        while True:
            try:
                return self._send(method, url, body, all_headers, params)
            except _Retryable as err:
                if attempt >= self.retries:
                    tries = f"; gave up after {attempt + 1} attempts" if attempt else ""
                    raise EndpointError(self.scrub(f"{err.message}{tries}")) from None
                self._sleep(self.backoff * (2**attempt))
                attempt += 1

    def _send(self, method: str, url: str, body: bytes | None, headers: dict,
              params: Mapping[str, str] | None) -> Response:
        shown = redact(url)
        if params:
            separator = "&" if urllib.parse.urlsplit(url).query else "?"
            url = f"{url}{separator}{urllib.parse.urlencode(params)}"
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                return Response(
                    answer.status, answer.read(), answer.headers.get("Content-Type", "")
                )
        except urllib.error.HTTPError as err:
            detail = _error_detail(err)
            err.close()
            message = f"{method} {shown}: HTTP {err.code} {err.reason}{detail}"
            if err.code in RETRY_STATUSES:
                raise _Retryable(message) from None
            if err.code in (401, 403):
                message += " (check --user and --password-env, or --token-env)"
            raise HttpStatusError(self.scrub(message), err.code) from None
        except http.client.InvalidURL as err:  # a bad port, a space…
            raise EndpointError(self.scrub(f"{method} {shown}: not a valid URL: {err}")) from None
        except ValueError as err:  # e.g. an authentication scheme urllib cannot answer
            raise EndpointError(self.scrub(f"{method} {shown}: {err}")) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
            reason = err.reason if isinstance(err, urllib.error.URLError) else err
            if isinstance(reason, (socket.timeout, TimeoutError)):
                reason = f"no answer within {self.timeout:g} s (--timeout)"
            elif isinstance(reason, ConnectionRefusedError):
                reason = "connection refused (is the server running?)"
            raise _Retryable(f"{method} {shown}: cannot reach the store: {reason}") from None


class _Retryable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _SamePassword(urllib.request.HTTPPasswordMgr):
    """Offers the one user and password to every realm of the store the client talks to."""

    def __init__(self, user: str, password: str) -> None:
        super().__init__()
        self._pair = (user, password)

    def find_user_password(self, realm: str | None, authuri: str) -> tuple[str, str]:
        return self._pair


def _error_detail(err: urllib.error.HTTPError, limit: int = 300) -> str:
    """A short, plain-text excerpt of the server's error page."""
    try:
        raw = err.read(4096)
    except (OSError, http.client.HTTPException):  # the status alone is still clear
        return ""
    text = raw.decode("utf-8", errors="replace")
    if "html" in (err.headers.get("Content-Type") or "").lower() or text.lstrip().startswith("<"):
        text = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", text)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = " ".join(text.split())
    if not text:
        return ""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f": {text}"
