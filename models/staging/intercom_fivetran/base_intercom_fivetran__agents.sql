-- The contract's agents from the landed Intercom admins (README,
-- "Intercom"). Team: the admin's team in team_admin (the first by name
-- when several), else var intercom_default_team. The landed admin has no
-- HR dates: hired = the date of the admin's first landed activity (a part
-- written, an assignment to them, a conversation assigned to them), else
-- the date the connector synced the admin; terminated = the sync date of
-- an admin Fivetran marks deleted.
with

admin_versions as (
    {{ intercom_versions('admin') }}
),

memberships as (
    select * from {{ ref('base_intercom_fivetran__team_memberships') }}
),

parts as (
    select * from {{ ref('base_intercom_fivetran__parts_classified') }}
),

conversations as (
    select * from {{ ref('base_intercom_fivetran__conversations_latest') }}
),

landed_parts as (
    {{ intercom_landed('conversation_part_history') }}
),

admins as (
    select * from admin_versions
    where version_number = 1
),

activities as (
    select
        author_id as admin_id,
        {{ parse_utc_timestamp('created_at') }} as active_at
    from parts
    where lower(author_type) = 'admin'
    union all
    select
        assigned_to_id as admin_id,
        {{ parse_utc_timestamp('created_at') }} as active_at
    from landed_parts
    where lower(coalesce(assigned_to_type, 'admin')) = 'admin' and assigned_to_id is not null
    union all
    select
        assigned_admin_id as admin_id,
        {{ parse_utc_timestamp('created_at') }} as active_at
    from conversations
    where assigned_admin_id is not null
),

first_activities as (
    select
        admin_id,
        min(active_at) as first_active_at
    from activities
    group by admin_id
),

mapped as (
    select
        admins.id as agent_id,
        admins.name as full_name,
        admins.email,
        coalesce(memberships.team_name, '{{ var("intercom_default_team", "Unassigned") }}') as team,
        coalesce(
            cast(cast(first_activities.first_active_at as date) as string),
            cast(cast({{ parse_utc_timestamp('admins._fivetran_synced') }} as date) as string)
        ) as hired_at,
        case
            when coalesce({{ zendesk_is_true('admins._fivetran_deleted') }}, false)
                then cast(cast({{ parse_utc_timestamp('admins._fivetran_synced') }} as date) as string)
        end as terminated_at
    from admins
    left join memberships
        on admins.id = memberships.admin_id and memberships.membership_number = 1
    left join first_activities
        on admins.id = first_activities.admin_id
)

select * from mapped
