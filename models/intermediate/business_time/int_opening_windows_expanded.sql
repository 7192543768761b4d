-- Every opening window of every schedule on every local date around the
-- ticket data's range, in UTC: holidays left out, each edge converted with the
-- schedule's time zone (a daylight-saving gap or overlap takes the offset in
-- force just before the switch), then overlapping windows of a day merged.
-- Business minutes of any interval are its overlap with these windows.
with

business_hours as (
    select * from {{ support_reference('business_hours') }}
),

holidays as (
    select * from {{ support_reference('holidays') }}
),

bounds as (
    select * from {{ ref('int_ticket_dates_bounded') }}
),

local_dates as (
    -- Two days of margin: a local date's windows may fall on the UTC day
    -- before or after it.
    select
        {{ expand_days(
            "first_date - interval '2 days'",
            "last_date + interval '2 days'",
        ) }} as local_date
    from bounds
),

windows_by_date as (
    select
        business_hours.schedule_id,
        business_hours.time_zone,
        local_dates.local_date,
        {{ add_minutes(
            'cast(local_dates.local_date as timestamp)',
            'cast(substr(business_hours.open_time, 1, 2) as integer) * 60 '
            ~ '+ cast(substr(business_hours.open_time, 4, 2) as integer)',
        ) }} as local_open_at,
        {{ add_minutes(
            'cast(local_dates.local_date as timestamp)',
            'cast(substr(business_hours.close_time, 1, 2) as integer) * 60 '
            ~ '+ cast(substr(business_hours.close_time, 4, 2) as integer)',
        ) }} as local_close_at
    from local_dates
    inner join business_hours
        on {{ day_of_week('local_dates.local_date') }} = business_hours.day_of_week
),

open_days as (
    select windows_by_date.*
    from windows_by_date
    left join holidays
        on
            windows_by_date.schedule_id = holidays.schedule_id
            and windows_by_date.local_date = holidays.holiday_date
    where holidays.holiday_date is null
),

converted as (
    select
        schedule_id,
        local_date,
        local_open_at,
        local_close_at,
        {{ local_to_utc('local_open_at', 'time_zone') }} as window_start_at,
        {{ local_to_utc('local_close_at', 'time_zone') }} as window_end_at
    from open_days
),

non_empty as (
    -- A window whose edges both fall in a daylight-saving gap can end
    -- before it starts once converted: it has no minutes.
    select * from converted
    where window_end_at > window_start_at
),

island_starts as (
    -- A window starts a new island unless an earlier window of the same
    -- local date is still open when it opens (in UTC, after conversion).
    select
        *,
        case
            when window_start_at <= max(window_end_at) over (
                partition by schedule_id, local_date
                order by window_start_at, window_end_at
                rows between unbounded preceding and 1 preceding
            ) then 0
            else 1
        end as is_island_start
    from non_empty
),

islands as (
    select
        *,
        sum(is_island_start) over (
            partition by schedule_id, local_date
            order by window_start_at, window_end_at
            rows between unbounded preceding and current row
        ) as island_number
    from island_starts
),

merged as (
    select
        schedule_id,
        local_date,
        min(local_open_at) as local_open_at,
        max(local_close_at) as local_close_at,
        min(window_start_at) as window_start_at,
        max(window_end_at) as window_end_at
    from islands
    group by schedule_id, local_date, island_number
)

select * from merged
