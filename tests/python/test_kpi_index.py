"""docs/kpi_index.md: generated from the semantic layer, up to date, and right on
hand-checked KPIs."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from support_kpis.catalogue import kpi_names
from support_kpis.cli import main
from support_kpis.kpi_index import catalogue_sections, render_index
from support_kpis.lineage import KpiLineage, write_document

from dbt_helpers import PROJECT_DIR, run_dbt

INDEX = PROJECT_DIR / "docs" / "kpi_index.md"
REGENERATE = (
    "regenerate it: .venv/bin/dbt parse && .venv/bin/support-kpis kpi-index docs/kpi_index.md"
)


@pytest.fixture(scope="module")
def semantic_manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("kpi_index")
    run_dbt(["parse"], work / "warehouse.duckdb")
    return work / "target" / "semantic_manifest.json"


@pytest.fixture(scope="module")
def generated(semantic_manifest: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("kpi_index_out") / "kpi_index.md"
    # Links are relative to where the index lives: docs/.
    out.write_text(render_index(semantic_manifest, PROJECT_DIR, INDEX.parent), encoding="utf-8")
    return out.read_text(encoding="utf-8")


def _section(text: str, kpi: str) -> str:
    return text.split(f"\n### {kpi}\n", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]


def test_the_committed_index_is_up_to_date(generated: str) -> None:
    committed = INDEX.read_text(encoding="utf-8") if INDEX.is_file() else ""
    diff = "".join(
        list(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                generated.splitlines(keepends=True),
                "docs/kpi_index.md (committed)",
                "docs/kpi_index.md (generated)",
            )
        )[:40]
    )
    assert committed == generated, f"docs/kpi_index.md is stale; {REGENERATE}\n{diff}"


def test_check_flag_passes_on_the_committed_index_and_fails_on_a_stale_one(
    semantic_manifest: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(PROJECT_DIR)
    args = ["kpi-index", "--manifest", str(semantic_manifest), "--check"]
    assert main([*args, "docs/kpi_index.md"]) == 0, f"stale; {REGENERATE}"
    stale = tmp_path / "kpi_index.md"
    stale.write_text("old\n", encoding="utf-8")
    assert main([*args, str(stale)]) == 1
    assert f"{stale} is stale: run `support-kpis kpi-index {stale}`" in capsys.readouterr().err
    assert stale.read_text(encoding="utf-8") == "old\n"


def test_a_ratio_kpi_by_hand(generated: str) -> None:
    section = _section(generated, "first_reply_sla_rate")
    assert "**First reply SLA attainment** (ratio metric)" in section
    # `- name: first_reply_sla_rate` is line 53, its parts on lines 208 and 196.
    assert (
        "- Metric: [models/marts/tickets/_tickets__metrics.yml#L53]"
        "(../models/marts/tickets/_tickets__metrics.yml#L53)"
    ) in section
    assert (
        "numerator: [Inbound tickets within first-reply SLA (part) "
        "(`inbound_tickets_first_reply_sla_met`)]"
        "(../models/marts/tickets/_tickets__metrics.yml#L208)"
        " / denominator: [Inbound tickets (part) (`inbound_tickets`)]"
        "(../models/marts/tickets/_tickets__metrics.yml#L196)"
    ) in section
    assert re.search(
        r"- Mart columns: `fct_tickets` \(\[sql\]\(\.\./models/marts/tickets/fct_tickets\.sql\), "
        r"\[yml\]\(\.\./models/marts/tickets/fct_tickets\.yml\)\): "
        r"`created_date`, `is_first_reply_sla_met`, `is_inbound`\n",
        section,
    )
    assert "Filters" not in section
    assert "[reply_within_12h_and_first_reply_sla_boundaries](../models/marts/tickets/" in section
    assert "[test_semantic_layer.py](../tests/python/test_semantic_layer.py)" in section
    assert "- Column lineage: [kpi_lineage.html#first_reply_sla_rate]" in section


def test_a_simple_kpi_with_a_filter_by_hand(generated: str) -> None:
    section = _section(generated, "tickets_solved")
    assert "**Tickets solved** (simple metric)" in section
    assert (
        "- Metric: [models/marts/tickets/_tickets__metrics.yml#L11]"
        "(../models/marts/tickets/_tickets__metrics.yml#L11)"
    ) in section
    assert "`tickets.solved_tickets = sum(case when is_solved then 1 else 0 end)`" in section
    assert "`fct_tickets` ([sql]" in section
    assert "): `is_solved`, `solved_date`\n" in section
    assert "- Filters: `{{ Dimension('ticket__is_solved') }}` reads `fct_tickets.is_solved`" in (
        section
    )
    assert "[test_zendesk_adapter.py](../tests/python/test_zendesk_adapter.py)" in section


def test_every_catalogue_kpi_appears_exactly_once_in_order(generated: str) -> None:
    names = kpi_names(PROJECT_DIR)
    assert [kpi for section in catalogue_sections(PROJECT_DIR) for kpi in section.kpis] == names
    headings = re.findall(r"^### (\S+)$", generated, re.MULTILINE)
    assert headings == names
    for name in names:
        assert len(re.findall(rf"^\| \[{name}\]\(#{name}\) \|", generated, re.MULTILINE)) == 1
    assert "(part)** (" not in generated  # no helper metric has a section of its own


def test_lineage_links_use_the_anchor_the_lineage_document_writes(
    generated: str, tmp_path: Path
) -> None:
    html = write_document(
        [KpiLineage("first_reply_sla_rate", "First reply SLA attainment", "ratio")],
        tmp_path / "kpi_lineage.html",
    ).read_text(encoding="utf-8")
    assert '<section id="first_reply_sla_rate">' in html
    assert "(kpi_lineage.html#first_reply_sla_rate)" in generated
