-- Valid agents rows (spec/sources.md), typed and renamed to the house rules.
with

checked as (
    select * from {{ ref('base_support__agents_checked') }}
),

valid_rows as (
    select * from checked
    where reason_code is null
),

renamed as (
    select
        agent_id,
        full_name,
        email,
        team,
        {{ parse_date('hired_at') }} as hired_date,
        {{ parse_date('terminated_at') }} as terminated_date
    from valid_rows
)

select * from renamed
