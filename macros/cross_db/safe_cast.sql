{#- A cast that gives null instead of an error when the value does not fit. -#}
{% macro safe_cast(expression, data_type) %}
    {{ return(adapter.dispatch('safe_cast', 'support_kpis')(expression, data_type)) }}
{% endmacro %}

{% macro default__safe_cast(expression, data_type) -%}
    cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro duckdb__safe_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro spark__safe_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
