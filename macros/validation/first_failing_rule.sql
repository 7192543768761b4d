{#- Renders a table's validation rules, given in precedence order as
    (reason_code, column, condition) triples, into two columns: reason_code
    and reason_column of the first rule whose condition holds (both null for a
    valid row). Precedence: docs/decisions.md, D2. -#}
{% macro first_failing_rule(rules) -%}
    case
        {%- for rule in rules %}
        when {{ rule[2] }} then '{{ rule[0] }}'
        {%- endfor %}
    end as reason_code,
    case
        {%- for rule in rules %}
        when {{ rule[2] }} then '{{ rule[1] }}'
        {%- endfor %}
    end as reason_column
{%- endmacro %}

{#- The delivery time: var('as_of_at') when set, else the start of this run. -#}
{% macro delivery_time() -%}
    {%- set as_of = var('as_of_at') or run_started_at.strftime('%Y-%m-%d %H:%M:%S') -%}
    cast('{{ as_of }}' as timestamp)
{%- endmacro %}
