"""Great Expectations suites for the raw deliveries and the marts."""

from support_kpis.quality.validate import ValidationSummary, validate_warehouse

__all__ = ["ValidationSummary", "validate_warehouse"]
