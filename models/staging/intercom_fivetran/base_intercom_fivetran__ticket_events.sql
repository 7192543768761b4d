-- The contract's ticket_events from the Intercom conversations and parts
-- (README, "Intercom"), as text: each conversation starts new and opens at
-- its creation (Intercom has no new state); then the status changes and
-- assignments of base_intercom_fivetran__parts_classified; last, when the
-- conversation's current state differs from the status the parts end on
-- (a close or snooze whose part was not landed), one status change to it at
-- the conversation's last update, so that the trail ends in the current
-- status.
with

conversations as (
    select * from {{ ref('base_intercom_fivetran__conversations_latest') }}
),

parts as (
    select * from {{ ref('base_intercom_fivetran__parts_classified') }}
),

tickets as (
    select * from {{ ref('base_intercom_fivetran__tickets') }}
),

openings as (
    select
        id || ':opened' as event_id,
        id as ticket_id,
        created_at as event_at,
        'status_change' as event_type,
        'new' as from_value,
        'open' as to_value,
        cast(null as string) as actor_agent_id
    from conversations
),

part_status_changes as (
    select
        part_id || ':status' as event_id,
        conversation_id as ticket_id,
        created_at as event_at,
        'status_change' as event_type,
        status_from as from_value,
        status_to as to_value,
        case when lower(author_type) = 'admin' then author_id end as actor_agent_id
    from parts
    where status_to is not null
),

part_assignments as (
    select
        part_id || ':assignment' as event_id,
        conversation_id as ticket_id,
        created_at as event_at,
        'assignment' as event_type,
        assignment_from as from_value,
        assignment_to as to_value,
        case when lower(author_type) = 'admin' then author_id end as actor_agent_id
    from parts
    where is_assignment
),

status_trail as (
    select
        ticket_id,
        to_value,
        {{ parse_utc_timestamp('event_at') }} as changed_at,
        row_number() over (
            partition by ticket_id
            order by {{ parse_utc_timestamp('event_at') }} desc, event_id desc
        ) as recency_number
    from part_status_changes
),

last_statuses as (
    select
        conversations.id as ticket_id,
        coalesce(status_trail.to_value, 'open') as last_status,
        case
            when status_trail.changed_at > {{ parse_utc_timestamp('conversations.updated_at') }}
                then status_trail.changed_at
            else {{ parse_utc_timestamp('conversations.updated_at') }}
        end as reconciled_at
    from conversations
    left join status_trail
        on conversations.id = status_trail.ticket_id and status_trail.recency_number = 1
),

reconciliations as (
    select
        last_statuses.ticket_id || ':state' as event_id,
        last_statuses.ticket_id,
        cast(last_statuses.reconciled_at as string) as event_at,
        'status_change' as event_type,
        last_statuses.last_status as from_value,
        tickets.status as to_value,
        cast(null as string) as actor_agent_id
    from last_statuses
    inner join tickets
        on last_statuses.ticket_id = tickets.ticket_id
    where
        tickets.status in ('open', 'pending', 'solved')
        and tickets.status <> last_statuses.last_status
),

events as (
    select * from openings
    union all
    select * from part_status_changes
    union all
    select * from part_assignments
    union all
    select * from reconciliations
)

select * from events
