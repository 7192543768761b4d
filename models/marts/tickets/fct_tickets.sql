-- One row per valid ticket with every per-ticket measure of the ticket KPIs
-- (spec/kpis.md, "Tickets and messages"). KPI formulas live in the semantic
-- layer; this table holds their parts.
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

business_minutes as (
    select * from {{ ref('int_ticket_business_minutes_measured') }}
),

sla_policies as (
    select * from {{ support_reference('sla_policies') }}
),

joined as (
    select
        tickets.ticket_id,
        tickets.customer_id,
        tickets.assignee_agent_id,
        tickets.team,
        tickets.schedule_id,
        tickets.channel,
        tickets.direction,
        tickets.priority,
        tickets.category,
        tickets.status,
        tickets.direction = 'inbound' as is_inbound,
        tickets.channel in {{ live_channels_sql() }} as is_live_channel,
        tickets.created_at,
        cast(tickets.created_at as date) as created_date,
        conversations.first_reply_at,
        {{ seconds_between('tickets.created_at', 'conversations.first_reply_at') }} / 60
            as first_reply_calendar_minutes,
        business_minutes.first_reply_business_minutes,
        sla_policies.first_reply_target_minutes,
        status_changes.is_solved,
        status_changes.solved_at,
        cast(status_changes.solved_at as date) as solved_date,
        status_changes.first_solved_at,
        cast(status_changes.first_solved_at as date) as first_solved_date,
        {{ seconds_between('tickets.created_at', 'status_changes.solved_at') }} / 60
            as resolution_calendar_minutes,
        business_minutes.resolution_business_minutes,
        {{ seconds_between('tickets.created_at', 'status_changes.first_solved_at') }} / 60
            as first_resolution_calendar_minutes,
        sla_policies.resolution_target_minutes,
        conversations.count_public_agent_messages,
        status_changes.count_reopens,
        status_changes.count_escalations,
        conversations.has_collision
    from tickets
    inner join conversations
        on tickets.ticket_id = conversations.ticket_id
    inner join status_changes
        on tickets.ticket_id = status_changes.ticket_id
    left join business_minutes
        on tickets.ticket_id = business_minutes.ticket_id
    left join sla_policies
        on tickets.priority = sla_policies.priority
),

flagged as (
    select
        *,
        coalesce(first_reply_calendar_minutes <= {{ var('reply_within_hours') }} * 60, false)
            as is_replied_within_12h,
        coalesce(first_reply_business_minutes <= first_reply_target_minutes, false)
            as is_first_reply_sla_met,
        case
            when is_solved then coalesce(resolution_business_minutes <= resolution_target_minutes, false)
        end as is_resolution_sla_met,
        count_reopens > 0 as is_reopened,
        count_escalations > 0 as is_escalated,
        is_solved and count_public_agent_messages = 1 and count_reopens = 0 as is_first_contact_resolved
    from joined
)

select * from flagged
