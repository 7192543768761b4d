-- The raw agent states as delivered: one row per delivered row, contract
-- columns as text (an optional table: none when the delivery has no file).
-- Incremental on a load folder: a build reads only the loads it has not read
-- yet; any other delivery replaces the rows (D36).
{{ config(
    materialized=support_intake_materialization(),
    pre_hook="{{ support_intake_replace('agent_states') }}",
) }}

with

delivered as (
    {{ support_raw_delivery('agent_states') }}
)

select * from delivered
