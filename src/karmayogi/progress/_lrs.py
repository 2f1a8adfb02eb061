"""An LRS's statements resource, read as the xAPI spec says a client reads it: GET with
the version header, ``since`` and ``until``, each page's ``more`` link followed, basic
authentication from the environment. Only the standard library: a portal needs no HTTP
client to pull its statements."""

from __future__ import annotations

import base64
import datetime as dt
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from karmayogi._json import parse_json
from karmayogi.errors import LimitExceeded, Location
from karmayogi.limits import DEFAULT_LIMITS, Limits

__all__ = ["LRS"]

USERNAME, PASSWORD = "KARMAYOGI_LRS_USERNAME", "KARMAYOGI_LRS_PASSWORD"


@attrs.frozen
class LRS:
    """A Learning Record Store to pull statements from, by its xAPI endpoint (the URL
    that ``statements`` is under, such as ``https://lrs.example/xAPI/``). The basic
    authentication's user and password are read from ``KARMAYOGI_LRS_USERNAME`` and
    ``KARMAYOGI_LRS_PASSWORD`` unless given; neither is ever printed.

    Give it to :func:`karmayogi.progress.read_xapi`, with ``since`` (the last pull's
    :attr:`~karmayogi.progress.StatementLog.latest`) to take only what is new."""

    endpoint: str
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    version: str = "1.0.3"
    timeout: float = 30.0
    page_size: int | None = None
    """Statements a page (the ``limit`` parameter); None lets the LRS choose."""

    def statements(
        self,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> Iterator[Mapping[str, Any]]:
        """Every statement stored after ``since`` and up to ``until``, page by page,
        following each page's ``more`` link; each page held to ``limits.file_size``."""
        query = {
            name: when.isoformat()
            for name, when in (("since", since), ("until", until))
            if when is not None
        }
        if self.page_size is not None:
            query["limit"] = str(self.page_size)
        url: str | None = self.endpoint.rstrip("/") + "/statements"
        if query:
            url = f"{url}?{urllib.parse.urlencode(query)}"
        while url is not None:
            page = self._get(url, limits)
            statements = page.get("statements") if isinstance(page, Mapping) else None
            if not isinstance(statements, list):
                raise ConnectionError(f"{url} answered no list of statements (a StatementResult)")
            yield from statements
            more = page.get("more")
            url = urllib.parse.urljoin(url, more) if isinstance(more, str) and more else None

    def _get(self, url: str, limits: Limits) -> Any:
        request = urllib.request.Request(url, headers=self._headers())
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"an LRS is reached over http or https, got {url!r}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                cap = limits.file_size
                body = response.read() if cap is None else response.read(cap + 1)
        except urllib.error.HTTPError as exc:
            raise ConnectionError(f"{url}: the LRS answered {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            raise ConnectionError(f"{url}: the LRS could not be reached ({exc.reason})") from None
        if cap is not None and len(body) > cap:
            where = Location(file=url)
            raise LimitExceeded("file_size", cap, where, f"a page of more than {cap:,} bytes")
        return parse_json(body.decode("utf-8"), url)

    def _headers(self) -> dict[str, str]:
        headers = {"X-Experience-API-Version": self.version, "Accept": "application/json"}
        user = self.username if self.username is not None else os.environ.get(USERNAME)
        secret = self.password if self.password is not None else os.environ.get(PASSWORD)
        if user is not None:
            token = base64.b64encode(f"{user}:{secret or ''}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        return headers
