-- The first and last UTC date on which the valid data has any timestamp: the
-- range of the date spine. (The business-time calendar spans the ticket data
-- only: int_ticket_dates_bounded.)
with

ticket_bounds as (
    select * from {{ ref('int_ticket_dates_bounded') }}
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
        cast(first_date as timestamp) as first_at,
        cast(last_date as timestamp) as last_at
    from ticket_bounds
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
