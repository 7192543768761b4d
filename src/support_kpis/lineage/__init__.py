"""Column-level lineage of every KPI, from its metric down to raw columns."""

from support_kpis.lineage.document import write_document
from support_kpis.lineage.trace import KpiLineage, trace_kpis

__all__ = ["KpiLineage", "trace_kpis", "write_document"]
