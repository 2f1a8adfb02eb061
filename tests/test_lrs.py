"""Pulling statements from a real LRS: ralph's, started here on localhost with a file
system backend. Statements are posted to it as content would send them, and pulled back
with ``read_xapi(LRS(...))``: page by page, with ``since``, and with a voiding that
reaches a statement of an earlier pull. No network beyond localhost."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from karmayogi.progress import LRS, Status, read_xapi

USER, SECRET = "portal", "a secret of the tests"
ADL = "http://adlnet.gov/expapi/verbs/"


def _ralph() -> str:
    if importlib.util.find_spec("ralph") is None:
        pytest.skip("ralph (the test extra's LRS) is not installed")
    found = shutil.which("ralph", path=str(Path(sys.executable).parent)) or shutil.which("ralph")
    if found is None:
        pytest.skip("ralph is installed, but its command is not on the PATH")
    return found


@contextlib.contextmanager
def serving(home: Path) -> Iterator[str]:
    """ralph's LRS on a free port of localhost, its users in a file of its own. Its file
    system backend takes one write (one POST) per store: each batch here gets its own."""
    ralph = _ralph()
    env = {
        **os.environ,
        "RALPH_APP_DIR": str(home / "app"),
        "RALPH_AUTH_FILE": str(home / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
    }
    subprocess.run(
        [ralph, "auth", "-u", USER, "-p", SECRET, "-s", "all", "-M", "mailto:portal@x.in", "-w"],
        env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (home / "data").mkdir()
    server = subprocess.Popen(
        [ralph, "runserver", "-b", "fs", "--fs-default-directory-path", str(home / "data"),
         "-h", "127.0.0.1", "-p", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/xAPI/"
    try:
        _wait_for(url, server)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        assert server.stderr is not None
        server.stderr.close()


@pytest.fixture
def endpoint(tmp_path: Path) -> Iterator[str]:
    with serving(tmp_path / "lrs") as url:
        yield url


def _wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            assert server.stderr is not None
            pytest.skip(f"ralph's LRS did not start: {server.stderr.read()[-500:]!r}")
        with contextlib.suppress(OSError):
            _request(url + "statements?limit=1")
            return
        time.sleep(0.5)
    pytest.skip("ralph's LRS did not answer within 60 s")


def _request(url: str, body: Any = None) -> Any:
    token = base64.b64encode(f"{USER}:{SECRET}".encode()).decode()
    headers = {"X-Experience-API-Version": "1.0.3", "Authorization": f"Basic {token}",
               "Content-Type": "application/json"}  # fmt: skip
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def said(n: int, verb: str, who: str = "ravi", **extra: Any) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "actor": {"mbox": f"mailto:{who}@cg.gov.in"},
        "verb": {"id": ADL + verb},
        "object": {"id": "https://example.gov.in/courses/rti", "objectType": "Activity"},
        "timestamp": f"2025-06-30T1{n % 10}:00:00+05:30",
    } | extra


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Basic authentication from the environment, as a portal's deployment sets it."""
    monkeypatch.setenv("KARMAYOGI_LRS_USERNAME", USER)
    monkeypatch.setenv("KARMAYOGI_LRS_PASSWORD", SECRET)


def _entries(imported: Any) -> list[tuple[Any, ...]]:
    return sorted((e.key, e.status, e.enrolled_at, e.completed_at, e.duration)
                  for e in imported.ledger)  # fmt: skip


@pytest.mark.usefixtures("credentials")
def test_statements_posted_to_an_lrs_are_pulled_back_page_by_page(endpoint: str) -> None:
    posted = [
        said(1, "launched"),
        said(2, "progressed", result={"extensions": {
            "https://w3id.org/xapi/cmi5/result/extensions/progress": 40}}),
        said(3, "completed", result={"duration": "PT15.17S", "completion": True}),
        said(4, "launched", who="asha"),
        said(5, "passed", who="asha", result={"duration": "PT1H", "success": True}),
    ]  # fmt: skip
    assert _request(endpoint + "statements", posted) == [s["id"] for s in posted]
    pulled = read_xapi(LRS(endpoint, page_size=2))  # three pages, by two more links
    assert pulled.file == endpoint
    assert (pulled.rows, pulled.rejected_rows) == (5, 0)
    assert _entries(pulled) == _entries(read_xapi(posted))
    ravi = pulled.ledger["ravi@cg.gov.in", "https://example.gov.in/courses/rti"]
    assert (ravi.status, ravi.duration) == (Status.COMPLETED, 15)
    assert pulled.statements is not None
    assert pulled.statements.latest is not None


@pytest.mark.usefixtures("credentials")
def test_a_portal_pulls_what_is_new_and_a_later_voiding_reaches_an_earlier_pull(
    tmp_path: Path,
) -> None:
    """Monday's statements from one LRS, Tuesday's from another (or a later pull): the
    logs merge, and Tuesday's voiding removes Monday's completion. Asked again since its
    latest, Monday's LRS sends nothing new. (ralph's file system backend leaves ``until``
    out of its query; the client sends it, as the spec says.)"""
    with serving(tmp_path / "monday") as first, serving(tmp_path / "tuesday") as second:
        before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        # Timestamps of now: ralph's file system backend reads since by them, not by the
        # time it stored a statement, as the spec says; here the two agree.
        now = {"timestamp": dt.datetime.now(dt.UTC).isoformat()}
        monday = [said(1, "launched") | now,
                  said(3, "completed", result={"duration": "PT15S"}) | now]  # fmt: skip
        tuesday = [
            said(11, "completed", who="om", result={"duration": "PT2H"}) | now,
            {"id": "00000000-0000-4000-8000-000000000012",
             "actor": {"mbox": "mailto:admin@x.in"}, "verb": {"id": ADL + "voided"},
             "object": {"objectType": "StatementRef", "id": monday[1]["id"]}} | now,
        ]  # fmt: skip
        _request(first + "statements", monday)
        _request(second + "statements", tuesday)
        pulled = read_xapi(LRS(first))
        log = pulled.statements
        assert log is not None
        assert log.latest is not None
        assert log.latest > before
        assert read_xapi(LRS(first), since=log.latest).rows == 0  # nothing new
        later = read_xapi(LRS(second), since=before)
    assert (pulled.rows, later.rows, later.voided) == (2, 2, 1)
    assert later.statements is not None
    log.merge(later.statements)
    ledger = log.ledger()
    ravi = ledger["ravi@cg.gov.in", "https://example.gov.in/courses/rti"]
    assert ravi.status is Status.IN_PROGRESS  # Monday's completion, voided on Tuesday
    assert ledger["om@cg.gov.in", "https://example.gov.in/courses/rti"].duration == 7200
    assert [e.key for e in pulled.ledger] == [("ravi@cg.gov.in", monday[1]["object"]["id"])]


def test_a_wrong_password_is_an_error_that_says_so(endpoint: str) -> None:
    with pytest.raises(ConnectionError, match="the LRS answered 401"):
        read_xapi(LRS(endpoint, username=USER, password="not it"))


def test_since_and_until_are_for_an_lrs() -> None:
    with pytest.raises(TypeError, match="give an LRS to pull from"):
        read_xapi([], since=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))


def test_an_lrs_that_cannot_be_reached_is_an_error_that_says_so() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConnectionError, match="could not be reached"):
        read_xapi(LRS(f"http://127.0.0.1:{port}/xAPI/", timeout=5))
    with pytest.raises(ValueError, match="over http or https"):
        read_xapi(LRS("file:///etc/"))
