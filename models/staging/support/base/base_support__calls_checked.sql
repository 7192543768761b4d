-- Each distinct delivered call row with the first contract rule it breaks.
{%- set offered_at = parse_utc_timestamp('offered_at') -%}
{%- set answered_at = parse_utc_timestamp('answered_at') -%}
{%- set ended_at = parse_utc_timestamp('ended_at') -%}
{%- set rules = key_rules('call_id')
    + missing_value_rules([
        'direction', 'offered_at', 'ended_at', 'talk_seconds', 'hold_seconds',
        'after_call_work_seconds', 'transferred',
    ])
    + format_rules({
        'offered_at': 'timestamp',
        'answered_at': 'timestamp',
        'ended_at': 'timestamp',
        'talk_seconds': 'integer',
        'hold_seconds': 'integer',
        'after_call_work_seconds': 'integer',
        'transferred': 'boolean',
        'is_resolved': 'boolean',
    })
    + value_set_rules({'direction': ['inbound', 'outbound']})
    + plausible_timestamp_rules({
        'offered_at': clock_skew_hours(),
        'answered_at': clock_skew_hours(),
        'ended_at': clock_skew_hours(),
    })
    + [
        ('out_of_range', 'talk_seconds', parse_integer('talk_seconds') ~ ' < 0'),
        ('out_of_range', 'hold_seconds', parse_integer('hold_seconds') ~ ' < 0'),
        (
            'out_of_range', 'after_call_work_seconds',
            parse_integer('after_call_work_seconds') ~ ' < 0'
        ),
        ('timestamp_order', 'answered_at', answered_at ~ ' < ' ~ offered_at),
        ('timestamp_order', 'ended_at', ended_at ~ ' < coalesce(' ~ answered_at ~ ', ' ~ offered_at ~ ')'),
        ('inconsistent_value', 'is_resolved', 'answered_at is null and is_resolved is not null'),
        (
            'inconsistent_value', 'talk_seconds',
            'answered_at is null and ' ~ parse_integer('talk_seconds') ~ ' <> 0'
        ),
    ]
    + reference_rules(
        'customer_id', 'valid_customers.valid_customer_id', 'quarantined_customers.customer_reason_code'
    )
    + reference_rules('agent_id', 'valid_agents.valid_agent_id', 'quarantined_agents.agent_reason_code') %}

with

delivered as (
    select * from {{ ref('base_support__calls') }}
),

valid_customers as (
    {{ valid_parent_keys('customer', 'customers') }}
),

valid_agents as (
    {{ valid_parent_keys('agent', 'agents') }}
),

quarantined_customers as (
    {{ quarantined_parent_keys('customer', 'customers') }}
),

quarantined_agents as (
    {{ quarantined_parent_keys('agent', 'agents') }}
),

distinct_rows as (
    {{ collapse_exact_duplicates('delivered', 'calls') }}
),

checked as (
    select
        distinct_rows.*,
        {{ first_failing_rule_number(rules) }}
    from distinct_rows
    left join valid_customers
        on distinct_rows.customer_id = valid_customers.valid_customer_id
    left join valid_agents
        on distinct_rows.agent_id = valid_agents.valid_agent_id
    left join quarantined_customers
        on distinct_rows.customer_id = quarantined_customers.quarantined_customer_id
    left join quarantined_agents
        on distinct_rows.agent_id = quarantined_agents.quarantined_agent_id
),

reasoned as (
    {{ select_with_reason('checked', 'calls', rules) }}
)

select * from reasoned
