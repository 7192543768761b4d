-- Each distinct delivered ticket event row of a load (exact duplicates
-- collapsed), its typed values parsed once, with the first row-local contract
-- rule it breaks; incremental like its reader: a build parses and checks only
-- the loads it has not processed yet (D36).
{{ config(
    materialized=support_intake_materialization(),
    pre_hook="{{ support_intake_replace('ticket_events') }}",
) }}

with

delivered as (
    select * from {{ ref('base_support__ticket_events') }}
    where {{ support_intake_new_rows('ticket_events') }}
),

screened as (
    {{ screened_rows('delivered', 'ticket_events') }}
)

select * from screened
