"""URLs fit for output: credentials never appear in messages, logs or progress."""

from __future__ import annotations

import urllib.parse


def redact(url: str) -> str:
    """The URL with any ``user:password@`` replaced by ``***@``."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"***@{host}"))
