-- Per ticket, from its audit trail (spec/kpis.md): whether it is solved
-- (current status solved/closed AND a resolution: a status_change into
-- solved/closed from an unresolved status, a null from_value counting as
-- unresolved; solved -> closed only archives, D18), solved_at (the last
-- resolution) and first_solved_at (the first one, for any ticket with a
-- resolution), reopens and escalations.
with

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

events as (
    select * from {{ ref('stg_support__ticket_events') }}
),

per_ticket as (
    select
        ticket_id,
        min(
            case
                when
                    event_type = 'status_change'
                    and to_value in ('solved', 'closed')
                    and coalesce(from_value not in ('solved', 'closed'), true)
                    then event_at
            end
        ) as first_solved_at,
        max(
            case
                when
                    event_type = 'status_change'
                    and to_value in ('solved', 'closed')
                    and coalesce(from_value not in ('solved', 'closed'), true)
                    then event_at
            end
        ) as last_resolution_at,
        count(
            case
                when
                    event_type = 'status_change'
                    and from_value in ('solved', 'closed')
                    and to_value in ('new', 'open', 'pending', 'on_hold')
                    then 1
            end
        ) as count_reopens,
        count(case when event_type = 'escalation' then 1 end) as count_escalations
    from events
    group by ticket_id
),

summarized as (
    select
        tickets.ticket_id,
        per_ticket.first_solved_at,
        coalesce(
            tickets.status in ('solved', 'closed') and per_ticket.first_solved_at is not null,
            false
        ) as is_solved,
        case
            when tickets.status in ('solved', 'closed') then per_ticket.last_resolution_at
        end as solved_at,
        coalesce(per_ticket.count_reopens, 0) as count_reopens,
        coalesce(per_ticket.count_escalations, 0) as count_escalations
    from tickets
    left join per_ticket
        on tickets.ticket_id = per_ticket.ticket_id
)

select * from summarized
