{#- A table's validation rules, given in precedence order as
    (reason_code, column, condition) triples, are checked in two steps, so that
    each condition is evaluated once per row:
    - first_failing_rule_number(rules): the 1-based number of the first rule
      whose condition holds (null for a valid row);
    - select_with_reason(relation, table_name, rules): the delivered columns of
      relation (as collapse_exact_duplicates gives them) with that rule's
      reason_code and reason_column (both null for a valid row).
    Precedence: docs/decisions.md, D2. -#}
{% macro first_failing_rule_number(rules) -%}
    case
        {%- for rule in rules %}
        when {{ rule[2] }} then {{ loop.index }}
        {%- endfor %}
    end as failing_rule_number
{%- endmacro %}

{% macro select_with_reason(relation, table_name, rules) -%}
    {%- set contract = support_raw_contract()[table_name] -%}
    select
        {%- for column in contract['columns'] %}
        {{ column }},
        {%- endfor %}
        count_copies,
        count_key_rows,
        case failing_rule_number
            {%- for rule in rules %}
            when {{ loop.index }} then '{{ rule[0] }}'
            {%- endfor %}
        end as reason_code,
        case failing_rule_number
            {%- for rule in rules %}
            when {{ loop.index }} then '{{ rule[1] }}'
            {%- endfor %}
        end as reason_column
    from {{ relation }}
{%- endmacro %}
