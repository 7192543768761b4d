"""The KPI index: one Markdown page that tells, for every KPI of the catalogue,
how it is computed and where everything about it lives.

Inputs are the project's own artifacts and files: target/semantic_manifest.json
and target/manifest.json (both written by `dbt parse`), docs/spec/kpis.md (the
KPI names, their order and sections), the YAML files (line numbers) and the
pytest modules under tests/python/. The output is deterministic (sorted, no
timestamps), so a test can tell when the committed page is stale.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import sqlglot
import yaml
from sqlglot import exp

from support_kpis.catalogue import Section, catalogue_sections

JsonDict = dict[str, Any]

REGENERATE = "support-kpis kpi-index docs/kpi_index.md"
LINEAGE_DOCUMENT = "docs/kpi_lineage.html"
TESTS_DIR = "tests/python"
EVERY_KPI_TEST = "tests/python/test_semantic_layer.py"
SELF_TEST = "test_kpi_index.py"  # names KPIs to check this page, not the KPIs themselves
_DIMENSION = re.compile(r"Dimension\('([a-z0-9_]+)__([a-z0-9_]+)'\)")


@dataclass(frozen=True, order=True)
class UnitTest:
    model: str
    name: str
    path: str  # relative to the project
    line: int


@dataclass
class Reads:
    """What a metric reads, gathered through its input metrics."""

    measures: list[str] = field(default_factory=list)  # "semantic_model.measure = agg(expr)"
    columns: dict[str, set[str]] = field(default_factory=dict)  # mart -> columns
    filters: list[str] = field(default_factory=list)  # "template -> mart.column"

    def add_columns(self, mart: str, columns: Iterable[str]) -> None:
        self.columns.setdefault(mart, set()).update(columns)


# --- project files ---------------------------------------------------------------------------


def yaml_item_lines(path: Path, key: str) -> dict[str, int]:
    """name -> 1-based line of its `- name:` in the top-level list `key` of a YAML file."""
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    lines: dict[str, int] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key_node, value in root.value:
        if key_node.value != key or not isinstance(value, yaml.SequenceNode):
            continue
        for item in value.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            for field_key, field_value in item.value:
                if field_key.value == "name":
                    lines[str(field_value.value)] = item.start_mark.line + 1
    return lines


def pytest_modules(project_dir: Path) -> dict[str, str]:
    """Relative path -> text of every pytest module under tests/python/ (but this page's)."""
    folder = project_dir / TESTS_DIR
    return {
        path.relative_to(project_dir).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("test_*.py"))
        if path.name != SELF_TEST
    }


def modules_naming(name: str, modules: dict[str, str]) -> list[str]:
    pattern = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])")
    return [path for path, text in sorted(modules.items()) if pattern.search(text)]


def columns_of(expression: str | None, fallback: str) -> set[str]:
    """The column names a measure or dimension expression reads."""
    try:
        parsed = sqlglot.parse_one(expression or fallback, dialect="duckdb")
    except sqlglot.errors.SqlglotError:
        return {fallback}
    return {column.name for column in parsed.find_all(exp.Column)} or {fallback}


# --- the semantic layer ----------------------------------------------------------------------


