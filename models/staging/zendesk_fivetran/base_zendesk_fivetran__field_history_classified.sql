-- One row per landed ticket_field_history row with what the adapter makes
-- of it (D19): an event (event_type set), or the reason it is deliberately
-- not mapped: field_not_mapped (requester, satisfaction, custom fields...),
-- history_of_deleted_ticket, exact_duplicate (a second identical row),
-- no_change (the same value as before, or a first status of new: the
-- contract's implicit start), group_without_tier_rise (a group change is an
-- escalation only when both groups have a tier in zendesk_group_tiers and
-- the rank rises). A history row holds only the new value: previous_value is
-- the field's previous value on the ticket.
with

landed_history as (
    {{ zendesk_landed('ticket_field_history') }}
),

deleted_tickets as (
    select * from {{ ref('base_zendesk_fivetran__deleted_ticket_ids') }}
),

group_tiers as (
    {{ zendesk_group_tiers() }}
),

prefixed as (
    -- An assignee or group value is a Zendesk id: it gets its account's prefix.
    select
        ticket_id,
        field_name,
        updated,
        case
            when field_name in ('assignee_id', 'group_id') and value is not null then zendesk_account || value
            else value
        end as field_value,
        user_id
    from landed_history
),

copies_numbered as (
    select
        prefixed.*,
        row_number() over (
            partition by
                prefixed.ticket_id, prefixed.field_name, prefixed.updated,
                prefixed.field_value, prefixed.user_id
            order by prefixed.ticket_id
        ) as copy_number,
        deleted_tickets.ticket_id is not null as is_of_deleted_ticket
    from prefixed
    left join deleted_tickets
        on prefixed.ticket_id = deleted_tickets.ticket_id
),

mappable as (
    select * from copies_numbered
    where
        field_name in ('status', 'assignee_id', 'priority', 'group_id')
        and not is_of_deleted_ticket
        and copy_number = 1
),

valued as (
    select
        mappable.*,
        case
            when mappable.field_name = 'status' and lower(mappable.field_value) in ('hold', 'on-hold')
                then 'on_hold'
            when mappable.field_name in ('status', 'priority') then lower(mappable.field_value)
            when mappable.field_name = 'group_id' then group_tiers.tier
            else mappable.field_value
        end as mapped_value,
        group_tiers.tier_rank,
        -- Equal times order statuses by a ticket's life (new first, closed
        -- last): a history row has no sequence number of its own (D19).
        case
            when mappable.field_name <> 'status' then 0
            when lower(mappable.field_value) = 'new' then 1
            when lower(mappable.field_value) = 'open' then 2
            when lower(mappable.field_value) = 'pending' then 3
            when lower(mappable.field_value) in ('hold', 'on-hold') then 4
            when lower(mappable.field_value) = 'solved' then 5
            when lower(mappable.field_value) = 'closed' then 6
            else 7
        end as life_order
    from mappable
    left join group_tiers
        on mappable.field_name = 'group_id' and mappable.field_value = group_tiers.group_id
),

sequenced as (
    select
        valued.*,
        lag(valued.mapped_value) over (
            partition by valued.ticket_id, valued.field_name
            order by valued.updated, valued.life_order, valued.field_value
        ) as previous_value,
        lag(valued.tier_rank) over (
            partition by valued.ticket_id, valued.field_name
            order by valued.updated, valued.life_order, valued.field_value
        ) as previous_tier_rank,
        row_number() over (
            partition by valued.ticket_id, valued.field_name
            order by valued.updated, valued.life_order, valued.field_value
        ) as change_number
    from valued
),

judged as (
    select
        sequenced.ticket_id,
        sequenced.field_name,
        sequenced.updated,
        sequenced.field_value,
        sequenced.user_id,
        sequenced.copy_number,
        sequenced.mapped_value,
        sequenced.previous_value,
        sequenced.change_number,
        case
            when sequenced.field_name = 'group_id' and not coalesce(
                sequenced.tier_rank > sequenced.previous_tier_rank, false
            ) then 'group_without_tier_rise'
            when
                coalesce(sequenced.mapped_value, '<null>') = coalesce(sequenced.previous_value, '<null>')
                or (
                    sequenced.field_name = 'status'
                    and sequenced.previous_value is null
                    and sequenced.mapped_value = 'new'
                )
                then 'no_change'
        end as not_mapped_reason
    from sequenced
),

unmappable as (
    select
        ticket_id,
        field_name,
        updated,
        field_value,
        user_id,
        copy_number,
        cast(null as string) as mapped_value,
        cast(null as string) as previous_value,
        cast(null as bigint) as change_number,
        case
            when is_of_deleted_ticket then 'history_of_deleted_ticket'
            when field_name not in ('status', 'assignee_id', 'priority', 'group_id') then 'field_not_mapped'
            else 'exact_duplicate'
        end as not_mapped_reason
    from copies_numbered
    where
        field_name not in ('status', 'assignee_id', 'priority', 'group_id')
        or is_of_deleted_ticket
        or copy_number > 1
),

classified as (
    select
        judged.*,
        case
            when judged.not_mapped_reason is not null then null
            when judged.field_name = 'status' then 'status_change'
            when judged.field_name = 'assignee_id' then 'assignment'
            when judged.field_name = 'priority' then 'priority_change'
            when judged.field_name = 'group_id' then 'escalation'
        end as event_type
    from judged
    union all
    select
        unmappable.*,
        cast(null as string) as event_type
    from unmappable
)

select * from classified
