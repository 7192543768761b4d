-- The holidays reference data from the landed Zendesk schedule holidays, in
-- the shape of seeds/holidays.csv: one row per local date from start_date to
-- end_date (both included), for schedules the adapter delivers (a holiday
-- of a schedule not landed is counted in the landed summary).
with

landed_holidays as (
    {{ zendesk_landed('schedule_holiday') }}
),

schedules as (
    select * from {{ ref('base_zendesk_fivetran__schedules_mapped') }}
),

kept as (
    select
        schedules.schedule_id,
        landed_holidays.name as holiday_name,
        cast(landed_holidays.start_date as date) as start_date,
        cast(landed_holidays.end_date as date) as end_date
    from landed_holidays
    inner join schedules
        on landed_holidays.schedule_id = schedules.zendesk_schedule_id
    where not coalesce({{ zendesk_is_true('landed_holidays._fivetran_deleted') }}, false)
),

expanded as (
    select
        schedule_id,
        {{ expand_days('start_date', 'end_date') }} as holiday_date,
        holiday_name
    from kept
)

select * from expanded
