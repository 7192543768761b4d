-- Quarantined rows per raw table, reason and column: what a data steward fixes first.
{%- set tables = support_kpis.support_raw_contract().keys() | list %}

with

{% for table_name in tables %}
quarantined_{{ table_name }} as (
    select * from {{ ref('quarantine_support__' ~ table_name) }}
),

{% endfor %}
reasons as (
    {%- for table_name in tables %}
    select
        '{{ table_name }}' as table_name,
        reason_code,
        reason_column,
        count(*) as count_rows
    from quarantined_{{ table_name }}
    group by reason_code, reason_column
    {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select * from reasons
