-- The first and last UTC date on which the valid ticket data (tickets, their
-- events and messages) has any timestamp: the range of the business-time
-- calendar. Business minutes are only measured between ticket timestamps, so
-- the calendar needs no other table (and the ticket KPIs build without them).
with

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

ticket_events as (
    select * from {{ ref('stg_support__ticket_events') }}
),

ticket_messages as (
    select * from {{ ref('stg_support__ticket_messages') }}
),

timestamps as (
    select
        min(created_at) as first_at,
        max(updated_at) as last_at
    from tickets
    union all
    select
        min(event_at) as first_at,
        max(event_at) as last_at
    from ticket_events
    union all
    select
        min(sent_at) as first_at,
        max(sent_at) as last_at
    from ticket_messages
),

bounds as (
    select
        cast(min(first_at) as date) as first_date,
        cast(max(last_at) as date) as last_date
    from timestamps
)

select * from bounds
