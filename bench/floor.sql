-- The floor: the four headline ticket KPIs per month, computed by one
-- hand-written DuckDB query straight from the raw CSV files (no staging, no
-- validation, no intermediate tables). bench/scale.py replaces __RAW__ with
-- the delivery folder and runs it on a fresh in-memory connection with
-- TimeZone = 'UTC'. Definitions: docs/spec/kpis.md, "Tickets and messages".
--   tickets_created     [created_at]  count of tickets
--   first_reply_minutes [created_at]  inbound tickets: first public agent message
--                                     at or after created_at, minus created_at;
--                                     mean over inbound tickets with such a reply
--   resolution_minutes  [solved_at]   solved tickets (status solved/closed AND a
--                                     resolution: a status_change into solved/closed
--                                     from neither of them, a null from_value counting
--                                     as unresolved; solved -> closed only archives;
--                                     solved_at = the LAST resolution):
--                                     solved_at - created_at; mean
--   reply_rate          [sent_at]     customer messages followed (strictly later) by a
--                                     public agent message on the ticket / customer messages
with

tickets as (
    select
        ticket_id,
        direction,
        status,
        cast(created_at as timestamptz) as created_at
    from read_csv('__RAW__/tickets.csv', header = true, all_varchar = true)
),

public_messages as (
    select
        ticket_id,
        author_type,
        cast(sent_at as timestamptz) as sent_at
    from read_csv('__RAW__/ticket_messages.csv', header = true, all_varchar = true)
    where lower(is_public) = 'true' and author_type in ('agent', 'customer')
),

solves as (
    select
        ticket_id,
        max(cast(event_at as timestamptz)) as solved_at
    from read_csv('__RAW__/ticket_events.csv', header = true, all_varchar = true)
    where
        event_type = 'status_change'
        and to_value in ('solved', 'closed')
        and coalesce(from_value not in ('solved', 'closed'), true)
    group by ticket_id
),

first_replies as (
    select
        tickets.ticket_id,
        min(public_messages.sent_at) as first_reply_at
    from tickets
    inner join public_messages
        on
            tickets.ticket_id = public_messages.ticket_id
            and public_messages.author_type = 'agent'
            and tickets.created_at <= public_messages.sent_at
    where tickets.direction = 'inbound'
    group by tickets.ticket_id
),

last_agent_replies as (
    select
        ticket_id,
        max(sent_at) as last_agent_at
    from public_messages
    where author_type = 'agent'
    group by ticket_id
),

by_created as (
    select
        date_trunc('month', tickets.created_at) as month_start,
        count(*) as tickets_created,
        avg(epoch(first_replies.first_reply_at - tickets.created_at) / 60)
            as first_reply_minutes
    from tickets
    left join first_replies on tickets.ticket_id = first_replies.ticket_id
    group by date_trunc('month', tickets.created_at)
),

by_solved as (
    select
        date_trunc('month', solves.solved_at) as month_start,
        avg(epoch(solves.solved_at - tickets.created_at) / 60) as resolution_minutes
    from tickets
    inner join solves on tickets.ticket_id = solves.ticket_id
    where tickets.status in ('solved', 'closed')
    group by date_trunc('month', solves.solved_at)
),

by_sent as (
    select
        date_trunc('month', public_messages.sent_at) as month_start,
        avg(
            case when public_messages.sent_at < last_agent_replies.last_agent_at then 1.0 else 0.0 end
        ) as reply_rate
    from public_messages
    left join last_agent_replies on public_messages.ticket_id = last_agent_replies.ticket_id
    where public_messages.author_type = 'customer'
    group by date_trunc('month', public_messages.sent_at)
),

months as (
    select month_start from by_created
    union
    select month_start from by_solved
    union
    select month_start from by_sent
)

select
    strftime(months.month_start, '%Y-%m') as report_month,
    by_created.tickets_created,
    by_created.first_reply_minutes,
    by_solved.resolution_minutes,
    by_sent.reply_rate
from months
left join by_created on months.month_start = by_created.month_start
left join by_solved on months.month_start = by_solved.month_start
left join by_sent on months.month_start = by_sent.month_start
order by report_month
