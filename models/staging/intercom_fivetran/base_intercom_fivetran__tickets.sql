-- The contract's tickets from the latest version of each Intercom
-- conversation (README, "Intercom"), as text in the contract's spellings.
-- Channel from the source type (macro intercom_channels); direction
-- inbound when the customer started it; state open -> open, closed ->
-- solved (Intercom reopens a closed conversation when the customer writes
-- again), snoozed -> pending; priority -> high, not_priority or none -> var
-- intercom_default_priority; team = the team assignee's name, else var
-- intercom_default_team. Values the contract does not know (a new source
-- type, a new state) pass through unchanged, so the project quarantines
-- them with their reason.
with

conversations as (
    select * from {{ ref('base_intercom_fivetran__conversations_latest') }}
),

team_versions as (
    {{ intercom_versions('team') }}
),

teams as (
    select
        id as team_id,
        name as team_name
    from team_versions
    where version_number = 1
),

mapped as (
    select
        conversations.id as ticket_id,
        conversations.customer_contact_id as customer_id,
        {{ intercom_channel('conversations.source_type') }} as channel,
        case
            when lower(conversations.source_delivered_as) = 'customer_initiated' then 'inbound'
            when lower(conversations.source_delivered_as) in (
                'admin_initiated', 'automated', 'campaigns_initiated', 'operator_initiated'
            ) then 'outbound'
            when lower(conversations.source_author_type) in ('user', 'lead', 'contact') then 'inbound'
            else 'outbound'
        end as direction,
        cast(null as string) as category,
        case
            when lower(conversations.priority) = 'priority' then 'high'
            else '{{ var("intercom_default_priority", "normal") }}'
        end as priority,
        case lower(conversations.state)
            when 'closed' then 'solved'
            when 'snoozed' then 'pending'
            else lower(conversations.state)
        end as status,
        case
            when conversations.assigned_team_id is not null
                then coalesce(teams.team_name, 'Intercom team #' || conversations.assigned_team_id)
            else '{{ var("intercom_default_team", "Unassigned") }}'
        end as team,
        conversations.assigned_admin_id as assignee_agent_id,
        conversations.created_at,
        conversations.updated_at
    from conversations
    left join teams
        on conversations.assigned_team_id = teams.team_id
)

select * from mapped
