-- Each distinct delivered shift row with the first contract rule it breaks.
{%- set shift_start = parse_utc_timestamp('shift_start') -%}
{%- set shift_end = parse_utc_timestamp('shift_end') -%}
{%- set rules = key_rules('shift_id')
    + missing_value_rules(['agent_id', 'shift_start', 'shift_end'])
    + format_rules({'shift_start': 'timestamp', 'shift_end': 'timestamp'})
    + plausible_timestamp_rules({
        'shift_start': clock_skew_hours(),
        'shift_end': clock_skew_hours() + (var('max_shift_hours') | float),
    })
    + [
        (
            'out_of_range', 'shift_end',
            shift_end ~ ' > ' ~ shift_start ~ " + interval '" ~ var('max_shift_hours') ~ " hours'"
        ),
        ('timestamp_order', 'shift_end', shift_end ~ ' <= ' ~ shift_start),
    ]
    + reference_rules('agent_id', 'valid_agents.valid_agent_id', 'quarantined_agents.agent_reason_code') %}

with

delivered as (
    select * from {{ ref('base_support__agent_shifts') }}
),

valid_agents as (
    {{ valid_parent_keys('agent', 'agents') }}
),

quarantined_agents as (
    {{ quarantined_parent_keys('agent', 'agents') }}
),

distinct_rows as (
    {{ collapse_exact_duplicates('delivered', 'agent_shifts') }}
),

checked as (
    select
        distinct_rows.*,
        {{ first_failing_rule_number(rules) }}
    from distinct_rows
    left join valid_agents
        on distinct_rows.agent_id = valid_agents.valid_agent_id
    left join quarantined_agents
        on distinct_rows.agent_id = quarantined_agents.quarantined_agent_id
),

reasoned as (
    {{ select_with_reason('checked', 'agent_shifts', rules) }}
)

select * from reasoned
