-- The raw agent_shifts as delivered: one row per delivered row, contract columns as text.
with

delivered as (
    {{ support_raw_delivery('agent_shifts') }}
)

select * from delivered
