-- The contract's ticket_events from the landed ticket_field_history (D19):
-- status -> status_change, assignee_id -> assignment, priority ->
-- priority_change, group_id -> escalation when both groups have a tier in
-- the seed zendesk_group_tiers and the tier rank rises. A history row holds
-- only the new value: from_value is the field's previous value on the
-- ticket. Exact duplicate history rows count once; a row that repeats the
-- previous value, and a first status of new (the contract's implicit start),
-- are no change; both are counted in the landed summary, not delivered.
with

landed_history as (
    {{ zendesk_landed('ticket_field_history') }}
),

deleted_tickets as (
    select * from {{ ref('base_zendesk_fivetran__deleted_ticket_ids') }}
),

users as (
    select * from {{ ref('base_zendesk_fivetran__users_classified') }}
),

group_tiers as (
    select * from {{ ref('zendesk_group_tiers') }}
),

agent_users as (
    select id as actor_id from users
    where is_agent
),

distinct_history as (
    select distinct
        landed_history.ticket_id,
        landed_history.field_name,
        landed_history.updated,
        landed_history.value,
        landed_history.user_id
    from landed_history
    left join deleted_tickets
        on landed_history.ticket_id = deleted_tickets.ticket_id
    where
        landed_history.field_name in ('status', 'assignee_id', 'priority', 'group_id')
        and deleted_tickets.ticket_id is null
),

valued as (
    select
        distinct_history.*,
        case
            when distinct_history.field_name = 'status' and lower(distinct_history.value) in ('hold', 'on-hold')
                then 'on_hold'
            when distinct_history.field_name in ('status', 'priority') then lower(distinct_history.value)
            when distinct_history.field_name = 'group_id' then group_tiers.tier
            else distinct_history.value
        end as mapped_value,
        group_tiers.tier_rank
    from distinct_history
    left join group_tiers
        on distinct_history.field_name = 'group_id' and distinct_history.value = group_tiers.group_id
),

sequenced as (
    select
        valued.*,
        lag(valued.mapped_value) over (
            partition by valued.ticket_id, valued.field_name
            order by valued.updated, valued.value
        ) as previous_value,
        lag(valued.tier_rank) over (
            partition by valued.ticket_id, valued.field_name
            order by valued.updated, valued.value
        ) as previous_tier_rank,
        row_number() over (
            partition by valued.ticket_id, valued.field_name
            order by valued.updated, valued.value
        ) as change_number
    from valued
),

changes as (
    select
        sequenced.*,
        case sequenced.field_name
            when 'status' then 'status_change'
            when 'assignee_id' then 'assignment'
            when 'priority' then 'priority_change'
            when 'group_id' then 'escalation'
        end as event_type
    from sequenced
    where
        coalesce(sequenced.mapped_value, '<null>') <> coalesce(sequenced.previous_value, '<null>')
        and not (
            sequenced.field_name = 'status' and sequenced.previous_value is null and sequenced.mapped_value = 'new'
        )
        and (
            sequenced.field_name <> 'group_id'
            or sequenced.tier_rank > sequenced.previous_tier_rank
        )
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
