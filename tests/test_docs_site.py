"""The built documentation, as a reader opens it: the API reference shows each docstring
example as code, not as Markdown's nested quotes with its output's brackets read as
links."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def api_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    pytest.importorskip("mkdocs", reason="the docs extra is not installed")
    pytest.importorskip("mkdocstrings_handlers.python", reason="the docs extra is not installed")
    if not (ROOT / "mkdocs.yml").exists():
        pytest.skip("mkdocs.yml is not here: the tests run outside the source tree")
    site = tmp_path_factory.mktemp("site")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    return (site / "api" / "index.html").read_text(encoding="utf-8")


def test_docstring_examples_are_code_in_the_api_reference(api_page: str) -> None:
    assert "<blockquote>" not in api_page
    # find_gaps' example: its prompt, and its output, inside one code block.
    blocks = re.findall(r'<div class="highlight"><pre>(.*?)</pre></div>', api_page, re.S)
    texts = [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in blocks]
    example = next(t for t in texts if "find_gaps(me, role" in t)
    assert example.startswith(">>> role = Role(")
    assert "[('KCM-F11-02', 2, True), ('KCM-B04', 2, False)]" in example
    assert sum(">>> " in t for t in texts) > 50  # every module's examples, not one
