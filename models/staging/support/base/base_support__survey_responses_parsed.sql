-- Each distinct delivered survey response row of a load (exact duplicates
-- collapsed), its typed values parsed once, with the first row-local contract
-- rule it breaks; incremental like its reader: a build parses and checks only
-- the loads it has not processed yet (D36).
{{ config(
    materialized=support_intake_materialization(),
    pre_hook="{{ support_intake_replace('survey_responses') }}",
) }}

with

delivered as (
    select * from {{ ref('base_support__survey_responses') }}
    where {{ support_intake_new_rows('survey_responses') }}
),

screened as (
    {{ screened_rows('delivered', 'survey_responses') }}
)

select * from screened
