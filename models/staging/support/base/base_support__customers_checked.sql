-- Each distinct delivered customer row with the first contract rule it breaks.
{%- set rules = key_rules('customer_id')
    + missing_value_rules(['segment', 'signed_up_at'])
    + format_rules({'signed_up_at': 'timestamp'})
    + [shape_rule('country', '^[A-Z]{2}$')]
    + value_set_rules({'segment': ['enterprise', 'smb', 'consumer']})
    + plausible_timestamp_rules({'signed_up_at': clock_skew_hours()}) %}

with

delivered as (
    select * from {{ ref('base_support__customers') }}
),

distinct_rows as (
    {{ collapse_exact_duplicates('delivered', 'customers') }}
),

checked as (
    select
        *,
        {{ first_failing_rule_number(rules) }}
    from distinct_rows
),

reasoned as (
    {{ select_with_reason('checked', 'customers', rules) }}
)

select * from reasoned
