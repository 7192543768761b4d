-- One row per landed team_admin row (README, "Intercom"): the admin's team
-- name and membership_number (1 = the team the agent is delivered in: the
-- first by name), or why the row gives no team (not_mapped_reason:
-- superseded_version, deleted_membership, other_team_of_admin).
with

membership_versions as (
    {{ intercom_versions('team_admin') }}
),

team_versions as (
    {{ intercom_versions('team') }}
),

teams as (
    select * from team_versions
    where version_number = 1
),

named as (
    select
        membership_versions.admin_id,
        membership_versions.team_id,
        membership_versions.version_number,
        coalesce(teams.name, 'Intercom team #' || membership_versions.team_id) as team_name,
        coalesce({{ zendesk_is_true('membership_versions._fivetran_deleted') }}, false) as is_deleted
    from membership_versions
    left join teams
        on membership_versions.team_id = teams.id
),

numbered as (
    select
        named.*,
        case
            when named.version_number = 1 and not named.is_deleted then row_number() over (
                partition by named.admin_id, named.version_number = 1 and not named.is_deleted
                order by named.team_name, named.team_id
            )
        end as membership_number
    from named
),

judged as (
    select
        numbered.*,
        case
            when numbered.version_number > 1 then 'superseded_version'
            when numbered.is_deleted then 'deleted_membership'
            when numbered.membership_number > 1 then 'other_team_of_admin'
        end as not_mapped_reason
    from numbered
)

select * from judged
