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
    select customer_id as valid_customer_id from {{ ref('base_support__customers_checked') }}
    where reason_code is null
),

valid_agents as (
    select agent_id as valid_agent_id from {{ ref('base_support__agents_checked') }}
    where reason_code is null
),

quarantined_customers as (
    select
        customer_id as quarantined_customer_id,
        min(reason_code) as customer_reason_code
    from {{ ref('quarantine_support__customers') }}
    where customer_id is not null
    group by customer_id
),

quarantined_agents as (
    select
        agent_id as quarantined_agent_id,
        min(reason_code) as agent_reason_code
    from {{ ref('quarantine_support__agents') }}
    where agent_id is not null
    group by agent_id
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
