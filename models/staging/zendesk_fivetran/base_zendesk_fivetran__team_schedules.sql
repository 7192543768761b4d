-- The team_schedules reference data for Zendesk: each team (group) with the
-- schedule most of its tickets are measured in (ties: the smaller schedule
-- id), so that dim_teams shows it; tickets themselves use their own
-- schedule (base_zendesk_fivetran__ticket_schedules).
with

tickets as (
    select * from {{ ref('base_zendesk_fivetran__tickets') }}
),

ticket_schedules as (
    select * from {{ ref('base_zendesk_fivetran__ticket_schedules') }}
),

counted as (
    select
        tickets.team,
        coalesce(ticket_schedules.schedule_id, '{{ var("default_schedule_id") }}') as schedule_id,
        count(*) as count_tickets
    from tickets
    left join ticket_schedules
        on tickets.ticket_id = ticket_schedules.ticket_id
    where tickets.team is not null
    group by 1, 2
),

ranked as (
    select
        team,
        schedule_id,
        row_number() over (partition by team order by count_tickets desc, schedule_id asc) as schedule_rank
    from counted
),

chosen as (
    select
        team,
        schedule_id
    from ranked
    where schedule_rank = 1
)

select * from chosen
