"""Static HTML reports for the three audiences of the KPI catalogue."""

from support_kpis.report.build import write_reports

__all__ = ["write_reports"]
