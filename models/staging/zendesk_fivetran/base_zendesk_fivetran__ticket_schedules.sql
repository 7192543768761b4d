-- The Zendesk schedule each delivered ticket is measured in (D19): its
-- current one (the ticket_schedule row with the latest created_at), when
-- that schedule is landed, else its account's default schedule. A ticket
-- whose schedule changed is measured entirely in its current schedule, as
-- the spec measures a ticket against one schedule.
with

landed_ticket_schedules as (
    {{ zendesk_landed('ticket_schedule') }}
),

schedules as (
    select * from {{ ref('base_zendesk_fivetran__schedules_mapped') }}
),

tickets as (
    select * from {{ ref('base_zendesk_fivetran__tickets_kept') }}
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

current_schedules as (
    select
        latest.ticket_id,
        schedules.schedule_id
    from latest
    inner join schedules
        on latest.schedule_id = schedules.zendesk_schedule_id
    where latest.recency_rank = 1
),

account_defaults as (
    select
        zendesk_account,
        schedule_id
    from schedules
    where is_account_default
),

mapped as (
    select
        tickets.id as ticket_id,
        coalesce(current_schedules.schedule_id, account_defaults.schedule_id) as schedule_id
    from tickets
    left join current_schedules
        on tickets.id = current_schedules.ticket_id
    left join account_defaults
        on tickets.zendesk_account = account_defaults.zendesk_account
)

select * from mapped
