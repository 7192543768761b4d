-- One row per agent and UTC date with state or shift minutes: the parts of
-- the agent-state KPIs (spec/kpis.md: occupancy, utilisation, login
-- adherence, shrinkage). State minutes follow the overlap rule
-- (int_agent_state_pieces_resolved); shift minutes are the merged shifts
-- (int_agent_shift_pieces_merged); both are cut at UTC midnight.
with

state_pieces as (
    select * from {{ ref('int_agent_state_pieces_resolved') }}
),

shift_pieces as (
    select * from {{ ref('int_agent_shift_pieces_merged') }}
),

agents as (
    select * from {{ ref('stg_support__agents') }}
),

state_minutes as (
    select
        agent_id,
        piece_date as activity_date,
        sum(piece_microseconds) as state_microseconds,
        sum(
            case when state in {{ productive_states_sql() }} then piece_microseconds else 0 end
        ) as productive_microseconds,
        sum(
            case when state in {{ handling_states_sql() }} then piece_microseconds else 0 end
        ) as handling_microseconds
    from state_pieces
    group by agent_id, piece_date
),

shift_minutes as (
    select
        agent_id,
        piece_date as activity_date,
        sum({{ microseconds_between('piece_started_at', 'piece_ended_at') }}) as shift_microseconds
    from shift_pieces
    group by agent_id, piece_date
),

states_in_shifts as (
    -- The part of each state piece inside the agent's shift time that day.
    select
        state_pieces.agent_id,
        state_pieces.piece_date as activity_date,
        state_pieces.state,
        {{ microseconds_between(
            'case when state_pieces.piece_started_at > shift_pieces.piece_started_at'
            ~ ' then state_pieces.piece_started_at else shift_pieces.piece_started_at end',
            'case when state_pieces.piece_ended_at < shift_pieces.piece_ended_at'
            ~ ' then state_pieces.piece_ended_at else shift_pieces.piece_ended_at end',
        ) }} as in_shift_microseconds
    from state_pieces
    inner join shift_pieces
        on
            state_pieces.agent_id = shift_pieces.agent_id
            and state_pieces.piece_date = shift_pieces.piece_date
            and state_pieces.piece_started_at < shift_pieces.piece_ended_at
            and state_pieces.piece_ended_at > shift_pieces.piece_started_at
),

in_shift_minutes as (
    select
        agent_id,
        activity_date,
        sum(
            case when state in {{ handling_states_sql() }} then in_shift_microseconds else 0 end
        ) as handling_in_shift_microseconds,
        sum(
            case when state in {{ productive_states_sql() }} then in_shift_microseconds else 0 end
        ) as productive_in_shift_microseconds,
        sum(
            case when state <> 'offline' then in_shift_microseconds else 0 end
        ) as logged_in_in_shift_microseconds
    from states_in_shifts
    group by agent_id, activity_date
),

agent_days as (
    select
        agent_id,
        activity_date
    from state_minutes
    union
    select
        agent_id,
        activity_date
    from shift_minutes
),

state_data_dates as (
    -- The delivery's agent-state data spans these UTC dates (D18): shift
    -- minutes outside them are not judged against states that were never
    -- delivered.
    select
        min(piece_date) as first_date,
        max(piece_date) as last_date
    from state_pieces
),

combined as (
    select
        agent_days.agent_id,
        agents.team,
        agent_days.activity_date,
        coalesce(
            agent_days.activity_date between state_data_dates.first_date and state_data_dates.last_date,
            false
        ) as has_state_data,
        coalesce(cast(state_minutes.state_microseconds as double) / 60000000, 0) as state_calendar_minutes,
        coalesce(cast(state_minutes.productive_microseconds as double) / 60000000, 0) as productive_calendar_minutes,
        coalesce(cast(state_minutes.handling_microseconds as double) / 60000000, 0) as handling_calendar_minutes,
        coalesce(cast(shift_minutes.shift_microseconds as double) / 60000000, 0) as shift_calendar_minutes,
        coalesce(cast(in_shift_minutes.handling_in_shift_microseconds as double) / 60000000, 0)
            as handling_in_shift_calendar_minutes,
        coalesce(cast(in_shift_minutes.productive_in_shift_microseconds as double) / 60000000, 0)
            as productive_in_shift_calendar_minutes,
        coalesce(cast(in_shift_minutes.logged_in_in_shift_microseconds as double) / 60000000, 0)
            as logged_in_in_shift_calendar_minutes
    from agent_days
    inner join agents
        on agent_days.agent_id = agents.agent_id
    cross join state_data_dates
    left join state_minutes
        on
            agent_days.agent_id = state_minutes.agent_id
            and agent_days.activity_date = state_minutes.activity_date
    left join shift_minutes
        on
            agent_days.agent_id = shift_minutes.agent_id
            and agent_days.activity_date = shift_minutes.activity_date
    left join in_shift_minutes
        on
            agent_days.agent_id = in_shift_minutes.agent_id
            and agent_days.activity_date = in_shift_minutes.activity_date
)

select * from combined
