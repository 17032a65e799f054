"""A small HTTP client for SPARQL stores: keep-alive, timeouts, retries, credentials kept secret.

Standard library only (:mod:`http.client`). Each client keeps one persistent (keep-alive)
connection per server, so a load of thousands of requests opens one or two TCP connections,
not thousands; a connection the server closed while idle is reopened once, at no cost to the
retries. Credentials come from environment variables (see :func:`credentials_from_env`) and
never appear in messages: URLs are shown through :func:`redact`, and any error text is scrubbed
of the secret values before it is raised. HTTP Basic and Digest authentication answer the
server's challenge once (Virtuoso's ``-auth`` endpoints use Digest) and are then sent with
every request to that server, so a large body is not sent twice; a token is sent as
``Authorization: Bearer``. Proxies named by ``http_proxy``/``https_proxy`` (and not bypassed
by ``no_proxy``) are used as :mod:`urllib` would.
"""

from __future__ import annotations

import base64
import hashlib
import html
import http.client
import os
import re
import secrets
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from polgraph.errors import EndpointError, UsageError
from polgraph.urls import redact  # noqa: F401  (re-exported)

#: Statuses worth another try: the server is there but busy, restarting or behind a proxy.
RETRY_STATUSES = frozenset({500, 502, 503, 504})
USER_AGENT = "polgraph-load"
#: Redirects followed for GET and HEAD (never for a request with a body).
MAX_REDIRECTS = 5


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
    """What the server answered; ``headers`` has lower-case names."""

    status: int
    body: bytes
    content_type: str
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def server(self) -> str:
        """The ``Server`` header (e.g. ``Oxigraph/0.5.13``), or ``""``."""
        return self.headers.get("server", "")


#: (scheme, host, port): one persistent connection each.
_Origin = tuple[str, str, int]


