-- Each distinct delivered customer row with the first contract rule it breaks.
{%- set rules = support_kpis.key_rules('customer_id')
    + support_kpis.missing_value_rules(['segment', 'signed_up_at'])
    + support_kpis.format_rules({'signed_up_at': 'timestamp'})
    + [support_kpis.shape_rule('country', '^[A-Z]{2}$')]
    + support_kpis.value_set_rules({'segment': ['enterprise', 'smb', 'consumer']}) %}

with

delivered as (
    select * from {{ ref('base_support__customers') }}
),

distinct_rows as (
    {{ support_kpis.collapse_exact_duplicates('delivered', 'customers') }}
),

checked as (
    select
        *,
        {{ support_kpis.first_failing_rule(rules) }}
    from distinct_rows
)

select * from checked
