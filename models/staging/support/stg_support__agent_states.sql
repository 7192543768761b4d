-- Valid agent_states rows (spec/sources.md), typed and renamed to the house rules;
-- the current version of each key when the delivery came in loads (D34);
-- contact details out of what reaches the marts (D31).
with

checked as (
    select * from {{ ref('base_support__agent_states_checked') }}
),

valid_rows as (
    select * from checked
    where is_current
),

renamed as (
    select
        agent_state_id,
        {{ pseudonymise_contact_id('agent_id', 'agent_') }} as agent_id,
        state,
        parsed_started_at as started_at,
        parsed_ended_at as ended_at
    from valid_rows
)

select * from renamed