class HttpClient:
    """Sends requests to one store with a timeout, retries and the store's credentials.

    Connection errors, timeouts and 5xx answers are retried ``retries`` times, waiting
    ``backoff``, ``2 * backoff``, ``4 * backoff`` … seconds; anything else fails at once.
    Connections are kept open between requests (HTTP/1.1 keep-alive) and handed to the next
    request to the same server, in any thread: threads may share a client, each request in
    flight has its own connection. Call :meth:`close`, or use the client as a context
    manager, to close them.
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
        self._idle: dict[_Origin, list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()
        self._challenges: dict[_Origin, _Challenge] = {}

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the open connections (a later request opens new ones)."""
        with self._lock:
            for connections in self._idle.values():
                for connection in connections:
                    connection.close()
            self._idle.clear()

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

    # --- one try ---------------------------------------------------------------------------

    def _send(self, method: str, url: str, body: bytes | None, headers: dict[str, str],
              params: Mapping[str, str] | None) -> Response:
        shown = redact(url)
        if params:
            separator = "&" if urllib.parse.urlsplit(url).query else "?"
            url = f"{url}{separator}{urllib.parse.urlencode(params)}"
        challenged = False
        for _ in range(MAX_REDIRECTS + 1):
            origin, target = self._split(method, url, shown)
            sent = dict(headers)
            authorization = self._authorization(origin, method, target)
            if authorization:
                sent["Authorization"] = authorization
            status, reason, answer_headers, data = self._exchange(
                origin, method, target, body, sent, shown
            )
            if status == 401 and not challenged and self._accept_challenge(origin,
                                                                           answer_headers):
                challenged = True  # answer the challenge once, then give up
                continue
            location = answer_headers.get("location")
            if status in (301, 302, 303, 307, 308) and location and method in ("GET", "HEAD"):
                url = urllib.parse.urljoin(url, location)
                continue
            break
        if 200 <= status < 300:
            return Response(status, data, answer_headers.get("content-type", ""), answer_headers)
        detail = _error_detail(data, answer_headers.get("content-type", ""))
        message = f"{method} {shown}: HTTP {status} {reason}{detail}"
        if status in RETRY_STATUSES:
            raise _Retryable(message)
        if status in (401, 403):
            message += " (check --user and --password-env, or --token-env)"
        raise HttpStatusError(self.scrub(message), status)

    def _split(self, method: str, url: str, shown: str) -> tuple[_Origin, str]:
        try:
            parts = urllib.parse.urlsplit(url)
            port = parts.port
        except ValueError as err:
            raise EndpointError(self.scrub(f"{method} {shown}: not a valid URL: {err}")) from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise EndpointError(self.scrub(f"{method} {shown}: not a valid URL"))
        if any(char in url for char in " \r\n\t"):
            raise EndpointError(self.scrub(f"{method} {shown}: not a valid URL: a space in it"))
        port = port or (443 if parts.scheme == "https" else 80)
        target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        return (parts.scheme, parts.hostname, port), target

    def _connection(self, origin: _Origin, *, new: bool = False
                    ) -> tuple[http.client.HTTPConnection, bool]:
        """An idle connection to ``origin`` (and whether it is open), or a new one."""
        with self._lock:
            idle = self._idle.get(origin)
            if idle and not new:
                connection = idle.pop()
                return connection, connection.sock is not None
        scheme, host, port = origin
        proxy = _proxy_for(scheme, host)
        connect_host, connect_port = (proxy[0], proxy[1]) if proxy else (host, port)
        if scheme == "https":
            connection = http.client.HTTPSConnection(
                connect_host, connect_port, timeout=self.timeout,
                context=ssl.create_default_context(),
            )
            if proxy:
                connection.set_tunnel(host, port, headers=proxy[2])
        else:
            connection = http.client.HTTPConnection(connect_host, connect_port,
                                                    timeout=self.timeout)
        return connection, False

    def _release(self, origin: _Origin, connection: http.client.HTTPConnection) -> None:
        """Keep ``connection`` for the next request to ``origin`` (in any thread)."""
        with self._lock:
            self._idle.setdefault(origin, []).append(connection)

    def _exchange(self, origin: _Origin, method: str, target: str, body: bytes | None,
                  headers: dict[str, str], shown: str
                  ) -> tuple[int, str, dict[str, str], bytes]:
        """One request and its answer over the kept-alive connection to ``origin``."""
        scheme, host, port = origin
        proxy = _proxy_for(scheme, host)
        if proxy and scheme == "http":  # a plain-HTTP proxy takes the absolute URL
            target = f"http://{_authority(host, port)}{target}"
            headers = {**proxy[2], **headers}
        for fresh_try in (False, True):
            # Not shared while in use; after a stale one, a new one (not another idle one).
            connection, reused = self._connection(origin, new=fresh_try)
            broken: OSError | None = None
            try:
                try:
                    connection.request(method, target, body=body, headers=headers)
                except (BrokenPipeError, ConnectionResetError) as err:
                    # The server may have answered (an error) and closed before reading all
                    # of a large body: read what it said, it tells more than a broken pipe.
                    broken = err
                answer = connection.getresponse()
                data = answer.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError,
                    ConnectionAbortedError) as err:
                connection.close()
                if reused and not fresh_try:
                    continue  # closed by the server while idle: open a new connection
                raise _Retryable(self._unreachable(method, shown, broken or err)) from None
            except http.client.InvalidURL as err:
                connection.close()
                raise EndpointError(
                    self.scrub(f"{method} {shown}: not a valid URL: {err}")
                ) from None
            except (OSError, http.client.HTTPException) as err:
                connection.close()
                raise _Retryable(self._unreachable(method, shown, err)) from None
            if broken is not None:
                connection.close()
            self._release(origin, connection)  # closed by http.client if the server said so
            answer_headers = {name.lower(): value for name, value in answer.getheaders()}
            challenges = answer.headers.get_all("WWW-Authenticate") or []
            if challenges:
                answer_headers["www-authenticate"] = ", ".join(challenges)
            return answer.status, answer.reason, answer_headers, data
        raise AssertionError("unreachable")  # pragma: no cover

    def _unreachable(self, method: str, shown: str, err: BaseException) -> str:
        reason: object = err
        if isinstance(err, (socket.timeout, TimeoutError)):
            reason = f"no answer within {self.timeout:g} s (--timeout)"
        elif isinstance(err, ConnectionRefusedError):
            reason = "connection refused (is the server running?)"
        elif isinstance(err, http.client.RemoteDisconnected):
            reason = "the server closed the connection without answering"
        elif isinstance(err, socket.gaierror):
            reason = f"unknown host ({err.strerror})"
        return f"{method} {shown}: cannot reach the store: {reason}"

    # --- authentication --------------------------------------------------------------------

    def _accept_challenge(self, origin: _Origin, headers: Mapping[str, str]) -> bool:
        """Whether a 401 carries a challenge we can answer; if so, kept for ``origin``."""
        creds = self.credentials
        if creds is None or creds.user is None:
            return False
        challenge = _parse_challenge(headers.get("www-authenticate", ""))
        if challenge is None:
            return False
        with self._lock:
            self._challenges[origin] = challenge
        return True

    def _authorization(self, origin: _Origin, method: str, target: str) -> str | None:
        """The ``Authorization`` header answering the challenge ``origin`` made, if any."""
        creds = self.credentials
        challenge = self._challenges.get(origin)
        if creds is None or creds.user is None or challenge is None:
            return None
        with self._lock:
            return challenge.answer(creds.user, creds.password or "", method, target)


