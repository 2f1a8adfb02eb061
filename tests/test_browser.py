"""The report ``karmayogi demo`` writes, opened in a real headless browser (Debian's
chromium, driven by Playwright): it loads with no console error and no request but
its own file, and a screenshot shows the charts in their colours.

Where no chromium is installed the tests skip, saying so; CI installs it and sets
``KARMAYOGI_TEST_BROWSER=1``, under which a missing browser fails instead.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from karmayogi._charts import AMBER, BLUE, GREEN, GREY, ORANGE

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def _chromium() -> str:
    found = os.environ.get("KARMAYOGI_CHROMIUM") or next(
        (path for name in BROWSERS if (path := shutil.which(name))), None
    )
    if found is None:
        message = "no chromium to open the report in (apt-get install chromium)"
        if os.environ.get("KARMAYOGI_TEST_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


def demo(out: Path, *options: str) -> Path:
    """Run ``karmayogi demo`` as a user does, and return the report it says it wrote."""
    result = subprocess.run(
        [sys.executable, "-m", "karmayogi", "demo", "--out", str(out), *options],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("report: ")]
    return Path(line.removeprefix("report: "))


def open_page(browser: Any, report: Path) -> tuple[Any, list[str], list[str]]:
    """The page, the console messages and errors it logged, and the URLs it asked for."""
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    logged: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: logged.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: logged.append(f"error: {error}"))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("networkidle")
    return page, logged, requests


def colours(png: bytes) -> set[str]:
    from PIL import Image  # matplotlib's own dependency

    with Image.open(io.BytesIO(png)) as image:
        counted = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
        return {"#{:02x}{:02x}{:02x}".format(*colour) for _count, colour in counted}


def test_the_demo_report_opens_offline_with_its_charts(browser: Any, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="charts need the charts extra")
    report = demo(tmp_path)
    page, logged, requests = open_page(browser, report)
    assert logged == []
    assert requests == [report.as_uri()]
    assert page.title() == "Madhyanchal Pradesh (a fictional state): capacity building 2025-26"
    charts = page.locator("figure .wide svg")  # a wide screen: the wide charts
    assert charts.count() == 4
    assert page.locator("figure .narrow svg").first.is_hidden()
    expected = [
        {BLUE, ORANGE},  # completion and hours by department
        {BLUE, GREEN, ORANGE},  # quarters
        {GREEN, AMBER, GREY, BLUE},  # plan compliance and APAR
        set(),  # the heat map: a ramp of colours, counted below
    ]
    for i, wanted in enumerate(expected):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] > 600
        assert box["height"] > 250
        seen = colours(chart.screenshot())
        assert wanted <= seen, (i, wanted - seen)
        assert len(seen) > 40  # text, axes and bars, not a blank box
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 100_000
    page.close()


def test_the_report_without_charts_opens_offline_too(browser: Any, tmp_path: Path) -> None:
    report = demo(tmp_path, "--no-charts", "--people", "200")
    page, logged, requests = open_page(browser, report)
    assert logged == []
    assert requests == [report.as_uri()]
    assert page.locator("svg").count() == 0
    # Departments, their offices (one per department), quarters, compliance, the
    # learning week, Karma points and gaps.
    assert page.locator("section > table").count() == 6
    assert page.locator("details table").count() == 6
    page.close()


# --- a phone and a desktop ------------------------------------------------------------------

MEASURE = """() => {
  const doc = document.documentElement;
  const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const chart = [...document.querySelectorAll('figure svg text')].filter(shown)
      .map((t) => t.getBoundingClientRect().height);
  const html = [...document.querySelectorAll('main *:not(svg):not(svg *)')].filter(shown)
      .filter((e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
      .map((e) => parseFloat(getComputedStyle(e).fontSize));
  const past = [...document.querySelectorAll('main *')].filter(shown)
      .filter((e) => e.getBoundingClientRect().right > doc.clientWidth + 0.5)
      .map((e) => e.tagName + (e.id ? '#' + e.id : ''));
  const numbers = [...document.querySelectorAll('td')].map((td) => td.textContent.trim());
  return {scroll: doc.scrollWidth, client: doc.clientWidth, past,
          chart: Math.min(...chart), charts: chart.length, html: Math.min(...html), numbers};
}"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("matplotlib", reason="charts need the charts extra")
    return demo(tmp_path_factory.mktemp("widths"))


@pytest.mark.parametrize("width", [390, 1400])
def test_the_report_reads_on_a_phone_and_a_desktop(
    browser: Any, report: Path, tmp_path: Path, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(report.as_uri())
    page.wait_for_load_state("networkidle")
    for details in page.locator("details").all():  # the drill-down, opened by a tap
        details.locator("summary").click()
    seen = page.evaluate(MEASURE)
    assert seen["scroll"] <= seen["client"] == width, seen["past"]
    assert seen["past"] == []
    assert seen["charts"] > 100
    assert seen["chart"] >= 8, "a chart's text is smaller than 8 pixels"
    assert seen["html"] >= 12, "text smaller than 12 pixels"
    charts = page.locator("figure svg").filter(has=page.locator("text"))
    visible = [c for c in charts.all() if c.is_visible()]
    assert len(visible) == 4
    for chart in visible:  # each chart drawn in its colours, not shrunk to a smudge
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] <= width
        assert len(colours(chart.screenshot())) > 40
    shot = tmp_path / f"report-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    from PIL import Image

    with Image.open(shot) as image:
        assert image.width == width  # the whole page, as wide as the screen and no wider
    page.close()


def test_a_phone_and_a_desktop_show_the_same_numbers(browser: Any, report: Path) -> None:
    """The layout changes with the width; the figures in the tables do not."""
    seen = {}
    for width in (390, 1400):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(report.as_uri())
        seen[width] = page.evaluate(MEASURE)["numbers"]
        page.close()
    assert seen[390] == seen[1400]
    assert "11,824.5" in seen[390]  # learning hours written one way: one decimal, everywhere
