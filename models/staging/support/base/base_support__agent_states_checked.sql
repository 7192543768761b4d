-- Each distinct delivered agent state row with the first contract rule it breaks.
{%- set started_at = parse_utc_timestamp('started_at') -%}
{%- set ended_at = parse_utc_timestamp('ended_at') -%}
{%- set rules = key_rules('agent_state_id')
    + missing_value_rules(['agent_id', 'state', 'started_at', 'ended_at'])
    + format_rules({'started_at': 'timestamp', 'ended_at': 'timestamp'})
    + value_set_rules({'state': agent_state_values()})
    + plausible_timestamp_rules({
        'started_at': 0,
        'ended_at': clock_skew_hours() + (var('max_state_hours') | float),
    })
    + [
        (
            'out_of_range', 'ended_at',
            ended_at ~ ' > ' ~ started_at ~ " + interval '" ~ var('max_state_hours') ~ " hours'"
        ),
        ('timestamp_order', 'ended_at', ended_at ~ ' <= ' ~ started_at),
    ]
    + reference_rules('agent_id', 'valid_agents.valid_agent_id', 'quarantined_agents.agent_reason_code') %}

with

delivered as (
    select * from {{ ref('base_support__agent_states') }}
),

valid_agents as (
    {{ valid_parent_keys('agent', 'agents') }}
),

quarantined_agents as (
    {{ quarantined_parent_keys('agent', 'agents') }}
),

distinct_rows as (
    {{ collapse_exact_duplicates('delivered', 'agent_states') }}
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
    {{ select_with_reason('checked', 'agent_states', rules) }}
)

select * from reasoned
