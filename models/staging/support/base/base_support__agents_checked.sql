-- Each distinct delivered agent row with the first contract rule it breaks.
{%- set rules = key_rules('agent_id')
    + missing_value_rules(['team', 'hired_at'])
    + format_rules({'hired_at': 'date', 'terminated_at': 'date'})
    + plausible_timestamp_rules({'hired_at': 366 * 24, 'terminated_at': 366 * 24}, 'date')
    + [(
        'timestamp_order', 'terminated_at',
        parse_date('terminated_at') ~ ' < ' ~ parse_date('hired_at')
    )] %}

with

delivered as (
    select * from {{ ref('base_support__agents') }}
),

distinct_rows as (
    {{ collapse_exact_duplicates('delivered', 'agents') }}
),

checked as (
    select
        *,
        {{ first_failing_rule_number(rules) }}
    from distinct_rows
),

reasoned as (
    {{ select_with_reason('checked', 'agents', rules) }}
)

select * from reasoned
