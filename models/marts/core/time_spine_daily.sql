-- The MetricFlow time spine: one row per day from a year before the data's
-- first date to a year after its last (period-over-period offsets and
-- cumulative metrics join to it).
with

bounds as (
    select * from {{ ref('int_data_dates_bounded') }}
),

spine as (
    select
        {{ expand_days(
            "first_date - interval '366 days'",
            "last_date + interval '366 days'",
        ) }} as date_day
    from bounds
)

select * from spine
