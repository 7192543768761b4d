-- Valid ticket_messages rows (spec/sources.md), typed and renamed to the house rules;
-- the current version of each key when the delivery came in loads (D34);
-- contact details out of what reaches the marts (D31).
with

checked as (
    select * from {{ ref('base_support__ticket_messages_checked') }}
),

valid_rows as (
    select * from checked
    where is_current
),

renamed as (
    select
        message_id,
        ticket_id,
        author_type,
        case author_type
            when 'customer' then {{ pseudonymise_contact_id('author_id', 'cust_') }}
            when 'agent' then {{ pseudonymise_contact_id('author_id', 'agent_') }}
            else author_id
        end as author_id,
        parsed_is_public as is_public,
        parsed_sent_at as sent_at
    from valid_rows
)

select * from renamed
