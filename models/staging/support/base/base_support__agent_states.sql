-- The raw agent states as delivered: one row per delivered row, contract
-- columns as text (an optional table: none when the delivery has no file).
with

delivered as (
    {{ support_raw_delivery('agent_states') }}
)

select * from delivered
