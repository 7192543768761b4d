-- Valid tickets with the business-hours schedule they are measured in: their
-- own schedule where the source gives one (Zendesk's ticket schedule, D19),
-- else their team's schedule, else the default schedule (spec/kpis.md).
with

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

team_schedules as (
    -- Team names as staging writes them (D31), so that they join.
    select
        {{ redact_contact_details('team') }} as team,
        schedule_id
    from {{ support_reference('team_schedules') }}
),

ticket_schedules as (
    {{ support_ticket_schedules() }}
),

scheduled as (
    select
        tickets.*,
        coalesce(
            ticket_schedules.schedule_id,
            team_schedules.schedule_id,
            '{{ var("default_schedule_id") }}'
        ) as schedule_id
    from tickets
    left join ticket_schedules
        on tickets.ticket_id = ticket_schedules.ticket_id
    left join team_schedules
        on tickets.team = team_schedules.team
)

select * from scheduled
