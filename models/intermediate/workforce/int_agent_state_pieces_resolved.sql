{#- A table, not a view: resolving the overlaps (a self-join of every agent's
    intervals) is the costliest query of the workforce marts, and
    fct_agent_states, fct_agent_state_days and this model's data tests all read
    it; as a view, each of them recomputed it. -#}
{{ config(materialized='table') }}

-- One row per piece of an agent state interval that counts, per UTC date
-- (spec/kpis.md, agent-state KPIs; sources.md, agent_states): where intervals
-- of one agent overlap, the overlap counts once, for the interval that
-- started later (ties: the larger agent_state_id), so each interval keeps
-- only what no later-started interval covers (D18). Pieces are then cut at
-- UTC midnight and anchored on their UTC date.
with

states as (
    select * from {{ ref('stg_support__agent_states') }}
),

ordered as (
    select
        agent_state_id,
        agent_id,
        state,
        started_at,
        ended_at,
        row_number() over (
            partition by agent_id
            order by started_at, agent_state_id
        ) as state_order
    from states
),

covered_dates as (
    -- The UTC dates each interval covers: a later-started interval that
    -- starts inside it starts on one of them (an equality join, not a scan
    -- of all of the agent's intervals).
    select
        ordered.*,
        {{ expand_days('cast(ordered.started_at as date)', 'cast(ordered.ended_at as date)') }}
            as covered_date
    from ordered
),

later_candidates as (
    select
        agent_id,
        state_order as later_state_order,
        started_at as later_started_at,
        ended_at as later_ended_at,
        cast(started_at as date) as later_started_date
    from ordered
),

later_starts as (
    -- The later-started intervals that start inside an interval, clipped to it.
    select
        covered_dates.agent_state_id,
        covered_dates.started_at,
        covered_dates.ended_at,
        later_candidates.later_started_at as taken_started_at,
        case
            when later_candidates.later_ended_at < covered_dates.ended_at then later_candidates.later_ended_at
            else covered_dates.ended_at
        end as taken_ended_at
    from covered_dates
    inner join later_candidates
        on
            covered_dates.agent_id = later_candidates.agent_id
            and covered_dates.covered_date = later_candidates.later_started_date
            and covered_dates.state_order < later_candidates.later_state_order
            and covered_dates.ended_at > later_candidates.later_started_at
),

taken_in_order as (
    select
        agent_state_id,
        started_at,
        taken_started_at,
        taken_ended_at,
        max(taken_ended_at) over (
            partition by agent_state_id
            order by taken_started_at, taken_ended_at
            rows between unbounded preceding and 1 preceding
        ) as taken_until
    from later_starts
),

pieces_before_takers as (
    -- What the interval keeps before each later-started interval.
    select
        agent_state_id,
        coalesce(taken_until, started_at) as kept_started_at,
        taken_started_at as kept_ended_at
    from taken_in_order
    where taken_started_at > coalesce(taken_until, started_at)
),

taken_until_end as (
    select
        agent_state_id,
        max(taken_ended_at) as taken_until
    from later_starts
    group by agent_state_id
),

last_pieces as (
    -- What the interval keeps after the last later-started interval ends
    -- (the whole interval when none starts inside it).
    select
        ordered.agent_state_id,
        coalesce(taken_until_end.taken_until, ordered.started_at) as kept_started_at,
        ordered.ended_at as kept_ended_at
    from ordered
    left join taken_until_end
        on ordered.agent_state_id = taken_until_end.agent_state_id
    where ordered.ended_at > coalesce(taken_until_end.taken_until, ordered.started_at)
),

kept as (
    select * from pieces_before_takers
    union all
    select * from last_pieces
),

kept_with_state as (
    select
        ordered.agent_state_id,
        ordered.agent_id,
        ordered.state,
        kept.kept_started_at,
        kept.kept_ended_at
    from kept
    inner join ordered
        on kept.agent_state_id = ordered.agent_state_id
),

cut_at_midnight as (
    {{ split_at_utc_midnight('kept_with_state', 'kept_started_at', 'kept_ended_at') }}
),

pieces as (
    select
        agent_state_id,
        agent_id,
        state,
        piece_date,
        piece_started_at,
        piece_ended_at,
        {{ microseconds_between('piece_started_at', 'piece_ended_at') }} as piece_microseconds,
        {{ seconds_between('piece_started_at', 'piece_ended_at') }} / 60 as piece_calendar_minutes
    from cut_at_midnight
)

select * from pieces
