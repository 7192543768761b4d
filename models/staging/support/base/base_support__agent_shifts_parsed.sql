-- Each distinct delivered agent shift row of a load (exact duplicates
-- collapsed), its typed values parsed once, with the first row-local contract
-- rule it breaks; incremental like its reader: a build parses and checks only
-- the loads it has not processed yet (D36).
{{ config(
    materialized=support_intake_materialization(),
    pre_hook="{{ support_intake_replace('agent_shifts') }}",
) }}

with

delivered as (
    select * from {{ ref('base_support__agent_shifts') }}
    where {{ support_intake_new_rows('agent_shifts') }}
),

screened as (
    {{ screened_rows('delivered', 'agent_shifts') }}
)

select * from screened
