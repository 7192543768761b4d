-- Each distinct delivered ticket row with the first contract rule it breaks.
{%- set created_at = parse_utc_timestamp('created_at') -%}
{%- set rules = key_rules('ticket_id')
    + missing_value_rules([
        'customer_id', 'channel', 'direction', 'priority', 'status', 'created_at', 'updated_at',
    ])
    + format_rules({'created_at': 'timestamp', 'updated_at': 'timestamp'})
    + value_set_rules({
        'channel': ['email', 'chat', 'phone', 'sms', 'whatsapp', 'social', 'web_form'],
        'direction': ['inbound', 'outbound'],
        'priority': ['low', 'normal', 'high', 'urgent'],
        'status': ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'],
    })
    + plausible_timestamp_rules({'created_at': 0, 'updated_at': clock_skew_hours()})
    + [
        (
            'timestamp_order', 'updated_at',
            parse_utc_timestamp('updated_at') ~ ' < ' ~ created_at
        ),
    ]
    + reference_rules(
        'customer_id', 'valid_customers.valid_customer_id', 'quarantined_customers.customer_reason_code'
    )
    + reference_rules(
        'assignee_agent_id', 'valid_agents.valid_agent_id', 'quarantined_agents.agent_reason_code'
    ) %}

with

delivered as (
    select * from {{ ref('base_support__tickets') }}
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
    {{ collapse_exact_duplicates('delivered', 'tickets') }}
),

checked as (
    select
        distinct_rows.*,
        {{ first_failing_rule_number(rules) }}
    from distinct_rows
    left join valid_customers
        on distinct_rows.customer_id = valid_customers.valid_customer_id
    left join valid_agents
        on distinct_rows.assignee_agent_id = valid_agents.valid_agent_id
    left join quarantined_customers
        on distinct_rows.customer_id = quarantined_customers.quarantined_customer_id
    left join quarantined_agents
        on distinct_rows.assignee_agent_id = quarantined_agents.quarantined_agent_id
),

reasoned as (
    {{ select_with_reason('checked', 'tickets', rules) }}
)

select * from reasoned
