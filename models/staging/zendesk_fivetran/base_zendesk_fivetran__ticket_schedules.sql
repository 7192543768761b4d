-- The Zendesk schedule each ticket is measured in (D19): its current one
-- (the ticket_schedule row with the latest created_at), when that schedule
-- is landed; tickets without one use the default schedule. A ticket whose
-- schedule changed is measured entirely in its current schedule, as the
-- spec measures a ticket against one schedule.
with

landed_ticket_schedules as (
    {{ zendesk_landed('ticket_schedule') }}
),

schedules as (
    select * from {{ ref('base_zendesk_fivetran__schedules_mapped') }}
),

latest as (
    select
        ticket_id,
        schedule_id,
        row_number() over (
            partition by ticket_id
            order by created_at desc, schedule_id desc
        ) as recency_rank
    from landed_ticket_schedules
),

mapped as (
    select
        {{ zendesk_id('latest.ticket_id') }} as ticket_id,
        schedules.schedule_id
    from latest
    inner join schedules
        on latest.schedule_id = schedules.zendesk_schedule_id
    where latest.recency_rank = 1
)

select * from mapped
