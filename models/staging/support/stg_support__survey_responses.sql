-- Valid survey_responses rows (spec/sources.md), typed and renamed to the house rules;
-- the current version of each key when the delivery came in loads (D34);
-- contact details out of what reaches the marts (D31).
with

checked as (
    select * from {{ ref('base_support__survey_responses_checked') }}
),

valid_rows as (
    select * from checked
    where is_current
),

renamed as (
    select
        response_id,
        survey_type,
        {{ pseudonymise_contact_id('customer_id', 'cust_') }} as customer_id,
        ticket_id,
        call_id,
        parsed_sent_at as sent_at,
        parsed_responded_at as responded_at,
        parsed_score as score,
        comment
    from valid_rows
)

select * from renamed
