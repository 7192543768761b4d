-- The raw customers as delivered: one row per delivered row, contract columns as text.
with

delivered as (
    {{ support_raw_delivery('customers') }}
)

select * from delivered
