-- Each distinct delivered ticket event row of a load (exact duplicates
-- collapsed), its typed values parsed once, with the first row-local contract
-- rule it breaks; incremental like its reader: a build parses and checks only
-- the loads it has not processed yet (D36).
{%- set contract_rules = support_contract_rules('ticket_events') -%}
{{ config(
    materialized=support_intake_materialization(),
    pre_hook="{{ support_intake_replace('ticket_events') }}",
) }}

with

delivered as (
    select * from {{ ref('base_support__ticket_events') }}
    where {{ support_intake_new_rows('ticket_events') }}
),

distinct_rows as (
    {{ collapse_exact_duplicates('delivered', 'ticket_events') }}
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
