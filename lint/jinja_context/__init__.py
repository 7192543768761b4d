"""Stand-ins for dbt's `adapter`, `target` and `exceptions` objects, for sqlfluff's
jinja templater only.

sqlfluff lints the project's SQL with its jinja templater (fast, no warehouse
connection). It knows dbt's `ref`, `source`, `var` and `config`, but not
`adapter.dispatch`. Here a dispatched macro renders as a plain SQL function
call with the same arguments, which is enough to lint the SQL around it; the
macros themselves are tested by the dbt builds in the test suite. `target`
is the default (DuckDB) target.
"""

from __future__ import annotations

from collections.abc import Callable


def _quoted(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


# Dispatched macros that render a whole select (a relation), not an expression.
RELATION_MACROS = frozenset({"zendesk_group_tiers", "amazon_connect_landed"})


class _Adapter:
    def quote(self, name: str) -> str:
        return f'"{name}"'

    def dispatch(self, macro_name: str, macro_namespace: str | None = None) -> Callable[..., str]:
        def render(*args: object) -> str:
            # Arguments are SQL expressions, except the patterns and
            # replacements of the regular-expression macros and the field path
            # of amazon_connect_field.
            if macro_name.startswith("regex_") or macro_name == "amazon_connect_field":
                rendered = [str(args[0]), *map(_quoted, args[1:])]
            else:
                rendered = [str(arg) for arg in args]
            call = f"{macro_name}({', '.join(rendered)})"
            if macro_name == "fivetran_landed":
                return f"select * from {args[0]}_landed_{args[1]}"
            selects = macro_name.endswith("_delivery") or macro_name in RELATION_MACROS
            return f"select * from {call}" if selects else call

        return render


adapter = _Adapter()


class _Target:
    type = "duckdb"
    name = "duckdb"


target = _Target()


class _Dbt:
    """dbt's cross-database macros that the project's macros call."""

    def type_string(self) -> str:
        return "varchar"

    def type_int(self) -> str:
        return "integer"


dbt = _Dbt()


class _Exceptions:
    # Variables render as placeholders when linting, so a check on a
    # variable's value must not stop the lint: dbt itself raises the error.
    def raise_compiler_error(self, message: str) -> str:
        return ""


exceptions = _Exceptions()
