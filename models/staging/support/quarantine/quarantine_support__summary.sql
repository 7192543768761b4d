-- Per raw table: rows delivered, collapsed as exact duplicates, staged and
-- quarantined. Conservation (delivered = staged + quarantined + collapsed) is
-- tested on this model; each count is taken from a different relation.
{%- set tables = support_kpis.support_raw_contract().keys() | list %}

with

{% for table_name in tables %}
delivered_{{ table_name }} as (
    select count(*) as count_rows from {{ ref('base_support__' ~ table_name) }}
),

collapsed_{{ table_name }} as (
    select coalesce(sum(count_copies - 1), 0) as count_rows
    from {{ ref('base_support__' ~ table_name ~ '_checked') }}
),

staged_{{ table_name }} as (
    select count(*) as count_rows from {{ ref('stg_support__' ~ table_name) }}
),

quarantined_{{ table_name }} as (
    select count(*) as count_rows from {{ ref('quarantine_support__' ~ table_name) }}
),

{% endfor %}
summary as (
    {%- for table_name in tables %}
    select
        '{{ table_name }}' as table_name,
        delivered_{{ table_name }}.count_rows as count_delivered_rows,
        collapsed_{{ table_name }}.count_rows as count_collapsed_rows,
        staged_{{ table_name }}.count_rows as count_staged_rows,
        quarantined_{{ table_name }}.count_rows as count_quarantined_rows
    from delivered_{{ table_name }}
    cross join collapsed_{{ table_name }}
    cross join staged_{{ table_name }}
    cross join quarantined_{{ table_name }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select * from summary
