-- The first and last UTC date on which the valid data has any timestamp:
-- the range of the date spine and of the expanded opening windows.
with

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

ticket_events as (
    select * from {{ ref('stg_support__ticket_events') }}
),

ticket_messages as (
    select * from {{ ref('stg_support__ticket_messages') }}
),

calls as (
    select * from {{ ref('stg_support__calls') }}
),

survey_responses as (
    select * from {{ ref('stg_support__survey_responses') }}
),

orders as (
    select * from {{ ref('stg_support__orders') }}
),

agent_shifts as (
    select * from {{ ref('stg_support__agent_shifts') }}
),

timestamps as (
    select
        min(created_at) as first_at,
        max(updated_at) as last_at
    from tickets
    union all
    select
        min(event_at) as first_at,
        max(event_at) as last_at
    from ticket_events
    union all
    select
        min(sent_at) as first_at,
        max(sent_at) as last_at
    from ticket_messages
    union all
    select
        min(offered_at) as first_at,
        max(ended_at) as last_at
    from calls
    union all
    select
        min(sent_at) as first_at,
        max(coalesce(responded_at, sent_at)) as last_at
    from survey_responses
    union all
    select
        min(ordered_at) as first_at,
        max(ordered_at) as last_at
    from orders
    union all
    select
        min(shift_started_at) as first_at,
        max(shift_ended_at) as last_at
    from agent_shifts
),

bounds as (
    select
        cast(min(first_at) as date) as first_date,
        cast(max(last_at) as date) as last_date
    from timestamps
)

select * from bounds
