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
        changes.ticket_id || ':' || changes.field_name || ':'
        || cast(changes.change_number as string) as event_id,
        changes.ticket_id,
        changes.updated as event_at,
        changes.event_type,
        changes.previous_value as from_value,
        changes.mapped_value as to_value,
        agent_users.actor_id as actor_agent_id
    from changes
    left join agent_users
        on changes.user_id = agent_users.actor_id
)

select * from mapped
