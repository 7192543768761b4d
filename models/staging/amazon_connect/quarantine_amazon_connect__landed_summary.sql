-- Per landed Amazon Connect table (contact_records): lines landed, mapped and
-- deliberately not mapped (D19). Conservation (landed = mapped + not mapped)
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

outcome_counts as (
    select
        landed_table,
        cast(sum(case when outcome = 'mapped' then 1 else 0 end) as bigint) as count_mapped_rows,
        cast(sum(case when outcome = 'not_mapped' then 1 else 0 end) as bigint) as count_not_mapped_rows
    from landed_rows
    group by landed_table
),

summary as (
    select
        landed_counts.landed_table,
        landed_counts.count_landed_rows,
        coalesce(outcome_counts.count_mapped_rows, 0) as count_mapped_rows,
        coalesce(outcome_counts.count_not_mapped_rows, 0) as count_not_mapped_rows
    from landed_counts
    left join outcome_counts
        on landed_counts.landed_table = outcome_counts.landed_table
)

select * from summary
