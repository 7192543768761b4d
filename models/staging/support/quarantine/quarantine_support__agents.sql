-- Invalid agents rows, with their raw values and why they were kept out.
-- One row per invalid row of its load (D34), with the load it came in.
with

checked as (
    select * from {{ ref('base_support__agents_checked') }}
),

quarantined as (
    {{ quarantined_rows('checked', 'agents') }}
)

select * from quarantined
