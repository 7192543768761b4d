"""Write the KPI lineage as one browsable HTML document."""

from __future__ import annotations

from html import escape
from pathlib import Path

from support_kpis.lineage.trace import Column, KpiLineage

STYLE = """
body { font-family: sans-serif; margin: 2em; max-width: 1000px; color: #222; }
h2 { border-top: 1px solid #ccc; padding-top: .6em; }
code { background: #f4f4f4; padding: 0 3px; overflow-wrap: anywhere; }
nav ul { display: flex; flex-wrap: wrap; gap: .2em .8em; list-style: none; padding: 0; }
nav a { overflow-wrap: anywhere; }
"""


def _list(columns: set[Column]) -> str:
    if not columns:
        return "<p>&ndash;</p>"
    items = "".join(f"<li><code>{escape(r)}.{escape(c)}</code></li>" for r, c in sorted(columns))
    return f"<ul>{items}</ul>"


def write_document(kpis: list[KpiLineage], path: Path) -> Path:
    nav = "".join(f'<li><a href="#{escape(k.kpi)}">{escape(k.kpi)}</a></li>' for k in kpis)
    sections = []
    for kpi in kpis:
        measures = "".join(f"<li><code>{escape(m)}</code></li>" for m in kpi.measures)
        sections.append(
            f'<section id="{escape(kpi.kpi)}"><h2>{escape(kpi.kpi)}</h2>'
            f"<p>{escape(kpi.label)} &middot; {escape(kpi.metric_type)} metric</p>"
            f"<h3>Measures</h3><ul>{measures}</ul>"
            f"<h3>Raw contract columns</h3>{_list(kpi.raw_columns)}"
            f"<h3>Reference seeds</h3>{_list(kpi.seed_columns)}"
            f"<h3>Mart columns</h3>{_list(kpi.mart_columns)}"
            f"<h3>Staging and intermediate columns</h3>{_list(kpi.intermediate_columns)}"
            "</section>"
        )
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>KPI lineage</title><style>{STYLE}</style></head><body>"
        "<h1>KPI lineage</h1><p>For every KPI: the measures of its metric, and every column "
        "those measures are computed from, down to the raw contract's columns, traced through "
        "the compiled SQL of each model. Columns that only join or filter rows (join keys, "
        "where clauses) are not followed.</p>"
        f"<nav><ul>{nav}</ul></nav>{''.join(sections)}</body></html>"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
