-- One row per valid agent. The display name is the only PII allowed in a
-- mart (for scorecards), with any e-mail address or phone number in it
-- redacted (D31); the email never leaves staging.
with

agents as (
    select * from {{ ref('stg_support__agents') }}
),

dimension as (
    select
        agent_id,
        {{ redact_contact_details('full_name') }} as agent_name,
        team,
        hired_date,
        terminated_date
    from agents
)

select * from dimension
