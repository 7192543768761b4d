{#- One row per distinct delivered row of a raw table within its load (all
    contract columns equal, as delivered, in the same load: spec, "Deliveries
    in loads"), with its load_id and load_rank, count_copies (how many
    delivered rows of that load it stands for) and count_key_rows (how many
    distinct rows of that load share its key). -#}
{% macro collapse_exact_duplicates(relation, table_name) -%}
    {%- set contract = support_raw_contract()[table_name] -%}
    select
        {%- for column in contract['columns'] %}
        {{ column }},
        {%- endfor %}
        load_id,
        load_rank,
        count(*) as count_copies,
        count(*) over (partition by {{ contract['key'] }}, load_rank) as count_key_rows
    from {{ relation }}
    group by
        {%- for column in contract['columns'] %}
        {{ column }},
        {%- endfor %}
        load_id,
        load_rank
{%- endmacro %}
