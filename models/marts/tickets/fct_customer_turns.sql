-- One row per customer turn (spec/kpis.md, reply_wait_minutes): a turn
-- starts at a customer message that is first in the ticket's conversation or
-- directly follows a public agent message; its reply is the first public
-- agent message strictly later than the turn start.
with

conversation as (
    select * from {{ ref('int_ticket_messages_sequenced') }}
),

tickets as (
    select * from {{ ref('int_tickets_scheduled') }}
),

turn_starts as (
    select
        message_id as turn_id,
        ticket_id,
        sent_at as turn_started_at
    from conversation
    where
        author_type = 'customer'
        and (previous_author_type is null or previous_author_type = 'agent')
),

agent_messages as (
    select
        ticket_id,
        sent_at
    from conversation
    where author_type = 'agent'
),

replies as (
    select
        turn_starts.turn_id,
        min(agent_messages.sent_at) as replied_at
    from turn_starts
    inner join agent_messages
        on
            turn_starts.ticket_id = agent_messages.ticket_id
            and turn_starts.turn_started_at < agent_messages.sent_at
    group by turn_starts.turn_id
),

turns as (
    select
        turn_starts.turn_id,
        turn_starts.ticket_id,
        turn_starts.turn_started_at,
        cast(turn_starts.turn_started_at as date) as turn_started_date,
        replies.replied_at,
        replies.replied_at is not null as is_replied,
        {{ seconds_between('turn_starts.turn_started_at', 'replies.replied_at') }} / 60
            as reply_wait_calendar_minutes,
        tickets.customer_id,
        tickets.assignee_agent_id,
        tickets.team,
        tickets.channel,
        tickets.priority,
        tickets.category,
        tickets.direction
    from turn_starts
    inner join tickets
        on turn_starts.ticket_id = tickets.ticket_id
    left join replies
        on turn_starts.turn_id = replies.turn_id
)

select * from turns
