"""Stand-ins for dbt's `adapter` object, for sqlfluff's jinja templater only.

sqlfluff lints the project's SQL with its jinja templater (fast, no warehouse
connection). It knows dbt's `ref`, `source`, `var` and `config`, but not
`adapter.dispatch`. Here a dispatched macro renders as a plain SQL function
call with the same arguments, which is enough to lint the SQL around it; the
macros themselves are tested by the dbt builds in the test suite.
"""

from __future__ import annotations

from collections.abc import Callable


def _sql_literal(value: object) -> str:
    """A macro argument as SQL: expressions as they are, regular expressions quoted."""
    if isinstance(value, str) and value.startswith("^"):
        return "'" + value.replace("'", "''") + "'"
    return str(value)


class _Adapter:
    def dispatch(self, macro_name: str, macro_namespace: str | None = None) -> Callable[..., str]:
        def render(*args: object) -> str:
            if macro_name.endswith("_delivery"):
                return f"select * from {macro_name}({', '.join(map(_sql_literal, args))})"
            return f"{macro_name}({', '.join(map(_sql_literal, args))})"

        return render


adapter = _Adapter()
