-- Invalid agent_states rows, with their raw values and why they were kept out.
with

checked as (
    select * from {{ ref('base_support__agent_states_checked') }}
),

quarantined as (
    select * from checked
    where reason_code is not null
)

select * from quarantined
