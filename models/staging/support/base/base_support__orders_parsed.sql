-- Each distinct delivered order row of a load (exact duplicates
-- collapsed), its typed values parsed once, with the first row-local contract
-- rule it breaks; incremental like its reader: a build parses and checks only
-- the loads it has not processed yet (D36).
{%- set contract_rules = support_contract_rules('orders') -%}
{{ config(
    materialized=support_intake_materialization(),
    pre_hook="{{ support_intake_replace('orders') }}",
) }}

with

delivered as (
    select * from {{ ref('base_support__orders') }}
    where {{ support_intake_new_rows('orders') }}
),

distinct_rows as (
    {{ collapse_exact_duplicates('delivered', 'orders') }}
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
