-- Each distinct delivered survey invitation row with the first contract rule it breaks.
-- Row-local rules come checked from the intake; the rules that read a
-- parent or the delivery time are judged here, on every build (D36).
{%- set rules = support_contract_rules('survey_responses')['rules'] %}

with

screened as (
    select * from {{ ref('base_support__survey_responses_parsed') }}
),

valid_customers as (
    {{ valid_parent_keys('customer', 'customers') }}
),

quarantined_customers as (
    {{ quarantined_parent_keys('customer', 'customers') }}
),

checked as (
    select
        screened.*,
        {{ context_rule_number(rules) }}
    from screened
    left join valid_customers
        on screened.customer_id = valid_customers.valid_customer_id
    left join quarantined_customers
        on screened.customer_id = quarantined_customers.quarantined_customer_id
),

reasoned as (
    {{ select_with_reason('checked', 'survey_responses', rules) }}
)

select * from reasoned
