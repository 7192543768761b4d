-- One row per hour and queue with offered inbound calls: the offered load,
-- the agents Erlang C requires to reach the service-level target, the
-- agents staffed from the shifts, and the gap (spec/kpis.md, "Staffing by
-- interval"; D18). Erlang C is computed in portable SQL: for each interval,
-- the Poisson terms p(k) = exp(k ln A - ln k! - A) for k = 0 .. A + 10 sqrt(A)
-- + 30 (ln k! as a window sum of ln i), and for each candidate N > A
--   C(N, A) = p(N) N / (N - A) / (sum of p(k), k < N, + p(N) N / (N - A)),
--   service level(N) = 1 - C(N, A) exp(-(N - A) T / H);
-- the required agents are the smallest such N whose service level reaches
-- the target.
{%- set target = var('service_level_target') | float -%}
{%- if not (0 < target < 1) -%}
    {{ exceptions.raise_compiler_error(
        "var service_level_target must be a fraction between 0 and 1 (exclusive), got "
        ~ var('service_level_target')) }}
{%- endif %}
with

calls as (
    select * from {{ ref('fct_calls') }}
),

shift_pieces as (
    select * from {{ ref('int_agent_shift_pieces_merged') }}
),

agents as (
    select * from {{ ref('stg_support__agents') }}
),

queued_calls as (
    -- Inbound calls that entered a queue (a call without one has no
    -- interval to be staffed for).
    select
        queue,
        date_trunc('hour', offered_at) as interval_started_at,
        is_answered,
        is_within_service_level,
        handle_seconds
    from calls
    where is_inbound and queue is not null
),

queue_handle as (
    select
        queue,
        avg(handle_seconds) as queue_mean_handle_seconds
    from queued_calls
    where is_answered
    group by queue
),

intervals as (
    select
        queue,
        interval_started_at,
        count(*) as count_offered_calls,
        count(case when is_answered then 1 end) as count_answered_calls,
        count(case when is_within_service_level then 1 end) as count_answered_within_service_level,
        avg(case when is_answered then handle_seconds end) as interval_mean_handle_seconds
    from queued_calls
    group by queue, interval_started_at
),

loaded as (
    select
        intervals.queue,
        intervals.interval_started_at,
        intervals.count_offered_calls,
        intervals.count_answered_calls,
        intervals.count_answered_within_service_level,
        coalesce(
            intervals.interval_mean_handle_seconds, queue_handle.queue_mean_handle_seconds
        ) as mean_handle_seconds,
        intervals.count_offered_calls
        * coalesce(intervals.interval_mean_handle_seconds, queue_handle.queue_mean_handle_seconds)
        / 3600.0 as offered_load_erlangs
    from intervals
    left join queue_handle
        on intervals.queue = queue_handle.queue
),

candidates as (
    -- k = 0 .. A + 10 sqrt(A) + 30 per interval with a positive load.
    select
        queue,
        interval_started_at,
        offered_load_erlangs,
        mean_handle_seconds,
        {{ expand_integers(
            '0',
            'cast(floor(offered_load_erlangs + 10 * sqrt(offered_load_erlangs)) as bigint) + 30',
        ) }} as agent_count
    from loaded
    where offered_load_erlangs > 0
),

log_factorials as (
    select
        *,
        sum(case when agent_count = 0 then 0 else ln(agent_count) end) over (
            partition by queue, interval_started_at
            order by agent_count
            rows between unbounded preceding and current row
        ) as log_factorial
    from candidates
),

poisson_terms as (
    select
        *,
        exp(agent_count * ln(offered_load_erlangs) - log_factorial - offered_load_erlangs) as poisson_term
    from log_factorials
),

poisson_sums as (
    select
        *,
        sum(poisson_term) over (
            partition by queue, interval_started_at
            order by agent_count
            rows between unbounded preceding and 1 preceding
        ) as poisson_sum_below
    from poisson_terms
),

erlang_c as (
    select
        queue,
        interval_started_at,
        agent_count,
        poisson_term * agent_count / (agent_count - offered_load_erlangs)
        / (
            coalesce(poisson_sum_below, 0)
            + poisson_term * agent_count / (agent_count - offered_load_erlangs)
        ) as wait_probability,
        offered_load_erlangs,
        mean_handle_seconds
    from poisson_sums
    where agent_count > offered_load_erlangs
),

service_levels as (
    select
        queue,
        interval_started_at,
        agent_count,
        1 - wait_probability * exp(
            -(agent_count - offered_load_erlangs) * {{ var('service_level_seconds') }} / mean_handle_seconds
        ) as service_level
    from erlang_c
),

required as (
    select
        queue,
        interval_started_at,
        min(agent_count) as required_agents
    from service_levels
    where service_level >= {{ target }}
    group by queue, interval_started_at
),

team_shift_pieces as (
    select
        agents.team,
        shift_pieces.piece_started_at,
        shift_pieces.piece_ended_at
    from shift_pieces
    inner join agents
        on shift_pieces.agent_id = agents.agent_id
),

shift_hours as (
    select
        team,
        piece_started_at,
        piece_ended_at,
        {{ expand_hours(
            "date_trunc('hour', piece_started_at)",
            "date_trunc('hour', piece_ended_at)",
        ) }} as interval_started_at
    from team_shift_pieces
),

staffed as (
    -- Each agent counts by the fraction of the hour their shifts cover.
    select
        team as queue,
        interval_started_at,
        cast(sum(
            {{ microseconds_between(
                'case when piece_started_at > interval_started_at'
                ~ ' then piece_started_at else interval_started_at end',
                'case when piece_ended_at < ' ~ add_minutes('interval_started_at', 60)
                ~ ' then piece_ended_at else ' ~ add_minutes('interval_started_at', 60) ~ ' end',
            ) }}
        ) as double) / 3600000000 as staffed_agents
    from shift_hours
    where piece_ended_at > interval_started_at
    group by team, interval_started_at
),

compared as (
    select
        loaded.queue,
        loaded.interval_started_at,
        cast(loaded.interval_started_at as date) as interval_date,
        {{ day_of_week('cast(loaded.interval_started_at as date)') }} as interval_weekday,
        cast(extract(hour from loaded.interval_started_at) as integer) as interval_hour,
        loaded.count_offered_calls,
        loaded.count_answered_calls,
        loaded.count_answered_within_service_level,
        loaded.mean_handle_seconds,
        loaded.offered_load_erlangs,
        case
            when loaded.offered_load_erlangs = 0 then 1
            else required.required_agents
        end as required_agents,
        coalesce(staffed.staffed_agents, 0) as staffed_agents
    from loaded
    left join required
        on
            loaded.queue = required.queue
            and loaded.interval_started_at = required.interval_started_at
    left join staffed
        on
            loaded.queue = staffed.queue
            and loaded.interval_started_at = staffed.interval_started_at
),

gapped as (
    select
        *,
        staffed_agents - required_agents as staffing_gap_agents,
        staffed_agents < required_agents as is_understaffed
    from compared
)

select * from gapped
