{#- Builders of validation rules, as (reason_code, column, condition) triples
    for support_contract_rules and select_with_reason (an invalid_parent
    rule has a fourth item: the parent's reason_code). -#}

{#- null_key and duplicate_key for a table's key (needs count_key_rows from
    collapse_exact_duplicates). -#}
{% macro key_rules(key) %}
    {{ return([
        ('null_key', key, key ~ ' is null'),
        ('duplicate_key', key, 'count_key_rows > 1'),
    ]) }}
{% endmacro %}

{% macro missing_value_rules(columns) %}
    {%- set rules = [] -%}
    {%- for column in columns -%}
        {%- do rules.append(('missing_value', column, column ~ ' is null')) -%}
    {%- endfor -%}
    {{ return(rules) }}
{% endmacro %}

{#- formats: {column: kind}, kind as in is_malformed. -#}
{% macro format_rules(formats) %}
    {%- set rules = [] -%}
    {%- for column, kind in formats.items() -%}
        {%- do rules.append(('invalid_format', column, is_malformed(column, kind))) -%}
    {%- endfor -%}
    {{ return(rules) }}
{% endmacro %}

{#- value_sets: {column: [allowed values]}; a null is not checked here. -#}
{% macro value_set_rules(value_sets) %}
    {%- set rules = [] -%}
    {%- for column, allowed in value_sets.items() -%}
        {%- do rules.append((
            'unknown_value', column,
            column ~ " not in ('" ~ allowed | join("', '") ~ "')"
        )) -%}
    {%- endfor -%}
    {{ return(rules) }}
{% endmacro %}

{#- A code's shape: `pattern` is a regular expression the value must match. -#}
{% macro shape_rule(column, pattern) %}
    {{ return(('invalid_format', column,
        '(' ~ column ~ ' is not null and not ' ~ regex_matches(column, pattern) ~ ')')) }}
{% endmacro %}

{#- The hours a timestamp may lie beyond the delivery time without being
    implausible: clocks of the exporting systems disagree a little
    (docs/decisions.md, D32). -#}
{% macro clock_skew_hours() %}
    {{ return(24) }}
{% endmacro %}

{#- Plausible timestamps (docs/decisions.md, D32): a value before 1970-01-01
    or later than the delivery time plus its column's margin is out_of_range.
    margins: {column: hours after delivery_time()}; kind 'timestamp' or 'date'.
    A null or malformed value is not checked here. -#}
{% macro plausible_timestamp_rules(margins, kind='timestamp') %}
    {%- set parsers = {'timestamp': parse_utc_timestamp, 'date': parse_date} -%}
    {%- set rules = [] -%}
    {%- for column, margin_hours in margins.items() -%}
        {%- set margin_minutes = ((margin_hours | float) * 60) | round | int -%}
        {%- set latest = add_minutes(delivery_time(), margin_minutes)
            if margin_minutes != 0 else delivery_time() -%}
        {%- do rules.append((
            'out_of_range', column,
            'cast(' ~ parsers[kind](column) ~ ' as timestamp) not between '
            ~ "cast('1970-01-01 00:00:00' as timestamp) and " ~ latest
        )) -%}
    {%- endfor -%}
    {{ return(rules) }}
{% endmacro %}

{#- A "references X" column (spec, "References"; docs/decisions.md, D2 and
    D32): dangling_reference when no delivered row of X has the id,
    invalid_parent when X's row with that id is quarantined. valid_key is the
    joined key of X's valid rows, parent_reason the joined reason_code of X's
    quarantined row (the invalid_parent row's parent_reason_code); applies, when
    given, a condition under which the column is a reference at all. -#}
{% macro reference_rules(column, valid_key, parent_reason, applies=none) %}
    {%- set referenced = (applies ~ ' and ' if applies else '')
        ~ column ~ ' is not null and ' ~ valid_key ~ ' is null' -%}
    {{ return([
        ('dangling_reference', column, referenced ~ ' and ' ~ parent_reason ~ ' is null'),
        ('invalid_parent', column, referenced, parent_reason),
    ]) }}
{% endmacro %}
