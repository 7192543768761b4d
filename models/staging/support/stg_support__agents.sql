-- Valid agents rows (spec/sources.md), typed and renamed to the house rules;
-- the current version of each key when the delivery came in loads (D34);
-- contact details out of what reaches the marts (D31).
with

checked as (
    select * from {{ ref('base_support__agents_checked') }}
),

valid_rows as (
    select * from checked
    where is_current
),

renamed as (
    select
        {{ pseudonymise_contact_id('agent_id', 'agent_') }} as agent_id,
        full_name,
        email,
        {{ redact_contact_details('team') }} as team,
        parsed_hired_at as hired_date,
        parsed_terminated_at as terminated_date
    from valid_rows
)

select * from renamed
