"""What the reports need to know about each KPI, read from the semantic layer
(target/semantic_manifest.json, written by `dbt parse`): its label, its unit
(the "Unit: ..." sentence of its description) and the metric that counts the
observations behind it (its sample size).

No KPI is computed here: the sample size of a ratio KPI is its denominator
metric, queried from the semantic layer like every other number, and only
when that denominator counts records (a count of a fact's rows, or a sum of a
0/1 flag over them): tickets, calls, messages, survey responses, contacts,
customers, staffing intervals. A ratio over minutes or shift hours, or over
distinct agents (tickets per agent), has no sample size and is never "too few".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

# The flag pattern of a counting measure: `case when <condition> then 1 else 0 end`.
_FLAG = re.compile(r"^\s*case\s+when\s.+\sthen\s+1\s+else\s+0\s+end\s*$", re.IGNORECASE | re.DOTALL)
# "Unit: fraction." / "Unit: NPS points (-100..100)." at the end of a description.
_UNIT = re.compile(r"Unit: ((?:[^.]|\.\.)+)\.")
# A unit in brackets at the end of a label that the formatted value already shows.
_LABEL_UNITS = {
    " (minutes)": "",
    " (seconds)": "",
    " (business minutes)": " (business time)",
}


class Kind(Enum):
    """How a KPI's value is written."""

    COUNT = "count"  # a whole number of things: 183
    RATE = "rate"  # a fraction shown as a percentage: 84.2%
    RATE_CHANGE = "rate_change"  # a difference of fractions: +3.1 pp
    MINUTES = "minutes"  # a duration in minutes: 2 h 05 min
    SECONDS = "seconds"  # a duration in seconds: 4 min 05 s
    NPS = "nps"  # NPS points, -100..100: 42
    SCORE = "score"  # a mean survey score: 4.31
    AMOUNT = "amount"  # money: 12,345.67
    RATIO = "ratio"  # any other ratio: 1.25 tickets per hour


@dataclass(frozen=True)
class KpiInfo:
    name: str
    label: str  # the semantic layer's label, shown to readers
    unit: str  # the description's unit, as written there
    kind: Kind
    # The metric counting the observations behind the value, and what it counts
    # ("csat responses"); None when the value is not a rate or mean over records.
    sample_metric: str | None = None
    sample_noun: str = ""
    # Months whose samples the value rests on: (0,) this month; a month-over-month
    # change such as csat_rate_change rests on this month's and the previous one's.
    sample_offsets: tuple[int, ...] = (0,)
    description: str = ""
    # What a ratio divides by ("inbound tickets", "shift minutes with agent-state data").
    denominator_noun: str = ""

    @property
    def display_label(self) -> str:
        """The label, without a bracketed unit the formatted value already shows."""
        for suffix, replacement in _LABEL_UNITS.items():
            if self.label.endswith(suffix):
                return self.label[: -len(suffix)] + replacement
        return self.label

    @property
    def unit_text(self) -> str:
        """The unit in a reader's words."""
        if self.kind is Kind.RATE:
            return f"% of {self.denominator_noun}" if self.denominator_noun else "%"
        if self.kind is Kind.RATE_CHANGE:
            return "percentage points (pp)"
        if self.kind is Kind.MINUTES:
            qualifier = self.unit.replace("minutes", "").strip()
            return "hours and minutes" + (f", {qualifier} time" if qualifier else "")
        if self.kind is Kind.SECONDS:
            return "minutes and seconds"
        if self.kind is Kind.NPS:
            return "NPS points (-100 to 100)"
        if self.kind is Kind.SCORE:
            return "mean score"
        return self.unit


@dataclass
class SemanticLayer:
    kpis: dict[str, KpiInfo] = field(default_factory=dict)
    saved_query_metrics: dict[str, list[str]] = field(default_factory=dict)

    def info(self, name: str) -> KpiInfo:
        """The KPI's info; a metric the manifest does not describe gets its name as
        label and a kind guessed from the name (hand-made report data in tests)."""
        if name in self.kpis:
            return self.kpis[name]
        kind = Kind.RATE if name.endswith(("_rate", "_share")) else Kind.RATIO
        return KpiInfo(name, name, "", kind)

    def sample_metrics(self, names: list[str]) -> list[str]:
        """The sample-size metrics of the given KPIs, each once, in order."""
        found = [self.info(name).sample_metric for name in names]
        return list(dict.fromkeys(metric for metric in found if metric))


