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
    + [
        ('out_of_range', 'created_at', created_at ~ ' > ' ~ delivery_time()),
        (
            'timestamp_order', 'updated_at',
            parse_utc_timestamp('updated_at') ~ ' < ' ~ created_at
        ),
        ('dangling_reference', 'customer_id', 'valid_customers.valid_customer_id is null'),
        (
            'dangling_reference', 'assignee_agent_id',
            'assignee_agent_id is not null and valid_agents.valid_agent_id is null'
        ),
    ] %}

with

delivered as (
    select * from {{ ref('base_support__tickets') }}
),

valid_customers as (
    select customer_id as valid_customer_id from {{ ref('stg_support__customers') }}
),

valid_agents as (
    select agent_id as valid_agent_id from {{ ref('stg_support__agents') }}
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
),

reasoned as (
    {{ select_with_reason('checked', 'tickets', rules) }}
)

select * from reasoned
