{#- Strict parsers for the raw contract's text values. Each gives the typed
    value, or null when the text is null or does not have the contract's
    format (so `x is not null and parse(x) is null` means invalid_format).
    Formats: docs/decisions.md, D2. -#}

{#- UTC timestamp: YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]] with an optional Z,
    +00, +00:00, +0000 or -00:00. -#}
{% macro parse_utc_timestamp(column) -%}
    case
        when {{ regex_matches(column,
            '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?([Zz]|[+-]00(:?00)?)?$') }}
            then {{ safe_cast(
                "regexp_replace(replace(replace(" ~ column ~ ", 'T', ' '), 't', ' '), '([Zz]|[+-]00(:?00)?)$', '')",
                'timestamp') }}
    end
{%- endmacro %}

{% macro parse_date(column) -%}
    case
        when {{ regex_matches(column, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') }}
            then {{ safe_cast(column, 'date') }}
    end
{%- endmacro %}

{% macro parse_boolean(column) -%}
    case
        when lower({{ column }}) = 'true' then true
        when lower({{ column }}) = 'false' then false
    end
{%- endmacro %}

{% macro parse_integer(column) -%}
    case
        when {{ regex_matches(column, '^[+-]?[0-9]{1,18}$') }}
            then {{ safe_cast(column, 'bigint') }}
    end
{%- endmacro %}

{% macro parse_decimal(column) -%}
    case
        when {{ regex_matches(column, '^[+-]?[0-9]{1,18}([.][0-9]{1,6})?$') }}
            then {{ safe_cast(column, 'decimal(24, 6)') }}
    end
{%- endmacro %}

{#- True when a non-null text is not in the format of its kind
    (timestamp, date, boolean, integer or decimal). -#}
{% macro is_malformed(column, kind) -%}
    {%- set parsers = {
        'timestamp': parse_utc_timestamp,
        'date': parse_date,
        'boolean': parse_boolean,
        'integer': parse_integer,
        'decimal': parse_decimal,
    } -%}
    ({{ column }} is not null and {{ parsers[kind](column) }} is null)
{%- endmacro %}
