-- The contract's tickets from the landed Zendesk tickets (README, "Zendesk";
-- D19), as text in the contract's spellings. Values the contract does not
-- know (an unmapped via channel, a custom status) pass through unchanged, so
-- the project quarantines them with their reason.
with

tickets as (
    select * from {{ ref('base_zendesk_fivetran__tickets_kept') }}
),

users as (
    select * from {{ ref('base_zendesk_fivetran__users_classified') }}
),

agent_submitters as (
    select id as submitter_id from users
    where is_agent
),

landed_groups as (
    {{ zendesk_landed('group') }}
),

channels as (
    select * from {{ ref('zendesk_channels') }}
),

mapped as (
    select
        tickets.id as ticket_id,
        tickets.requester_id as customer_id,
        coalesce(channels.channel, lower(tickets.via_channel)) as channel,
        case
            when lower(tickets.via_source_rel) = 'outbound' then 'outbound'
            when
                agent_submitters.submitter_id is not null
                and tickets.submitter_id <> tickets.requester_id
                then 'outbound'
            else 'inbound'
        end as direction,
        tickets.type as category,
        coalesce(lower(tickets.priority), '{{ var("zendesk_default_priority") }}') as priority,
        case
            when lower(tickets.status) in ('hold', 'on-hold') then 'on_hold'
            else lower(tickets.status)
        end as status,
        case
            when tickets.group_id is not null then coalesce(landed_groups.name, 'Zendesk group #' || tickets.group_id)
        end as team,
        tickets.assignee_id as assignee_agent_id,
        tickets.created_at,
        tickets.updated_at
    from tickets
    left join channels
        on lower(tickets.via_channel) = channels.via_channel
    left join agent_submitters
        on tickets.submitter_id = agent_submitters.submitter_id
    left join landed_groups
        on tickets.group_id = landed_groups.id
)

select * from mapped
