-- One row per escalation event of a valid ticket (escalations_per_1000_customers
-- counts them in the month of the event).
with

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
        tickets.category
    from events
    inner join tickets
        on events.ticket_id = tickets.ticket_id
    where events.event_type = 'escalation'
)

select * from escalations
