"""Apache Superset, provisioned as code, on the BI copy of the warehouse.

Superset lives in its own virtual environment, `.venv-superset` at the project
root: its pins conflict with the project's, and it reads the BI copy
(`<stem>_bi.duckdb`, DuckDB 1.x storage) through duckdb-engine with a DuckDB 1.x
client. The modules, one job each:

- `paths`: where the venv, the configuration and the metadata database live;
- `install`: the venv, with the pinned versions of `bi/superset/constraints.txt`;
- `config`: the `superset_config.py` of a Superset home (SQLite metadata, a
  generated SECRET_KEY, no outbound calls, no examples);
- `server`: initialise the metadata database, start and stop the web server on
  127.0.0.1 (background process, pid file, wait until /health answers);
- `api`: a small client of Superset's REST API;
- `database`: the read-only URI of the warehouse's BI copy;
- `bundle`: the dashboard bundle of `bi/superset/bundle`, zipped with the
  user's warehouse URI, imported through the assets import API;
- `agents`: agent logins with row-level security on the agent scorecard;
- `commands`: the `support-kpis bi superset ...` command line.
"""

from __future__ import annotations


class SupersetError(RuntimeError):
    """A Superset step failed; the message says what to do."""
