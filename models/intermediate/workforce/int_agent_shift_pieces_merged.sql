-- One row per piece of an agent's shift time per UTC date: the agent's
-- shifts merged where they overlap or touch (a minute inside two shifts is
-- one shift minute), then cut at UTC midnight (spec/kpis.md, agent-state
-- KPIs: "shift minutes are the minutes inside the agent's agent_shifts").
with

shifts as (
    select * from {{ ref('stg_support__agent_shifts') }}
),

ordered as (
    select
        agent_id,
        shift_started_at,
        shift_ended_at,
        max(shift_ended_at) over (
            partition by agent_id
            order by shift_started_at, shift_ended_at
            rows between unbounded preceding and 1 preceding
        ) as previous_ended_at
    from shifts
),

islands_numbered as (
    select
        agent_id,
        shift_started_at,
        shift_ended_at,
        sum(
            case
                when previous_ended_at is null or shift_started_at > previous_ended_at then 1
                else 0
            end
        ) over (
            partition by agent_id
            order by shift_started_at, shift_ended_at
            rows between unbounded preceding and current row
        ) as island_number
    from ordered
),

merged as (
    select
        agent_id,
        island_number,
        min(shift_started_at) as shift_started_at,
        max(shift_ended_at) as shift_ended_at
    from islands_numbered
    group by agent_id, island_number
),

cut_at_midnight as (
    {{ split_at_utc_midnight('merged', 'shift_started_at', 'shift_ended_at') }}
),

pieces as (
    select
        agent_id,
        piece_date,
        piece_started_at,
        piece_ended_at
    from cut_at_midnight
)

select * from pieces
