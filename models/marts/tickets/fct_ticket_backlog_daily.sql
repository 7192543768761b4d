-- The open backlog (spec/kpis.md, open_backlog): per UTC day and ticket
-- slice, the tickets created on or before the day whose status at the end of
-- the day (replaying status_change events in event_at, event_id order; `new`
-- before the first) is not solved or closed. Every day of the data has a row
-- per slice, so a period's value is its last day's (semi-additive).
with

tickets as (
    select * from {{ ref('int_tickets_scheduled') }}
),

events as (
    select * from {{ ref('stg_support__ticket_events') }}
),

days as (
    select * from {{ ref('int_dates_spined') }}
),

status_changes as (
    select
        ticket_id,
        event_at as status_from_at,
        to_value as status,
        row_number() over (partition by ticket_id order by event_at, event_id) as change_number
    from events
    where event_type = 'status_change'
),

first_status_changes as (
    select * from status_changes
    where change_number = 1
),

status_segments as (
    -- The status a ticket holds from one change to the next; `new` from
    -- creation to the first change.
    select
        tickets.ticket_id,
        'new' as status,
        tickets.created_at as status_from_at,
        first_status_changes.status_from_at as status_to_at
    from tickets
    left join first_status_changes
        on tickets.ticket_id = first_status_changes.ticket_id
    union all
    select
        status_changes.ticket_id,
        status_changes.status,
        status_changes.status_from_at,
        next_changes.status_from_at as status_to_at
    from status_changes
    left join status_changes as next_changes
        on
            status_changes.ticket_id = next_changes.ticket_id
            and status_changes.change_number + 1 = next_changes.change_number
),

open_spans as (
    -- A segment holds at the end of day D when it starts before D + 1 and
    -- ends at or after D + 1: it counts from its start date to the day
    -- before its end date.
    select
        ticket_id,
        cast(status_from_at as date) as first_open_date,
        cast(status_to_at as date) as closed_from_date
    from status_segments
    where
        status not in ('solved', 'closed')
        and (status_to_at is null or cast(status_to_at as date) > cast(status_from_at as date))
),

changes as (
    select
        open_spans.first_open_date as change_date,
        tickets.team,
        tickets.channel,
        tickets.priority,
        tickets.category,
        1 as count_change
    from open_spans
    inner join tickets
        on open_spans.ticket_id = tickets.ticket_id
    union all
    select
        open_spans.closed_from_date as change_date,
        tickets.team,
        tickets.channel,
        tickets.priority,
        tickets.category,
        -1 as count_change
    from open_spans
    inner join tickets
        on open_spans.ticket_id = tickets.ticket_id
    where open_spans.closed_from_date is not null
),

slices as (
    select distinct
        team,
        channel,
        priority,
        category
    from tickets
),

daily_changes as (
    select
        change_date,
        team,
        channel,
        priority,
        category,
        sum(count_change) as count_change
    from changes
    group by change_date, team, channel, priority, category
),

slice_days as (
    select
        days.date_day as backlog_date,
        slices.team,
        slices.channel,
        slices.priority,
        slices.category
    from days
    cross join slices
),

backlog as (
    select
        slice_days.backlog_date,
        slice_days.team,
        slice_days.channel,
        slice_days.priority,
        slice_days.category,
        cast(sum(coalesce(daily_changes.count_change, 0)) over (
            partition by slice_days.team, slice_days.channel, slice_days.priority, slice_days.category
            order by slice_days.backlog_date
            rows between unbounded preceding and current row
        ) as bigint) as count_open_tickets
    from slice_days
    left join daily_changes
        on
            slice_days.backlog_date = daily_changes.change_date
            and slice_days.team is not distinct from daily_changes.team
            and slice_days.channel = daily_changes.channel
            and slice_days.priority = daily_changes.priority
            and slice_days.category is not distinct from daily_changes.category
)

select * from backlog
