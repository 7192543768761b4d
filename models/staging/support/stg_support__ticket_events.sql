-- Valid ticket_events rows (spec/sources.md), typed and renamed to the house rules;
-- the current version of each key when the delivery came in loads (D34);
-- contact details out of what reaches the marts (D31).
with

checked as (
    select * from {{ ref('base_support__ticket_events_checked') }}
),

valid_rows as (
    select * from checked
    where is_current
),

renamed as (
    select
        event_id,
        ticket_id,
        parsed_event_at as event_at,
        event_type,
        case
            when event_type = 'assignment' then {{ pseudonymise_contact_id('from_value', 'agent_') }}
            else {{ redact_contact_details('from_value') }}
        end as from_value,
        case
            when event_type = 'assignment' then {{ pseudonymise_contact_id('to_value', 'agent_') }}
            else {{ redact_contact_details('to_value') }}
        end as to_value,
        {{ pseudonymise_contact_id('actor_agent_id', 'agent_') }} as actor_agent_id
    from valid_rows
)

select * from renamed
