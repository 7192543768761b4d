-- The MetricFlow hourly time spine: one row per hour over the days of the
-- daily spine (time_spine_daily), so that every call KPI answers by hour.
with

days as (
    select * from {{ ref('time_spine_daily') }}
),

bounds as (
    select
        min(date_day) as first_day,
        max(date_day) as last_day
    from days
),

spine as (
    select
        {{ expand_hours(
            'cast(first_day as timestamp)',
            add_minutes('cast(last_day as timestamp)', 23 * 60),
        ) }} as date_hour
    from bounds
)

select * from spine
