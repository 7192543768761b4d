-- The first and last UTC date on which the valid data has any timestamp: the
-- range of the date spine. (The business-time calendar spans the ticket data
-- only: int_ticket_dates_bounded.) A delivery without valid dated rows (an
-- empty delivery) has null bounds, and the spines are empty.
with

ticket_bounds as (
    select * from {{ ref('int_ticket_dates_bounded') }}
),

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

dated_rows as (
    select count(*) as count_rows from tickets
    union all
    select count(*) as count_rows from ticket_events
    union all
    select count(*) as count_rows from ticket_messages
    union all
    select count(*) as count_rows from calls
    union all
    select count(*) as count_rows from survey_responses
    union all
    select count(*) as count_rows from orders
    union all
    select count(*) as count_rows from agent_shifts
),

dated_rows_counted as (
    select sum(count_rows) as count_dated_rows
    from dated_rows
),

bounds as (
    select
        cast(min(first_at) as date) as first_date,
        cast(max(last_at) as date) as last_date
    from timestamps
),

bounds_counted as (
    select
        bounds.first_date,
        bounds.last_date,
        dated_rows_counted.count_dated_rows
    from bounds
    cross join dated_rows_counted
)

select * from bounds_counted
