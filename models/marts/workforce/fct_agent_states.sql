-- One row per valid agent state interval, with the minutes it counts for
-- after the overlap rule (spec/sources.md, agent_states): the quality suite
-- flags the agents whose intervals overlap.
with

states as (
    select * from {{ ref('stg_support__agent_states') }}
),

pieces as (
    select * from {{ ref('int_agent_state_pieces_resolved') }}
),

agents as (
    select * from {{ ref('stg_support__agents') }}
),

counted as (
    select
        agent_state_id,
        cast(sum(piece_microseconds) as double) / 60000000 as counted_calendar_minutes
    from pieces
    group by agent_state_id
),

overlapping as (
    -- Intervals that share time with another interval of the same agent
    -- (each interval's next one by start is enough: if any later interval
    -- overlaps it, the next one starts no later than that one).
    select
        agent_state_id,
        agent_id,
        started_at,
        ended_at,
        lead(started_at) over (
            partition by agent_id
            order by started_at, agent_state_id
        ) as next_started_at,
        max(ended_at) over (
            partition by agent_id
            order by started_at, agent_state_id
            rows between unbounded preceding and 1 preceding
        ) as earlier_ended_at
    from states
),

measured as (
    select
        states.agent_state_id,
        states.agent_id,
        agents.team,
        states.state,
        states.state in {{ productive_states_sql() }} as is_productive,
        states.state in {{ handling_states_sql() }} as is_handling,
        states.started_at,
        cast(states.started_at as date) as started_date,
        states.ended_at,
        {{ seconds_between('states.started_at', 'states.ended_at') }} / 60 as duration_calendar_minutes,
        coalesce(counted.counted_calendar_minutes, 0) as counted_calendar_minutes,
        coalesce(
            overlapping.next_started_at < states.ended_at
            or overlapping.earlier_ended_at > states.started_at,
            false
        ) as is_overlapping
    from states
    inner join agents
        on states.agent_id = agents.agent_id
    inner join overlapping
        on states.agent_state_id = overlapping.agent_state_id
    left join counted
        on states.agent_state_id = counted.agent_state_id
)

select * from measured
