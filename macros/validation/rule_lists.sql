{#- Builders of validation rules, as (reason_code, column, condition) triples
    for first_failing_rule_number and select_with_reason. -#}

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
