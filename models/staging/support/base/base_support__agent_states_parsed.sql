-- Each distinct delivered agent state row of a load (exact duplicates
-- collapsed), its typed values parsed once, with the first row-local contract
-- rule it breaks; incremental like its reader: a build parses and checks only
-- the loads it has not processed yet (D36).
{{ config(
    materialized=support_intake_materialization(),
    pre_hook="{{ support_intake_replace('agent_states') }}",
) }}

with

delivered as (
    select * from {{ ref('base_support__agent_states') }}
    where {{ support_intake_new_rows('agent_states') }}
),

screened as (
    {{ screened_rows('delivered', 'agent_states') }}
)

select * from screened
