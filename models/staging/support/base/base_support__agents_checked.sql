-- Each distinct delivered agent row with the first contract rule it breaks.
{%- set rules = support_kpis.key_rules('agent_id')
    + support_kpis.missing_value_rules(['team', 'hired_at'])
    + support_kpis.format_rules({'hired_at': 'date', 'terminated_at': 'date'})
    + [(
        'timestamp_order', 'terminated_at',
        support_kpis.parse_date('terminated_at') ~ ' < ' ~ support_kpis.parse_date('hired_at')
    )] %}

with

delivered as (
    select * from {{ ref('base_support__agents') }}
),

distinct_rows as (
    {{ support_kpis.collapse_exact_duplicates('delivered', 'agents') }}
),

checked as (
    select
        *,
        {{ support_kpis.first_failing_rule(rules) }}
    from distinct_rows
)

select * from checked
