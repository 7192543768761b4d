-- Valid ticket_messages rows (spec/sources.md), typed and renamed to the house rules.
with

checked as (
    select * from {{ ref('base_support__ticket_messages_checked') }}
),

valid_rows as (
    select * from checked
    where reason_code is null
),

renamed as (
    select
        message_id,
        ticket_id,
        author_type,
        author_id,
        {{ parse_boolean('is_public') }} as is_public,
        {{ parse_utc_timestamp('sent_at') }} as sent_at
    from valid_rows
)

select * from renamed