class _Challenge:
    """A server's ``WWW-Authenticate`` challenge, answered for every later request."""

    def __init__(self, scheme: str, params: dict[str, str]) -> None:
        self.scheme = scheme
        self.params = params
        self.count = 0

    def answer(self, user: str, password: str, method: str, uri: str) -> str:
        if self.scheme == "basic":
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            return f"Basic {token}"
        params = self.params
        algorithm = params.get("algorithm", "MD5")
        digest = _DIGESTS[algorithm.upper().removesuffix("-SESS")]
        realm, nonce = params.get("realm", ""), params.get("nonce", "")
        cnonce = secrets.token_hex(8)
        ha1 = digest(f"{user}:{realm}:{password}")
        if algorithm.upper().endswith("-SESS"):
            ha1 = digest(f"{ha1}:{nonce}:{cnonce}")
        ha2 = digest(f"{method}:{uri}")
        fields = {"username": user, "realm": realm, "nonce": nonce, "uri": uri,
                  "algorithm": algorithm}
        qops = [qop.strip() for qop in params.get("qop", "").split(",")]
        if "auth" in qops:
            self.count += 1
            count = f"{self.count:08x}"
            fields["response"] = digest(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}")
            fields.update(qop="auth", nc=count, cnonce=cnonce)
        else:
            fields["response"] = digest(f"{ha1}:{nonce}:{ha2}")
        if "opaque" in params:
            fields["opaque"] = params["opaque"]
        unquoted = {"algorithm", "qop", "nc"}
        return "Digest " + ", ".join(
            f"{key}={value}" if key in unquoted else f'{key}="{value}"'
            for key, value in fields.items()
        )


def _hasher(name: str) -> Callable[[str], str]:
    return lambda text: hashlib.new(name, text.encode("utf-8")).hexdigest()


_DIGESTS = {"MD5": _hasher("md5"), "SHA-256": _hasher("sha256")}


def _parse_challenge(header: str) -> _Challenge | None:
    """The Digest challenge in ``header`` if there is one we can answer, else a Basic one.

    ``header`` holds one or more challenges, comma-separated: ``Digest realm="r",
    nonce="n", qop="auth", Basic realm="r"``.
    """
    found: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for item in urllib.request.parse_http_list(header):
        head, _, rest = item.strip().partition(" ")
        if "=" not in head:  # a new challenge: its scheme, then maybe its first parameter
            current = found.setdefault(head.lower(), {})
            item = rest.strip()
        key, equals, value = item.partition("=")
        if current is not None and equals:
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = re.sub(r"\\(.)", r"\1", value[1:-1])
            current[key.strip().lower()] = value
    digest = found.get("digest")
    if digest is not None and digest.get("nonce"):
        algorithm = digest.get("algorithm", "MD5").upper().removesuffix("-SESS")
        if algorithm in _DIGESTS:
            return _Challenge("digest", digest)
    if "basic" in found:
        return _Challenge("basic", found["basic"])
    return None


def _proxy_for(scheme: str, host: str) -> tuple[str, int, dict[str, str]] | None:
    """(host, port, headers) of the proxy the environment names for ``scheme``, if any."""
    proxy = urllib.request.getproxies().get(scheme)
    if not proxy or urllib.request.proxy_bypass(host):
        return None
    if "://" not in proxy:
        proxy = f"http://{proxy}"
    parts = urllib.parse.urlsplit(proxy)
    headers = {}
    if parts.username is not None:
        user = urllib.parse.unquote(parts.username)
        pair = f"{user}:{urllib.parse.unquote(parts.password or '')}"
        headers["Proxy-Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    return parts.hostname or "", parts.port or 80, headers


def _authority(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class _Retryable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _error_detail(raw: bytes, content_type: str, limit: int = 300) -> str:
    """A short, plain-text excerpt of the server's error page."""
    text = raw[:4096].decode("utf-8", errors="replace")
    if "html" in content_type.lower() or text.lstrip().startswith("<"):
        text = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", text)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = " ".join(text.split())
    if not text:
        return ""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f": {text}"
