-- Valid calls rows (spec/sources.md), typed and renamed to the house rules;
-- the current version of each key when the delivery came in loads (D34);
-- contact details out of what reaches the marts (D31).
with

checked as (
    select * from {{ ref('base_support__calls_checked') }}
),

valid_rows as (
    select * from checked
    where is_current
),

renamed as (
    select
        call_id,
        {{ pseudonymise_contact_id('customer_id', 'cust_') }} as customer_id,
        {{ pseudonymise_contact_id('agent_id', 'agent_') }} as agent_id,
        ticket_id,
        {{ redact_contact_details('queue') }} as queue,
        direction,
        parsed_offered_at as offered_at,
        parsed_answered_at as answered_at,
        parsed_ended_at as ended_at,
        parsed_talk_seconds as talk_seconds,
        parsed_hold_seconds as hold_seconds,
        parsed_after_call_work_seconds as after_call_work_seconds,
        parsed_transferred as is_transferred,
        parsed_is_resolved as is_resolved
    from valid_rows
)

select * from renamed
