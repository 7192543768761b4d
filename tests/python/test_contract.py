"""One raw contract: the spec, the dbt contract macro and the sources YAML agree."""

from __future__ import annotations

import re
from typing import Any

import jinja2
import pytest
import yaml

from dbt_helpers import PROJECT_DIR

SPEC_COPY = PROJECT_DIR / "docs" / "spec"
SHARED_SPEC = PROJECT_DIR.parent / "shared" / "spec"


class _ReturnedError(Exception):
    pass


def _return(value: Any) -> None:
    raise _ReturnedError(value)


def _contract_macro() -> dict[str, Any]:
    source = (PROJECT_DIR / "macros" / "raw" / "support_raw_contract.sql").read_text()
    environment = jinja2.Environment(extensions=["jinja2.ext.do"])
    environment.globals["return"] = _return
    with pytest.raises(_ReturnedError) as returned:
        environment.from_string(source + "{{ support_raw_contract() }}").render()
    return returned.value.args[0]  # type: ignore[no-any-return]


def _spec_tables() -> dict[str, tuple[list[str], list[str], bool]]:
    text = (SPEC_COPY / "sources.md").read_text()
    tables = {}
    for section in re.split(r"^### ", text, flags=re.MULTILINE)[1:]:
        heading = section.split("\n", 1)[0].strip()
        name = heading.split(" (", 1)[0]
        rows = re.findall(r"^\| ([a-z_]+) \| [a-z]+ \| (.*) \|$", section, re.MULTILINE)
        columns = [column for column, _ in rows if column != "column"]
        optional = [column for column, rule in rows if "optional" in rule]
        tables[name] = (columns, optional, heading.endswith("(optional table)"))
    return tables


def test_contract_macro_matches_the_spec() -> None:
    contract = _contract_macro()
    spec = _spec_tables()
    assert list(contract) == list(spec)
    for table, (columns, optional, optional_table) in spec.items():
        assert contract[table]["columns"] == columns, table
        assert contract[table]["optional"] == optional, table
        assert contract[table]["key"] == columns[0], table
        assert contract[table].get("optional_table", False) == optional_table, table
    assert [name for name, (_, _, optional_table) in spec.items() if optional_table] == [
        "agent_states"
    ]


def test_sources_yaml_lists_the_contract_columns() -> None:
    sources = yaml.safe_load(
        (PROJECT_DIR / "models/staging/support/_support__sources.yml").read_text()
    )
    tables = {t["name"]: [c["name"] for c in t["columns"]] for t in sources["sources"][0]["tables"]}
    contract = _contract_macro()
    assert tables == {name: spec["columns"] for name, spec in contract.items()}


@pytest.mark.skipif(not SHARED_SPEC.is_dir(), reason="no ../shared/spec beside this clone")
@pytest.mark.parametrize("name", ["sources.md", "kpis.md"])
def test_spec_copy_is_current(name: str) -> None:
    assert (SPEC_COPY / name).read_text() == (SHARED_SPEC / name).read_text()


def test_generator_schema_is_the_contract() -> None:
    from support_kpis.generator.schema import TABLE_COLUMNS

    contract = _contract_macro()
    assert {name: list(columns) for name, columns in TABLE_COLUMNS.items()} == {
        name: spec["columns"] for name, spec in contract.items()
    }
