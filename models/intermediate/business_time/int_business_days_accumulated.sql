-- Per schedule and UTC date: the opening-window pieces that fall inside the
-- day, and the business minutes of the schedule before the day starts. The
-- business-minute clock of a schedule at any instant t is then
--   minutes_before_day(date(t)) + overlap of [date(t), t) with the day's pieces,
-- and the business minutes of an interval are the difference of two clocks.
-- One row per schedule, UTC date and piece (a day without opening has one
-- row with null piece times).
with

windows as (
    select * from {{ ref('int_opening_windows_expanded') }}
),

bounds as (
    select * from {{ ref('int_ticket_dates_bounded') }}
),

utc_days as (
    select
        {{ expand_days(
            "first_date - interval '2 days'",
            "last_date + interval '2 days'",
        ) }} as calendar_date
    from bounds
),

schedules as (
    select distinct schedule_id from windows
),

schedule_days as (
    select
        schedules.schedule_id,
        utc_days.calendar_date,
        cast(utc_days.calendar_date as timestamp) as day_start_at,
        cast(utc_days.calendar_date + interval '1 day' as timestamp) as day_end_at
    from schedules
    cross join utc_days
),

pieces as (
    select
        schedule_days.schedule_id,
        schedule_days.calendar_date,
        schedule_days.day_start_at,
        greatest(windows.window_start_at, schedule_days.day_start_at) as piece_start_at,
        least(windows.window_end_at, schedule_days.day_end_at) as piece_end_at
    from schedule_days
    inner join windows
        on
            schedule_days.schedule_id = windows.schedule_id
            and schedule_days.day_end_at > windows.window_start_at
            and schedule_days.day_start_at < windows.window_end_at
),

minutes_per_day as (
    select
        schedule_days.schedule_id,
        schedule_days.calendar_date,
        coalesce(
            sum({{ seconds_between('pieces.piece_start_at', 'pieces.piece_end_at') }}) / 60, 0
        ) as business_minutes_in_day
    from schedule_days
    left join pieces
        on
            schedule_days.schedule_id = pieces.schedule_id
            and schedule_days.calendar_date = pieces.calendar_date
    group by schedule_days.schedule_id, schedule_days.calendar_date
),

accumulated as (
    select
        schedule_id,
        calendar_date,
        business_minutes_in_day,
        coalesce(sum(business_minutes_in_day) over (
            partition by schedule_id
            order by calendar_date
            rows between unbounded preceding and 1 preceding
        ), 0) as business_minutes_before_day
    from minutes_per_day
),

with_pieces as (
    select
        accumulated.schedule_id,
        accumulated.calendar_date,
        accumulated.business_minutes_before_day,
        accumulated.business_minutes_in_day,
        pieces.piece_start_at,
        pieces.piece_end_at
    from accumulated
    left join pieces
        on
            accumulated.schedule_id = pieces.schedule_id
            and accumulated.calendar_date = pieces.calendar_date
)

select * from with_pieces
