-- One row per escalation event of a valid ticket (escalations_per_1000_customers
-- counts them in the month of the event).
{{ config_incremental_by_partition('ticket_id', 'int_ticket_fingerprints') }}
with

fingerprints as (
    select * from {{ ref('int_ticket_fingerprints') }}
),

events as (
    select * from {{ ref('stg_support__ticket_events') }}
),

tickets as (
    select * from {{ ref('int_tickets_scheduled') }}
),

escalations as (
    select
        events.event_id,
        events.ticket_id,
        events.event_at,
        cast(events.event_at as date) as event_date,
        events.from_value as from_tier,
        events.to_value as to_tier,
        tickets.customer_id,
        tickets.assignee_agent_id,
        tickets.team,
        tickets.channel,
        tickets.priority,
        tickets.category,
        fingerprints.partition_fingerprint
    from events
    inner join tickets
        on events.ticket_id = tickets.ticket_id
    inner join fingerprints
        on events.ticket_id = fingerprints.ticket_id
    where
        events.event_type = 'escalation'
        and {{ partition_needs_build('fingerprints.ticket_id') }}
)

select * from escalations