class SemanticLayer:
    """Metrics, measures and dimensions of the semantic manifest, with the dbt manifest
    (file paths, unit tests, lineage of models) written beside it."""

    def __init__(self, semantic: JsonDict, manifest: JsonDict, project_dir: Path) -> None:
        self.project_dir = project_dir
        self.metrics: dict[str, JsonDict] = {m["name"]: m for m in semantic["metrics"]}
        self.measures: dict[str, tuple[JsonDict, JsonDict]] = {}
        self.dimensions: dict[tuple[str, str], tuple[JsonDict, JsonDict]] = {}
        for model in semantic["semantic_models"]:
            for measure in model.get("measures") or []:
                self.measures[measure["name"]] = (model, measure)
            for entity in _identifying_entities(model):
                for dimension in model.get("dimensions") or []:
                    self.dimensions.setdefault((entity, dimension["name"]), (model, dimension))
        self.manifest = manifest
        self.metric_files = {
            node["name"]: node["original_file_path"] for node in manifest["metrics"].values()
        }
        self.models = {
            node.get("alias") or node["name"]: node
            for node in manifest["nodes"].values()
            if node["resource_type"] == "model"
        }
        self._lines: dict[tuple[str, str], dict[str, int]] = {}

    def line(self, path: str, key: str, name: str) -> int:
        if (path, key) not in self._lines:
            self._lines[(path, key)] = yaml_item_lines(self.project_dir / path, key)
        return self._lines[(path, key)][name]

    def metric_location(self, name: str) -> tuple[str, int]:
        path = self.metric_files[name]
        return path, self.line(path, "metrics", name)

    def reads(self, name: str) -> Reads:
        reads = Reads()
        for metric in self._closure(name):
            self._add_filters(metric.get("filter"), reads)
            for ref in _input_refs(metric):
                self._add_filters(ref.get("filter"), reads)
            measure = metric["type_params"].get("measure")
            if measure:
                self._add_measure(measure["name"], reads)
        return reads

    def _closure(self, name: str) -> Iterator[JsonDict]:
        """The metric and every metric it is computed from, each once, depth first."""
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop(0)
            if current in seen:
                continue
            seen.add(current)
            metric = self.metrics[current]
            yield metric
            todo.extend(ref["name"] for ref in _input_refs(metric))

    def _add_measure(self, name: str, reads: Reads) -> None:
        model, measure = self.measures[name]
        mart = model["node_relation"]["alias"]
        expression = measure.get("expr") or measure["name"]
        entry = f"{model['name']}.{measure['name']} = {measure['agg']}({expression})"
        if entry not in reads.measures:
            reads.measures.append(entry)
        reads.add_columns(mart, columns_of(measure.get("expr"), measure["name"]))
        time_name = measure.get("agg_time_dimension") or model["defaults"]["agg_time_dimension"]
        time_dimension = next(
            (d for d in model.get("dimensions") or [] if d["name"] == time_name), {}
        )
        reads.add_columns(mart, columns_of(time_dimension.get("expr"), time_name))

    def _add_filters(self, where: JsonDict | None, reads: Reads) -> None:
        for clause in (where or {}).get("where_filters") or []:
            template = clause["where_sql_template"]
            for entity, dimension_name in _DIMENSION.findall(template):
                model, dimension = self.dimensions[(entity, dimension_name)]
                mart = model["node_relation"]["alias"]
                columns = columns_of(dimension.get("expr"), dimension_name)
                reads.add_columns(mart, columns)
                entry = f"`{template}` reads `{mart}.{', '.join(sorted(columns))}`"
                if entry not in reads.filters:
                    reads.filters.append(entry)

    def unit_tests(self, marts: Iterable[str]) -> tuple[list[UnitTest], list[UnitTest]]:
        """dbt unit tests on the marts, and on the project's models upstream of them."""
        marts = set(marts)
        upstream = self._upstream_models(marts) - marts
        on_marts: list[UnitTest] = []
        on_upstream: list[UnitTest] = []
        for node in self.manifest.get("unit_tests", {}).values():
            if node["model"] not in marts | upstream:
                continue
            path = node["original_file_path"]
            line = self.line(path, "unit_tests", node["name"])
            test = UnitTest(node["model"], node["name"], path, line)
            (on_marts if node["model"] in marts else on_upstream).append(test)
        return sorted(on_marts), sorted(on_upstream)

    def _upstream_models(self, marts: set[str]) -> set[str]:
        parents: dict[str, list[str]] = self.manifest.get("parent_map", {})
        todo = [self.models[mart]["unique_id"] for mart in marts if mart in self.models]
        seen: set[str] = set()
        while todo:
            current = todo.pop()
            for parent in parents.get(current, []):
                if parent.startswith("model.") and parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return {self.manifest["nodes"][unique_id]["name"] for unique_id in seen}

    def model_files(self, mart: str) -> tuple[str | None, str | None]:
        """The mart's SQL file and the YAML file that documents it, relative to the project."""
        node = self.models.get(mart)
        if node is None:
            return None, None
        patch = node.get("patch_path")
        return node["original_file_path"], patch.split("://", 1)[1] if patch else None


