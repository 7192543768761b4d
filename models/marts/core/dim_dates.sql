-- One row per UTC date of the data: the calendar the KPIs are reported on
-- (ISO weeks starting Monday, calendar months and quarters).
with

days as (
    select * from {{ ref('int_dates_spined') }}
),

calendar as (
    select
        date_day,
        cast(date_trunc('week', date_day) as date) as week_start_date,
        cast(date_trunc('month', date_day) as date) as month_start_date,
        cast(date_trunc('quarter', date_day) as date) as quarter_start_date,
        cast(date_trunc('year', date_day) as date) as year_start_date,
        {{ day_of_week('date_day') }} as iso_day_of_week,
        {{ day_of_week('date_day') }} >= 6 as is_weekend
    from days
)

select * from calendar
