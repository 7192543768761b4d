-- One row per valid worked shift, with its hours (solved_per_shift_hour's
-- denominator is the hours of shifts starting in the period).
with

shifts as (
    select * from {{ ref('stg_support__agent_shifts') }}
),

agents as (
    select * from {{ ref('stg_support__agents') }}
),

measured as (
    select
        shifts.shift_id,
        shifts.agent_id,
        agents.team,
        shifts.shift_started_at,
        cast(shifts.shift_started_at as date) as shift_started_date,
        shifts.shift_ended_at,
        {{ seconds_between('shifts.shift_started_at', 'shifts.shift_ended_at') }} / 3600 as shift_hours
    from shifts
    inner join agents
        on shifts.agent_id = agents.agent_id
)

select * from measured
