-- Each distinct delivered customer row with the first contract rule it breaks.
-- Row-local rules come checked from the intake; the rules that read a
-- parent or the delivery time are judged here, on every build (D36).
{%- set rules = support_contract_rules('customers')['rules'] %}

with

screened as (
    select * from {{ ref('base_support__customers_parsed') }}
),

checked as (
    select
        *,
        {{ context_rule_number(rules) }}
    from screened
),

reasoned as (
    {{ select_with_reason('checked', 'customers', rules) }}
)

select * from reasoned
