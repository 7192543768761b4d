-- Valid ticket_events rows (spec/sources.md), typed and renamed to the house rules.
with

checked as (
    select * from {{ ref('base_support__ticket_events_checked') }}
),

valid_rows as (
    select * from checked
    where reason_code is null
),

renamed as (
    select
        event_id,
        ticket_id,
        {{ parse_utc_timestamp('event_at') }} as event_at,
        event_type,
        from_value,
        to_value,
        actor_agent_id
    from valid_rows
)

select * from renamed
