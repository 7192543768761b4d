{#- One row per distinct delivered row of a raw table (all contract columns
    equal, as delivered), with count_copies (how many delivered rows it
    stands for) and count_key_rows (how many distinct rows share its key). -#}
{% macro collapse_exact_duplicates(relation, table_name) -%}
    {%- set contract = support_raw_contract()[table_name] -%}
    select
        {%- for column in contract['columns'] %}
        {{ column }},
        {%- endfor %}
        count(*) as count_copies,
        count(*) over (partition by {{ contract['key'] }}) as count_key_rows
    from {{ relation }}
    group by
        {%- for column in contract['columns'] %}
        {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
{%- endmacro %}
