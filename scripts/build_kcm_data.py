"""Write src/karmayogi/data/kcm.json, the bundled framework, from the published taxonomy.

Run once per new publication of the taxonomy, from the repository root:

    python scripts/build_kcm_data.py ../shared/reference/kcm_taxonomy.json

Only the names are taken from the publication. Identifiers are karmayogi's own
(``KCM-B04`` is the fourth Behavioural theme, ``KCM-B04-02`` its second sub-theme) and
must never change once released: a later publication that adds themes must append, and
this script refuses to rename or renumber what the current file holds.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "src" / "karmayogi" / "data" / "kcm.json"
LETTER = {"Behavioural": "B", "Functional": "F"}


def build(published: list[dict[str, Any]]) -> dict[str, Any]:
    themes: list[dict[str, str]] = []
    sub_themes: list[dict[str, str]] = []
    for area in published:
        letter = LETTER[area["name"]]
        for t, theme in enumerate(area["competency_theme"], start=1):
            theme_id = f"KCM-{letter}{t:02d}"
            themes.append({"id": theme_id, "area": area["name"], "name": theme["name"]})
            for s, name in enumerate(theme["competency_sub_theme"], start=1):
                sub_themes.append({"id": f"{theme_id}-{s:02d}", "theme": theme_id, "name": name})
    return {
        "id": "kcm",
        "name": "Karmayogi Competency Model",
        "version": "2025.1",
        "publisher": "Karmayogi Bharat",
        "description": (
            "The Behavioural and Functional themes and sub-themes of the Karmayogi "
            "Competency Model, by the names Karmayogi Bharat publishes. The identifiers "
            "are karmayogi's own and do not change between releases. Domain themes "
            "belong to each organisation, which adds its own."
        ),
        "themes": themes,
        "sub_themes": sub_themes,
    }


def main(source: str) -> None:
    data = build(json.loads(Path(source).read_text(encoding="utf-8")))
    if OUT.exists():
        old = json.loads(OUT.read_text(encoding="utf-8"))
        for kind in ("themes", "sub_themes"):
            new_by_id = {item["id"]: item for item in data[kind]}
            for item in old[kind]:
                if new_by_id.get(item["id"]) != item:
                    sys.exit(f"refusing to change released identifier {item['id']}: {item}")
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(data['themes'])} themes, {len(data['sub_themes'])} sub-themes")


if __name__ == "__main__":
    main(sys.argv[1])
