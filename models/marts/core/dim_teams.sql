-- One row per team named anywhere (tickets, agents, call queues or
-- team_schedules), with the business-hours schedule its tickets use.
with

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

agents as (
    select * from {{ ref('stg_support__agents') }}
),

calls as (
    select * from {{ ref('stg_support__calls') }}
),

team_schedules as (
    -- Team names as staging writes them (D31), so that they join and no
    -- contact detail in a team name reaches the mart.
    select
        {{ redact_contact_details('team') }} as team,
        schedule_id
    from {{ support_reference('team_schedules') }}
),

business_hours as (
    select * from {{ support_reference('business_hours') }}
),

team_names as (
    select team from tickets
    where team is not null
    union
    select team from agents
    union
    select queue as team from calls
    where queue is not null
    union
    select team from team_schedules
),

schedule_zones as (
    select distinct
        schedule_id,
        time_zone
    from business_hours
),

dimension as (
    select
        team_names.team,
        coalesce(team_schedules.schedule_id, '{{ var("default_schedule_id") }}') as schedule_id,
        schedule_zones.time_zone as schedule_time_zone,
        team_schedules.schedule_id is not null as has_own_schedule
    from team_names
    left join team_schedules
        on team_names.team = team_schedules.team
    left join schedule_zones
        on coalesce(team_schedules.schedule_id, '{{ var("default_schedule_id") }}') = schedule_zones.schedule_id
)

select * from dimension
