-- Each distinct delivered ticket event row with the first contract rule it breaks.
-- Row-local rules come checked from the intake; the rules that read a
-- parent or the delivery time are judged here, on every build (D36).
{%- set rules = support_contract_rules('ticket_events')['rules'] %}

with

screened as (
    select * from {{ ref('base_support__ticket_events_parsed') }}
),

valid_tickets as (
    select
        ticket_id as valid_ticket_id,
        parsed_created_at as ticket_created_at
    from {{ ref('base_support__tickets_checked') }}
    where is_current
),

quarantined_tickets as (
    {{ quarantined_parent_keys('ticket', 'tickets') }}
),

checked as (
    select
        screened.*,
        {{ context_rule_number(rules) }}
    from screened
    left join valid_tickets
        on screened.ticket_id = valid_tickets.valid_ticket_id
    left join quarantined_tickets
        on screened.ticket_id = quarantined_tickets.quarantined_ticket_id
),

reasoned as (
    {{ select_with_reason('checked', 'ticket_events', rules) }}
)

select * from reasoned
