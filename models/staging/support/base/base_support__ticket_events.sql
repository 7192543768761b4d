-- The raw ticket_events as delivered: one row per delivered row, contract columns as text.
with

delivered as (
    {{ support_raw_delivery('ticket_events') }}
)

select * from delivered
