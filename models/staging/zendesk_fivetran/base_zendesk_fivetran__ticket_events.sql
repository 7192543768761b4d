-- The contract's ticket_events from the landed ticket_field_history (D19):
-- status -> status_change, assignee_id -> assignment, priority ->
-- priority_change, group_id -> escalation (tiers from the seed
-- zendesk_group_tiers); the rows that make no event, and why, are in
-- base_zendesk_fivetran__field_history_classified.
with

history as (
    select * from {{ ref('base_zendesk_fivetran__field_history_classified') }}
),

users as (
    select * from {{ ref('base_zendesk_fivetran__users_classified') }}
),

agent_users as (
    select id as actor_id from users
    where is_agent
),

changes as (
    select * from history
    where event_type is not null
),

mapped as (
    select
        {{ zendesk_id('changes.ticket_id') }} || ':' || changes.field_name || ':'
        || cast(changes.change_number as string) as event_id,
        {{ zendesk_id('changes.ticket_id') }} as ticket_id,
        changes.updated as event_at,
        changes.event_type,
        case
            when changes.field_name = 'assignee_id' then {{ zendesk_id('changes.previous_value') }}
            else changes.previous_value
        end as from_value,
        case
            when changes.field_name = 'assignee_id' then {{ zendesk_id('changes.mapped_value') }}
            else changes.mapped_value
        end as to_value,
        {{ zendesk_id('agent_users.actor_id') }} as actor_agent_id
    from changes
    left join agent_users
        on changes.user_id = agent_users.actor_id
)

select * from mapped
