"""The KPI catalogue (docs/spec/kpis.md): its sections and KPI names, read from
the spec itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_KPI_ROW = re.compile(r"^\| ([a-z0-9_]+)(?: \[[^\]]*\])? \|", re.MULTILINE)


@dataclass(frozen=True)
class Section:
    """A level-2 section of the catalogue and its KPIs, in order."""

    title: str
    kpis: tuple[str, ...]


def catalogue_sections(project_dir: Path) -> list[Section]:
    """The KPI sections of docs/spec/kpis.md (level-2 headings), their KPIs in order."""
    text = (project_dir / "docs" / "spec" / "kpis.md").read_text(encoding="utf-8")
    body = "## Tickets and messages" + text.split("## Tickets and messages", 1)[1]
    body = body.split("## Dimensions", 1)[0]
    sections = []
    for chunk in re.split(r"^## ", body, flags=re.MULTILINE)[1:]:
        heading, _, rest = chunk.partition("\n")
        names = tuple(name for name in _KPI_ROW.findall(rest) if name != "kpi")
        if names:
            sections.append(Section(_section_title(heading), names))
    return sections


def _section_title(heading: str) -> str:
    return re.sub(r"\s*\(.*\)\s*$", "", heading).strip()


def kpi_names(project_dir: Path) -> list[str]:
    """The KPI names of the catalogue (docs/spec/kpis.md), in its order."""
    return [name for section in catalogue_sections(project_dir) for name in section.kpis]
