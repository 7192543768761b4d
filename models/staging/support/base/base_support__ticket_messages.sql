-- The raw ticket_messages as delivered: one row per delivered row, contract columns as text.
with

delivered as (
    {{ support_raw_delivery('ticket_messages') }}
)

select * from delivered
