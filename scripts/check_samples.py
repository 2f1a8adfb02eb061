"""Type-check the Python samples of README.md and docs/ as a downstream package would:
``mypy --strict`` against the installed karmayogi, without the project's own mypy
configuration (no pydantic plugin).

    python scripts/check_samples.py             # README.md and docs/*.md
    python scripts/check_samples.py --keep out  # also keep the modules it checked

Each page becomes one module: its ``python`` blocks (and the invisible ones the docs
tests run) in order, each doctest's source with its prompts taken off and its output
left out, as a reader would type them. Exits with mypy's status.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_BLOCK = re.compile(
    r"^```python\n(?P<fenced>.*?)^```|<!-- invisible-code-block: python\n(?P<hidden>.*?)-->",
    re.M | re.S,
)


def samples(page: str) -> str:
    """The page's Python, as a module: doctest sessions as the code typed into them."""
    lines: list[str] = []
    for match in _BLOCK.finditer(page):
        block = match.group("fenced") or match.group("hidden")
        if ">>>" not in block:  # a plain listing: taken as it is
            lines += block.splitlines()
            continue
        for line in block.splitlines():
            stripped = line.strip()
            if stripped.startswith((">>> ", "... ")) or stripped in (">>>", "..."):
                lines.append(stripped[4:])
    return "\n".join(lines) + "\n"


def pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the modules here, and keep them")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="karmayogi-samples-"))
    folder.mkdir(parents=True, exist_ok=True)
    modules = []
    for page in pages():
        code = samples(page.read_text(encoding="utf-8"))
        if code.strip():
            module = folder / f"sample_{page.stem.replace('-', '_').lower()}.py"
            module.write_text(code, encoding="utf-8")
            modules.append(str(module))
    print(f"{len(modules)} pages' samples, type-checked as a downstream package would")
    # An empty configuration: the project's own (its pydantic plugin) is not the user's.
    config = folder / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--strict", "--config-file", str(config)]
    return subprocess.run([*command, *modules], cwd=folder, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
