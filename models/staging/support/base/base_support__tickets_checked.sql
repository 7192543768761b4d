-- Each distinct delivered ticket row with the first contract rule it breaks.
-- Row-local rules come checked from the intake; the rules that read a
-- parent or the delivery time are judged here, on every build (D36).
{%- set rules = support_contract_rules('tickets')['rules'] %}

with

screened as (
    select * from {{ ref('base_support__tickets_parsed') }}
),

valid_customers as (
    {{ valid_parent_keys('customer', 'customers') }}
),

valid_agents as (
    {{ valid_parent_keys('agent', 'agents') }}
),

quarantined_customers as (
    {{ quarantined_parent_keys('customer', 'customers') }}
),

quarantined_agents as (
    {{ quarantined_parent_keys('agent', 'agents') }}
),

checked as (
    select
        screened.*,
        {{ context_rule_number(rules) }}
    from screened
    left join valid_customers
        on screened.customer_id = valid_customers.valid_customer_id
    left join valid_agents
        on screened.assignee_agent_id = valid_agents.valid_agent_id
    left join quarantined_customers
        on screened.customer_id = quarantined_customers.quarantined_customer_id
    left join quarantined_agents
        on screened.assignee_agent_id = quarantined_agents.quarantined_agent_id
),

reasoned as (
    {{ select_with_reason('checked', 'tickets', rules) }}
)

select * from reasoned
