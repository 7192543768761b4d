-- One row per agent and calendar month of the data (spec/kpis.md,
-- agent_turnover_rate and active_agents): headcount on the month's first and
-- last day (hired_date <= D and (terminated_date null or > D)), whether the
-- agent's termination falls in the month, and their shifts starting in it.
-- headcount_mean_contribution sums to the mean of the two headcounts.
with

agents as (
    select * from {{ ref('stg_support__agents') }}
),

shifts as (
    select * from {{ ref('fct_agent_shifts') }}
),

dates as (
    select * from {{ ref('dim_dates') }}
),

months as (
    select distinct
        month_start_date,
        cast(month_start_date + interval '1 month' - interval '1 day' as date) as month_end_date
    from dates
),

shift_months as (
    select
        agent_id,
        cast(date_trunc('month', shift_started_at) as date) as month_start_date,
        count(*) as count_shifts,
        sum(shift_hours) as shift_hours
    from shifts
    group by agent_id, cast(date_trunc('month', shift_started_at) as date)
),

agent_months as (
    select
        agents.agent_id,
        agents.team,
        months.month_start_date,
        months.month_end_date,
        agents.hired_date <= months.month_start_date
        and (agents.terminated_date is null or agents.terminated_date > months.month_start_date)
            as is_employed_first_day,
        agents.hired_date <= months.month_end_date
        and (agents.terminated_date is null or agents.terminated_date > months.month_end_date)
            as is_employed_last_day,
        coalesce(
            agents.terminated_date between months.month_start_date and months.month_end_date, false
        ) as is_terminated_in_month
    from agents
    cross join months
),

measured as (
    select
        agent_months.agent_id,
        agent_months.team,
        agent_months.month_start_date,
        agent_months.is_employed_first_day,
        agent_months.is_employed_last_day,
        agent_months.is_terminated_in_month,
        cast(
            case when agent_months.is_employed_first_day then 1 else 0 end
            + case when agent_months.is_employed_last_day then 1 else 0 end
            as double
        ) / 2 as headcount_mean_contribution,
        coalesce(shift_months.count_shifts, 0) as count_shifts,
        coalesce(shift_months.shift_hours, 0) as shift_hours,
        coalesce(shift_months.count_shifts, 0) > 0 as is_active
    from agent_months
    left join shift_months
        on
            agent_months.agent_id = shift_months.agent_id
            and agent_months.month_start_date = shift_months.month_start_date
)

select * from measured