def _unit(description: str) -> str:
    found = _UNIT.search(description or "")
    return found.group(1).strip() if found else ""


def _kind(metric: dict[str, Any], unit: str) -> Kind:
    if unit == "fraction":
        return Kind.RATE
    if unit == "fraction points":
        return Kind.RATE_CHANGE
    if unit.endswith("minutes"):
        return Kind.MINUTES
    if unit == "seconds":
        return Kind.SECONDS
    if unit.startswith("NPS points"):
        return Kind.NPS
    if unit == "score":
        return Kind.SCORE
    if "currency" in unit:
        return Kind.AMOUNT
    if metric["type"] == "simple" and re.fullmatch(r"[a-z]+", unit):
        return Kind.COUNT
    return Kind.RATIO


def _counts_records(metric: dict[str, Any], measures: dict[str, dict[str, Any]]) -> bool:
    """A simple metric whose measure counts a fact's rows (count, or sum of a 0/1 flag)."""
    if metric["type"] != "simple":
        return False
    measure_ref = (metric.get("type_params") or {}).get("measure") or {}
    measure = measures.get(measure_ref.get("name", ""))
    if measure is None:
        return False
    if measure["agg"] == "count":
        return True
    return measure["agg"] == "sum" and bool(_FLAG.match(measure.get("expr") or ""))


def _noun(metric: dict[str, Any]) -> str:
    label = str(metric.get("label") or metric["name"])
    label = re.sub(r"\s*\(part\)$", "", label)
    # "Csat responses" -> "CSAT responses"; other words lower case.
    words = [
        word.upper() if word.lower() in {"csat", "nps", "ces"} else word for word in label.split()
    ]
    return " ".join(w if w.isupper() else w.lower() for w in words)


def read_semantic_layer(manifest_path: Path) -> SemanticLayer:
    """The KPIs of the manifest's saved queries, with labels, units and sample metrics."""
    if not manifest_path.is_file():
        raise FileNotFoundError(
            f"{manifest_path} not found: `dbt parse` writes it (the report runs it first)"
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    metrics = {metric["name"]: metric for metric in manifest["metrics"]}
    measures = {
        measure["name"]: measure
        for model in manifest["semantic_models"]
        for measure in model.get("measures") or []
    }
    saved = {
        query["name"]: list(query["query_params"]["metrics"])
        for query in manifest.get("saved_queries") or []
    }

    def sample_of(metric: dict[str, Any]) -> tuple[str | None, tuple[int, ...]]:
        params = metric.get("type_params") or {}
        if metric["type"] == "ratio":
            denominator = metrics.get((params.get("denominator") or {}).get("name", ""))
            if denominator is not None and _counts_records(denominator, measures):
                return denominator["name"], (0,)
            return None, (0,)
        inputs = params.get("metrics") or []
        names = {item["name"] for item in inputs}
        if metric["type"] == "derived" and len(names) == 1:
            # The same KPI at several month offsets (csat_rate_change).
            base, _ = sample_of(metrics[names.pop()])
            offsets = []
            for item in inputs:
                window = item.get("offset_window") or {}
                if window and window.get("granularity") != "month":
                    return None, (0,)
                offsets.append(int(window.get("count", 0)) if window else 0)
            return base, tuple(sorted(set(offsets)))
        return None, (0,)

    kpis: dict[str, KpiInfo] = {}
    for name in dict.fromkeys(name for names in saved.values() for name in names):
        metric = metrics.get(name)
        if metric is None:
            continue
        unit = _unit(metric.get("description") or "")
        sample, offsets = sample_of(metric)
        denominator = metrics.get(
            ((metric.get("type_params") or {}).get("denominator") or {}).get("name", "")
        )
        kpis[name] = KpiInfo(
            name=name,
            label=str(metric.get("label") or name),
            unit=unit,
            kind=_kind(metric, unit),
            sample_metric=sample,
            sample_noun=_noun(metrics[sample]) if sample else "",
            sample_offsets=offsets,
            description=str(metric.get("description") or ""),
            denominator_noun=_noun(denominator) if denominator else "",
        )
    return SemanticLayer(kpis=kpis, saved_query_metrics=saved)
