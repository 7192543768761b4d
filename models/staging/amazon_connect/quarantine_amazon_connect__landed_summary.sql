-- Per landed Amazon Connect table (contact_records): lines landed, mapped and
-- deliberately not mapped (D21). Conservation (landed = mapped + not mapped)
-- is tested on this model; the landed count is taken from the files (or the
-- warehouse table) themselves.
{{ config(schema='quarantine') }}
with

landed as (
    {{ amazon_connect_landed() }}
),

landed_rows as (
    select * from {{ ref('quarantine_amazon_connect__landed_rows') }}
),

landed_counts as (
    select
        'contact_records' as landed_table,
        count(*) as count_landed_rows
    from landed
),

summary as (
    {{ adapter_landed_summary('landed_counts', 'landed_rows') }}
)

select * from summary
