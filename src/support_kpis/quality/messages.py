"""What an expectation found, in words a data steward can act on.

A failure names where (the raw table or relation, the column, the rows an
expectation is restricted to), what (how many rows, and what is wrong with
them) and the offending values, from GX's SUMMARY result
(`unexpected_count`, `partial_unexpected_list`, `partial_unexpected_counts`):

    tickets.channel: 1 row with a value outside the contract: 'fax'; 20% of
        5 rows, more than the 10% a healthy delivery may have

At most SHOWN_VALUES distinct values are named, the most frequent first, then
"and N more values". GX lists the values of the first RESULT_FORMAT
["partial_unexpected_count"] offending rows only: when there are more rows
than that, the values named are those seen among them ("among them ...").
The values matched by a forbidden pattern (contact details left in a
redacted column) are not repeated: they may be personal data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# GX's result format for every validation: SUMMARY carries the unexpected
# count and the values of the first `partial_unexpected_count` offending rows
# (COMPLETE would write every offending value into the results and the Data
# Docs, a million of them on a bad delivery).
RESULT_FORMAT: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": 100}
SHOWN_VALUES = 5
# A longer value is cut to this many characters (free text can be long).
VALUE_CHARACTERS = 40

NOT_NULL = "expect_column_values_to_not_be_null"
IN_SET = "expect_column_values_to_be_in_set"
UNIQUE = "expect_column_values_to_be_unique"
# A raw table's key is unique within each load (docs/spec/sources.md, "Deliveries in loads").
UNIQUE_IN_LOAD = "expect_compound_columns_to_be_unique"
LOAD_COLUMN = "load_id"
BETWEEN = "expect_column_values_to_be_between"
NOT_MATCH_REGEX = "expect_column_values_to_not_match_regex"
ROW_COUNT_BETWEEN = "expect_table_row_count_to_be_between"
ROW_COUNT_EQUAL = "expect_table_row_count_to_equal"
MEAN_BETWEEN = "expect_column_mean_to_be_between"


def rows(count: int) -> str:
    """'1 row', '2,345 rows'."""
    return f"{count:,} row" + ("" if count == 1 else "s")


def number(value: Any) -> str:
    """A number as a person writes it: 5.0 -> '5', 0.25 -> '0.25'."""
    if hasattr(value, "item"):  # a numpy scalar
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def value_text(value: Any) -> str:
    """One offending value: text quoted (control characters escaped, long text
    cut), numbers plain."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, Mapping):  # a key within its load: {load_id: ..., key: ...}
        key = [value_text(item) for name, item in value.items() if name != LOAD_COLUMN]
        load = value.get(LOAD_COLUMN)
        return ", ".join(key) + (f" in load {value_text(load)}" if load is not None else "")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float, Decimal)):
        return number(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    text = str(value)
    if len(text) > VALUE_CHARACTERS:
        text = text[: VALUE_CHARACTERS - 1] + "\u2026"
    return repr(text)


def _value_counts(result: Mapping[str, Any]) -> list[tuple[Any, int]]:
    """(value, rows) of the listed offending rows, the most frequent first."""
    listed = result.get("partial_unexpected_list") or []
    if listed and all(isinstance(value, Mapping) for value in listed):
        # Several columns (a key within its load): GX counts them as text; count the rows.
        keyed: dict[tuple[tuple[str, Any], ...], tuple[Any, int]] = {}
        for value in listed:
            key = tuple(value.items())
            keyed[key] = (value, keyed.get(key, (value, 0))[1] + 1)
        return sorted(keyed.values(), key=lambda entry: -entry[1])
    counts = result.get("partial_unexpected_counts") or []
    if counts and all("value" in entry for entry in counts):
        return [(entry["value"], int(entry["count"])) for entry in counts]
    # Unhashable values: GX could not count them; keep their first appearance.
    seen: list[tuple[Any, int]] = []
    for value in result.get("partial_unexpected_list") or []:
        if not any(value == known for known, _ in seen):
            seen.append((value, 1))
    return seen


def listed_values(result: Mapping[str, Any]) -> str:
    """The offending values of a column expectation's result, capped at
    SHOWN_VALUES: "'fax' (2 rows), 'telex' and 3 more values" when GX listed
    every offending row, else "among them 'fax', 'telex' and more (seen in the
    first 100)"; empty when GX listed none."""
    listed = result.get("partial_unexpected_list") or []
    counts = _value_counts(result)
    if not listed or not counts:
        return ""
    shown = counts[:SHOWN_VALUES]
    unexpected = int(result.get("unexpected_count") or 0)
    if unexpected <= len(listed):
        named = ", ".join(
            value_text(value) + (f" ({rows(count)})" if count > 1 else "") for value, count in shown
        )
        more = len(counts) - len(shown)
        if more:
            named += f" and {more:,} more value" + ("" if more == 1 else "s")
        return ": " + named
    named = ", ".join(value_text(value) for value, _ in shown)
    if len(counts) > len(shown):
        named += " and more"
    return f", among them {named} (seen in the first {len(listed):,})"


def _bounds(kwargs: Mapping[str, Any]) -> tuple[str, str]:
    """(what is expected, what a value outside is): ('at least 0', 'below 0')."""
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if low is not None and high is not None:
        return f"between {number(low)} and {number(high)}", (
            f"outside {number(low)} to {number(high)}"
        )
    if low is not None:
        return f"at least {number(low)}", f"below {number(low)}"
    if high is not None:
        return f"at most {number(high)}", f"above {number(high)}"
    return "any value", "outside its range"


def _problem(kind: str, kwargs: Mapping[str, Any], raw: bool) -> tuple[str, bool]:
    """What is wrong with an offending row of a column expectation, and whether
    its values may be named."""
    if kind == NOT_NULL:
        return "with no value", False
    if kind == IN_SET:
        return "with a value outside the " + ("contract" if raw else "allowed set"), True
    if kind == UNIQUE_IN_LOAD:
        return "with a key delivered in differing rows of one load", True
    if kind == UNIQUE:
        if raw:
            return "with a key delivered in differing rows", True
        return "with a value that is not unique", True
    if kind == BETWEEN:
        return "with a value " + _bounds(kwargs)[1], True
    if kind == NOT_MATCH_REGEX:
        return (
            f"matching the forbidden pattern {kwargs.get('regex')!r} "
            "(values not shown: they may be personal data)",
            False,
        )
    return "not as expected", True


def _raised(exception_info: Any) -> str | None:
    """The message of an exception GX caught while evaluating, if any."""
    infos: Sequence[Any] = []
    if isinstance(exception_info, Mapping):
        if "raised_exception" in exception_info:
            infos = [exception_info]
        else:
            infos = list(exception_info.values())
    for info in infos:
        if isinstance(info, Mapping) and info.get("raised_exception"):
            message = str(info.get("exception_message") or "error")
            return message.splitlines()[0] if message else "error"
    return None


def finding(
    kind: str,
    kwargs: Mapping[str, Any],
    result: Mapping[str, Any],
    raw: bool = False,
    exception_info: Any = None,
) -> str:
    """What the expectation found, met or not: '1 row with a value outside the
    contract: 'fax'', '0 of 5 rows', 'mean 0.25, expected between 0.5 and 20'."""
    raised = _raised(exception_info)
    if raised is not None:
        return f"could not be evaluated: {raised}"
    if "unexpected_count" in result:
        unexpected = int(result["unexpected_count"] or 0)
        if unexpected == 0:
            return f"0 of {rows(int(result.get('element_count') or 0))}"
        problem, named = _problem(kind, kwargs, raw)
        return f"{rows(unexpected)} {problem}" + (listed_values(result) if named else "")
    observed = result.get("observed_value")
    if kind == ROW_COUNT_BETWEEN:
        return f"{rows(int(observed or 0))}, expected {_bounds(kwargs)[0]}"
    if kind == ROW_COUNT_EQUAL:
        return f"{rows(int(observed or 0))}, expected {number(kwargs.get('value'))}"
    if kind == MEAN_BETWEEN:
        return f"mean {value_text(observed)}, expected {_bounds(kwargs)[0]}"
    return f"observed {value_text(observed)}"


def share(kwargs: Mapping[str, Any], result: Mapping[str, Any]) -> str:
    """How a `mostly` expectation's share compares with what it allows:
    '; 20% of 5 rows, more than the 10% a healthy delivery may have'; empty
    for an expectation on every row."""
    mostly = kwargs.get("mostly")
    # GX's share: of the rows with a value (a not-null check: of all rows).
    total = int(result.get("element_count") or 0) - int(result.get("missing_count") or 0)
    if mostly is None or float(mostly) >= 1 or total <= 0:
        return ""
    unexpected = int(result.get("unexpected_count") or 0)
    percent = 100 * unexpected / total
    allowed = 100 * (1 - float(mostly))
    # GX's own test (_mostly_success): the share of expected rows is at least `mostly`.
    verdict = "within" if (total - unexpected) / total >= float(mostly) else "more than"
    return (
        f"; {percent:.3g}% of {rows(total)}, {verdict} the {allowed:.3g}% "
        "a healthy delivery may have"
    )


def _key_column(kwargs: Mapping[str, Any]) -> str | None:
    """The key of a within-a-load uniqueness check (its columns but the load's)."""
    columns = [name for name in kwargs.get("column_list") or [] if name != LOAD_COLUMN]
    return ", ".join(columns) or None


def where(label: str, column: str | None, meta: Mapping[str, Any] | None) -> str:
    """'tickets.channel', 'ticket_events.to_value (status_change events)'."""
    place = f"{label}.{column}" if column else label
    restricted = (meta or {}).get("rows")
    return f"{place} ({restricted})" if restricted else place


def observed(
    kind: str,
    kwargs: Mapping[str, Any],
    result: Mapping[str, Any],
    raw: bool = False,
    exception_info: Any = None,
) -> str:
    """What the expectation found, with the share of a `mostly` expectation."""
    text = finding(kind, kwargs, result, raw, exception_info)
    if _raised(exception_info) is None and int(result.get("unexpected_count") or 0) > 0:
        text += share(kwargs, result)
    return text


def failure(
    label: str,
    kind: str,
    kwargs: Mapping[str, Any],
    result: Mapping[str, Any],
    raw: bool = False,
    meta: Mapping[str, Any] | None = None,
    exception_info: Any = None,
) -> str:
    """One line of the failure summary: where, then what was found."""
    place = where(label, kwargs.get("column") or _key_column(kwargs), meta)
    return f"{place}: {observed(kind, kwargs, result, raw, exception_info)}"
