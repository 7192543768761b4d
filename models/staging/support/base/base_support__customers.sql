-- The raw customers as delivered: one row per delivered row, contract columns as text.
-- Incremental on a load folder: a build reads only the loads it has not read
-- yet; any other delivery replaces the rows (D36).
{{ config(
    materialized=support_intake_materialization(),
    pre_hook="{{ support_intake_replace('customers') }}",
) }}

with

delivered as (
    {{ support_raw_delivery('customers') }}
)

select * from delivered
