-- Each distinct delivered message row with the first contract rule it breaks.
-- Row-local rules come checked from the intake; the rules that read a
-- parent or the delivery time are judged here, on every build (D36).
{%- set rules = support_contract_rules('ticket_messages')['rules'] %}

with

screened as (
    select * from {{ ref('base_support__ticket_messages_parsed') }}
),

valid_tickets as (
    select
        ticket_id as valid_ticket_id,
        parsed_created_at as ticket_created_at
    from {{ ref('base_support__tickets_checked') }}
    where is_current
),

valid_agents as (
    {{ valid_parent_keys('agent', 'agents') }}
),

valid_customers as (
    {{ valid_parent_keys('customer', 'customers') }}
),

quarantined_tickets as (
    {{ quarantined_parent_keys('ticket', 'tickets') }}
),

quarantined_agents as (
    {{ quarantined_parent_keys('agent', 'agents') }}
),

quarantined_customers as (
    {{ quarantined_parent_keys('customer', 'customers') }}
),

checked as (
    select
        screened.*,
        {{ context_rule_number(rules) }}
    from screened
    left join valid_tickets
        on screened.ticket_id = valid_tickets.valid_ticket_id
    left join valid_agents
        on
            screened.author_type = 'agent'
            and screened.author_id = valid_agents.valid_agent_id
    left join valid_customers
        on
            screened.author_type = 'customer'
            and screened.author_id = valid_customers.valid_customer_id
    left join quarantined_tickets
        on screened.ticket_id = quarantined_tickets.quarantined_ticket_id
    left join quarantined_agents
        on
            screened.author_type = 'agent'
            and screened.author_id = quarantined_agents.quarantined_agent_id
    left join quarantined_customers
        on
            screened.author_type = 'customer'
            and screened.author_id = quarantined_customers.quarantined_customer_id
),

reasoned as (
    {{ select_with_reason('checked', 'ticket_messages', rules) }}
)

select * from reasoned
