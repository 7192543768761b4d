-- For data stewards: what to fix first in a delivery. `dbt compile` renders
-- it to target/compiled/; run it against the warehouse with any SQL client.
with

reasons as (
    select * from {{ ref('quarantine_support__reasons') }}
),

ranked as (
    select
        table_name,
        reason_code,
        reason_column,
        count_rows,
        rank() over (order by count_rows desc) as fix_order
    from reasons
)

select * from ranked
