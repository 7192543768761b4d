-- Valid tickets with the business-hours schedule they are measured in: their
-- team's schedule, else the default schedule (spec/kpis.md).
with

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

team_schedules as (
    select * from {{ ref('team_schedules') }}
),

scheduled as (
    select
        tickets.*,
        coalesce(team_schedules.schedule_id, '{{ var("default_schedule_id") }}') as schedule_id
    from tickets
    left join team_schedules
        on tickets.team = team_schedules.team
)

select * from scheduled
