-- The contract's agents from the landed Zendesk users that are agents
-- (role agent or admin, or a ticket's assignee; D19). Team: the group most of
-- the agent's current tickets are in, else var zendesk_default_team. Hired:
-- the user's creation date; terminated: the last update date of a user no
-- longer an active agent (downgraded to end-user, deleted or suspended):
-- the landed schema has no HR dates, these are the closest it records.
with

users as (
    select * from {{ ref('base_zendesk_fivetran__users_classified') }}
),

tickets as (
    select * from {{ ref('base_zendesk_fivetran__tickets') }}
),

team_counts as (
    select
        assignee_agent_id,
        team,
        count(*) as count_tickets
    from tickets
    where assignee_agent_id is not null and team is not null
    group by assignee_agent_id, team
),

main_teams as (
    select
        assignee_agent_id,
        team,
        row_number() over (
            partition by assignee_agent_id
            order by count_tickets desc, team asc
        ) as team_rank
    from team_counts
),

mapped as (
    select
        users.id as agent_id,
        users.name as full_name,
        users.email,
        coalesce(main_teams.team, '{{ var("zendesk_default_team") }}') as team,
        substring(users.created_at, 1, 10) as hired_at,
        case
            when
                coalesce(lower(users.role), '') not in ('agent', 'admin')
                or not coalesce({{ zendesk_is_true('users.active') }}, true)
                or coalesce({{ zendesk_is_true('users.suspended') }}, false)
                then substring(coalesce(users.updated_at, users.created_at), 1, 10)
        end as terminated_at
    from users
    left join main_teams
        on users.id = main_teams.assignee_agent_id and main_teams.team_rank = 1
    where users.is_agent
)

select * from mapped
