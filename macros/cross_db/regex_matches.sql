{#- True when a text expression matches a regular expression (RE2/Java
    syntax; use character classes like [0-9] rather than backslashes, which
    the warehouses' string literals treat differently). -#}
{% macro regex_matches(expression, pattern) %}
    {{ return(adapter.dispatch('regex_matches', 'support_kpis')(expression, pattern)) }}
{% endmacro %}

{% macro default__regex_matches(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regex_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regex_matches(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern }}')
{%- endmacro %}


{#- Replace every match of a regular expression (same syntax rules as
    regex_matches). -#}
{% macro regex_replace_all(expression, pattern, replacement) %}
    {{ return(adapter.dispatch('regex_replace_all', 'support_kpis')(expression, pattern, replacement)) }}
{% endmacro %}

{% macro default__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro spark__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}
