-- The business_hours reference data from the landed Zendesk schedules, in
-- the shape of seeds/business_hours.csv (D19): one row per opening window,
-- day_of_week 1 = Monday .. 7 = Sunday, local HH:MM, close 24:00 at
-- midnight. Zendesk gives a window as local minutes since Sunday 00:00; a
-- window that runs past midnight (Zendesk does not allow one, but a landed
-- row could) is cut at midnight and continues the next day.
with

landed_schedules as (
    {{ zendesk_landed('schedule') }}
),

schedules as (
    select * from {{ ref('base_zendesk_fivetran__schedules_mapped') }}
),

windows as (
    select
        schedules.schedule_id,
        schedules.time_zone,
        cast(landed_schedules.start_time as integer) as start_minute,
        cast(landed_schedules.end_time as integer) as end_minute,
        cast(floor(cast(landed_schedules.start_time as integer) / 1440) as integer) as week_day_index
    from landed_schedules
    inner join schedules
        on landed_schedules.id = schedules.zendesk_schedule_id
    where not coalesce({{ zendesk_is_true('landed_schedules._fivetran_deleted') }}, false)
),

day_pieces as (
    select
        schedule_id,
        time_zone,
        week_day_index,
        start_minute - week_day_index * 1440 as open_minute,
        case
            when end_minute > (week_day_index + 1) * 1440 then 1440
            else end_minute - week_day_index * 1440
        end as close_minute
    from windows
    union all
    select
        schedule_id,
        time_zone,
        week_day_index + 1 as week_day_index,
        0 as open_minute,
        end_minute - (week_day_index + 1) * 1440 as close_minute
    from windows
    where end_minute > (week_day_index + 1) * 1440
),

formatted as (
    select
        schedule_id,
        time_zone,
        -- Zendesk's day 0 is Sunday; ISO day 7.
        cast(mod(week_day_index + 6, 7) + 1 as integer) as day_of_week,
        lpad(cast(cast(floor(open_minute / 60) as integer) as string), 2, '0')
        || ':' || lpad(cast(mod(open_minute, 60) as string), 2, '0') as open_time,
        lpad(cast(cast(floor(close_minute / 60) as integer) as string), 2, '0')
        || ':' || lpad(cast(mod(close_minute, 60) as string), 2, '0') as close_time
    from day_pieces
    where close_minute > open_minute
)

select * from formatted
