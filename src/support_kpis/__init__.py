"""support_kpis: a declarative, tested metrics warehouse for customer-service KPIs."""

__version__ = "0.1.0"
