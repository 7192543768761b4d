-- Each distinct delivered call row of a load (exact duplicates
-- collapsed), its typed values parsed once, with the first row-local contract
-- rule it breaks; incremental like its reader: a build parses and checks only
-- the loads it has not processed yet (D36).
{%- set contract_rules = support_contract_rules('calls') -%}
{{ config(
    materialized=support_intake_materialization(),
    pre_hook="{{ support_intake_replace('calls') }}",
) }}

with

delivered as (
    select * from {{ ref('base_support__calls') }}
    where {{ support_intake_new_rows('calls') }}
),

distinct_rows as (
    {{ collapse_exact_duplicates('delivered', 'calls') }}
),

parsed as (
    select
        distinct_rows.*,
        {{ parsed_columns(contract_rules['formats']) }}
    from distinct_rows
),

screened as (
    select
        parsed.*,
        {{ row_rule_number(contract_rules['rules']) }}
    from parsed
)

select * from screened
