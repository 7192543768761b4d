-- Valid tickets rows (spec/sources.md), typed and renamed to the house rules.
with

checked as (
    select * from {{ ref('base_support__tickets_checked') }}
),

valid_rows as (
    select * from checked
    where reason_code is null
),

renamed as (
    select
        ticket_id,
        customer_id,
        channel,
        direction,
        category,
        priority,
        status,
        team,
        assignee_agent_id,
        {{ parse_utc_timestamp('created_at') }} as created_at,
        {{ parse_utc_timestamp('updated_at') }} as updated_at
    from valid_rows
)

select * from renamed
