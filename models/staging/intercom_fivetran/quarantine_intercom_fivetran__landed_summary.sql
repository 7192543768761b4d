-- Per landed Intercom table: rows landed, mapped and deliberately not mapped
-- (D22). Conservation (landed = mapped + not mapped) is tested on this
-- model; the landed count is taken from the landed table itself.
{{ config(schema='quarantine') }}
with

landed_rows as (
    select * from {{ ref('quarantine_intercom_fivetran__landed_rows') }}
),

landed_counts as (
    {{ fivetran_landed_counts('intercom') }}
),

summary as (
    {{ adapter_landed_summary('landed_counts', 'landed_rows', 'count_rows') }}
)

select * from summary