def _identifying_entities(model: JsonDict) -> list[str]:
    names = [e["name"] for e in model.get("entities") or [] if e["type"] != "foreign"]
    if model.get("primary_entity"):
        names.append(model["primary_entity"])
    return names


def _input_refs(metric: JsonDict) -> list[JsonDict]:
    params = metric["type_params"]
    refs = [params[key] for key in ("numerator", "denominator") if params.get(key)]
    return refs + list(params.get("metrics") or [])


# --- rendering -------------------------------------------------------------------------------


class Renderer:
    """Markdown for the index, with links relative to the folder the index is written to."""

    def __init__(self, layer: SemanticLayer, index_dir: Path) -> None:
        self.layer = layer
        self.index_dir = index_dir
        self.modules = pytest_modules(layer.project_dir)

    def link(self, path: str, text: str | None = None, line: int | None = None) -> str:
        target = os.path.relpath(self.layer.project_dir / path, self.index_dir)
        fragment = f"#L{line}" if line else ""
        label = text if text is not None else f"{path}{fragment}"
        return f"[{label}]({Path(target).as_posix()}{fragment})"

    def metric_link(self, name: str, text: str | None = None) -> str:
        path, line = self.layer.metric_location(name)
        return self.link(path, text, line)

    def lineage_link(self, name: str) -> str:
        return self.link(f"{LINEAGE_DOCUMENT}#{lineage_anchor(name)}", f"kpi_lineage.html#{name}")

    def formula(self, metric: JsonDict) -> str:
        """The metric's inputs named in words: numerator / denominator, or expression."""
        params = metric["type_params"]
        if metric["type"] == "ratio":
            return (
                f"numerator: {self._part(params['numerator'])} / "
                f"denominator: {self._part(params['denominator'])}"
            )
        if metric["type"] == "derived":
            inputs = "; ".join(
                f"`{ref.get('alias') or ref['name']}` = {self._part(ref)}"
                for ref in params["metrics"]
            )
            return f"expression: `{params['expr']}`, where {inputs}"
        measure = params["measure"]["name"]
        cumulative = " (cumulative)" if metric["type"] == "cumulative" else ""
        return f"{metric['type']}{cumulative} metric of measure `{measure}`"

    def _part(self, ref: JsonDict) -> str:
        metric = self.layer.metrics[ref["name"]]
        text = f"{metric.get('label') or ref['name']} (`{ref['name']}`)"
        offset = ref.get("offset_window")
        suffix = f" offset by {offset['count']} {offset['granularity']}" if offset else ""
        return self.metric_link(ref["name"], text) + suffix

    def kpi(self, name: str) -> str:
        metric = self.layer.metrics[name]
        reads = self.layer.reads(name)
        path, line = self.layer.metric_location(name)
        lines = [
            f"### {name}",
            "",
            f"**{_one_line(metric.get('label') or name)}** ({metric['type']} metric)",
            "",
            f"- Formula: {_one_line(metric.get('description') or '')}",
            f"- In the semantic layer: {self.formula(metric)}",
            f"- Metric: {self.link(path, line=line)}",
            f"- Measures: {', '.join(f'`{m}`' for m in reads.measures)}",
            f"- Mart columns: {self._columns(reads)}",
        ]
        if reads.filters:
            lines.append(f"- Filters: {'; '.join(reads.filters)}")
        lines += [
            f"- dbt unit tests: {self._unit_tests(reads.columns)}",
            f"- pytest modules: {self._modules(name)}",
            f"- Column lineage: {self.lineage_link(name)}",
            "",
        ]
        return "\n".join(lines)

    def _columns(self, reads: Reads) -> str:
        parts = []
        for mart in sorted(reads.columns):
            sql, yml = self.layer.model_files(mart)
            files = ", ".join(self.link(p, Path(p).suffix.lstrip(".")) for p in (sql, yml) if p)
            columns = ", ".join(f"`{column}`" for column in sorted(reads.columns[mart]))
            parts.append(f"`{mart}` ({files}): {columns}")
        return "; ".join(parts)

    def _unit_tests(self, marts: Iterable[str]) -> str:
        on_marts, upstream = self.layer.unit_tests(marts)
        text = self._unit_test_group(on_marts) or "none on its marts"
        if upstream:
            text += f"; upstream: {self._unit_test_group(upstream)}"
        return text

    def _unit_test_group(self, tests: list[UnitTest]) -> str:
        """`model`: [test](file#Lline), ... per model, models sorted."""
        by_model: dict[str, list[str]] = {}
        for test in tests:
            by_model.setdefault(test.model, []).append(self.link(test.path, test.name, test.line))
        return "; ".join(f"`{model}`: {', '.join(links)}" for model, links in by_model.items())

    def _modules(self, name: str) -> str:
        found = modules_naming(name, self.modules)
        naming = ", ".join(self.link(path, Path(path).name) for path in found) or "none"
        every = self.link(EVERY_KPI_TEST, Path(EVERY_KPI_TEST).name)
        return (
            f"naming it: {naming}; every KPI by month against an independent computation: {every}"
        )

    def summary_row(self, name: str) -> str:
        metric = self.layer.metrics[name]
        path, line = self.layer.metric_location(name)
        marts = ", ".join(f"`{mart}`" for mart in sorted(self.layer.reads(name).columns))
        cells = [
            f"[{name}](#{name})",
            _one_line(metric.get("label") or name),
            metric["type"],
            self.link(path, f"{Path(path).name}#L{line}", line),
            marts,
            self.lineage_link(name),
        ]
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    def document(self, sections: list[Section]) -> str:
        count = sum(len(section.kpis) for section in sections)
        parts = [_header(count)]
        for section in sections:
            parts += [
                f"## {section.title}",
                "",
                "| KPI | label | type | metric | marts | lineage |",
                "|---|---|---|---|---|---|",
                *(self.summary_row(name) for name in section.kpis),
                "",
                *(self.kpi(name) for name in section.kpis),
            ]
        return "\n".join(parts).rstrip("\n") + "\n"


