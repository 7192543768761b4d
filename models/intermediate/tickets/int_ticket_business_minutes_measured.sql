-- Per ticket: first reply and resolution in business minutes of the ticket's
-- schedule, as differences of the schedule's business-minute clock.
with

tickets as (
    select * from {{ ref('int_tickets_scheduled') }}
),

conversations as (
    select * from {{ ref('int_ticket_conversations_summarized') }}
),

status_changes as (
    select * from {{ ref('int_ticket_status_changes_summarized') }}
),

business_days as (
    select * from {{ ref('int_business_days_accumulated') }}
),

moments as (
    select
        tickets.ticket_id,
        tickets.schedule_id,
        'created' as moment_name,
        tickets.created_at as moment_at
    from tickets
    union all
    select
        tickets.ticket_id,
        tickets.schedule_id,
        'first_reply' as moment_name,
        conversations.first_reply_at as moment_at
    from tickets
    inner join conversations
        on tickets.ticket_id = conversations.ticket_id
    where conversations.first_reply_at is not null
    union all
    select
        tickets.ticket_id,
        tickets.schedule_id,
        'solved' as moment_name,
        status_changes.solved_at as moment_at
    from tickets
    inner join status_changes
        on tickets.ticket_id = status_changes.ticket_id
    where status_changes.is_solved
),

clocks as (
    {{ business_minutes_clock('moments', ['ticket_id', 'moment_name'], 'schedule_id', 'moment_at', 'business_days') }}
),

measured as (
    select
        ticket_id,
        max(case when moment_name = 'first_reply' then clock_minutes end)
        - max(case when moment_name = 'created' then clock_minutes end) as first_reply_business_minutes,
        max(case when moment_name = 'solved' then clock_minutes end)
        - max(case when moment_name = 'created' then clock_minutes end) as resolution_business_minutes
    from clocks
    group by ticket_id
)

select * from measured
