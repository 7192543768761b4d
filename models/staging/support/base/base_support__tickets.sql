-- The raw tickets as delivered: one row per delivered row, contract columns as text.
with

delivered as (
    {{ support_raw_delivery('tickets') }}
)

select * from delivered