def lineage_anchor(name: str) -> str:
    """The id of a KPI's section in the lineage document (support_kpis.lineage.document)."""
    return escape(name)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _header(count: int) -> str:
    return f"""# KPI index

<!-- Generated: do not edit. Regenerate with `{REGENERATE}` after `dbt parse`. -->

Every KPI of [the catalogue](spec/kpis.md) ({count}), in its order and sections: its
formula, the MetricFlow metric that defines it (file and line), the measures, mart columns
and filters it reads, the tests that pin it, and its column lineage. Helper metrics labelled
"(part)" appear as numerators, denominators and inputs.

- Generated from the semantic layer by `{REGENERATE}` (after
  `dbt parse`; `--manifest` names another `semantic_manifest.json`, `--check` only tells
  whether this page is stale). A test fails when it is stale.
- dbt unit tests: those on the marts the KPI reads, then those on the project's models
  upstream of them. pytest modules: those under `tests/python/` whose text names the KPI,
  and `tests/python/test_semantic_layer.py`, which checks every KPI by month against an
  independent Python computation (`tests/python/reference/`).
- Column lineage links point into `docs/kpi_lineage.html`, which is not committed: write it
  with `.venv/bin/support-kpis lineage docs/kpi_lineage.html` (after `make build`).
"""


# --- entry points ----------------------------------------------------------------------------


def load_layer(semantic_manifest: Path, project_dir: Path) -> SemanticLayer:
    """The semantic manifest and the dbt manifest that `dbt parse` writes beside it."""
    manifest_path = semantic_manifest.with_name("manifest.json")
    if not manifest_path.is_file():
        raise FileNotFoundError(f"no {manifest_path} beside {semantic_manifest}; run dbt parse")
    return SemanticLayer(
        json.loads(semantic_manifest.read_text(encoding="utf-8")),
        json.loads(manifest_path.read_text(encoding="utf-8")),
        project_dir,
    )


def render_index(semantic_manifest: Path, project_dir: Path, index_dir: Path) -> str:
    """The index as Markdown, its links relative to `index_dir` (where it will be written)."""
    project_dir = project_dir.resolve()
    layer = load_layer(semantic_manifest, project_dir)
    sections = catalogue_sections(project_dir)
    return Renderer(layer, index_dir.resolve()).document(sections)
