-- Valid tickets rows (spec/sources.md), typed and renamed to the house rules;
-- the current version of each key when the delivery came in loads (D34);
-- contact details out of what reaches the marts (D31).
with

checked as (
    select * from {{ ref('base_support__tickets_checked') }}
),

valid_rows as (
    select * from checked
    where is_current
),

renamed as (
    select
        ticket_id,
        {{ pseudonymise_contact_id('customer_id', 'cust_') }} as customer_id,
        channel,
        direction,
        {{ redact_contact_details('category') }} as category,
        priority,
        status,
        {{ redact_contact_details('team') }} as team,
        {{ pseudonymise_contact_id('assignee_agent_id', 'agent_') }} as assignee_agent_id,
        parsed_created_at as created_at,
        parsed_updated_at as updated_at
    from valid_rows
)

select * from renamed
