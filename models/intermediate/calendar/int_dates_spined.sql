-- One row per UTC date from the first to the last date of the data.
with

bounds as (
    select * from {{ ref('int_data_dates_bounded') }}
),

spine as (
    select {{ expand_days('first_date', 'last_date') }} as date_day
    from bounds
)

select * from spine
