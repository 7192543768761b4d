-- Each distinct delivered message row with the first contract rule it breaks.
{%- set rules = key_rules('message_id')
    + missing_value_rules(['ticket_id', 'author_type', 'is_public', 'sent_at'])
    + format_rules({'is_public': 'boolean', 'sent_at': 'timestamp'})
    + value_set_rules({'author_type': ['customer', 'agent', 'bot', 'system']})
    + plausible_timestamp_rules({'sent_at': clock_skew_hours()})
    + [
        (
            'inconsistent_value', 'author_id',
            "author_type in ('customer', 'agent') and author_id is null"
        ),
        (
            'inconsistent_value', 'author_id',
            "author_type in ('bot', 'system') and author_id is not null"
        ),
    ]
    + reference_rules('ticket_id', 'valid_tickets.valid_ticket_id', 'quarantined_tickets.ticket_reason_code')
    + reference_rules(
        'author_id', 'valid_agents.valid_agent_id', 'quarantined_agents.agent_reason_code',
        "author_type = 'agent'",
    )
    + reference_rules(
        'author_id', 'valid_customers.valid_customer_id', 'quarantined_customers.customer_reason_code',
        "author_type = 'customer'",
    )
    + [(
        'timestamp_order', 'sent_at',
        parse_utc_timestamp('sent_at') ~ ' < valid_tickets.ticket_created_at'
    )] %}

with

delivered as (
    select * from {{ ref('base_support__ticket_messages') }}
),

valid_tickets as (
    select
        ticket_id as valid_ticket_id,
        {{ parse_utc_timestamp('created_at') }} as ticket_created_at
    from {{ ref('base_support__tickets_checked') }}
    where is_current
),

valid_agents as (
    {{ valid_parent_keys('agent', 'agents') }}
),

valid_customers as (
    {{ valid_parent_keys('customer', 'customers') }}
),

quarantined_tickets as (
    {{ quarantined_parent_keys('ticket', 'tickets') }}
),

quarantined_agents as (
    {{ quarantined_parent_keys('agent', 'agents') }}
),

quarantined_customers as (
    {{ quarantined_parent_keys('customer', 'customers') }}
),

distinct_rows as (
    {{ collapse_exact_duplicates('delivered', 'ticket_messages') }}
),

checked as (
    select
        distinct_rows.*,
        {{ first_failing_rule_number(rules) }}
    from distinct_rows
    left join valid_tickets
        on distinct_rows.ticket_id = valid_tickets.valid_ticket_id
    left join valid_agents
        on
            distinct_rows.author_type = 'agent'
            and distinct_rows.author_id = valid_agents.valid_agent_id
    left join valid_customers
        on
            distinct_rows.author_type = 'customer'
            and distinct_rows.author_id = valid_customers.valid_customer_id
    left join quarantined_tickets
        on distinct_rows.ticket_id = quarantined_tickets.quarantined_ticket_id
    left join quarantined_agents
        on
            distinct_rows.author_type = 'agent'
            and distinct_rows.author_id = quarantined_agents.quarantined_agent_id
    left join quarantined_customers
        on
            distinct_rows.author_type = 'customer'
            and distinct_rows.author_id = quarantined_customers.quarantined_customer_id
),

reasoned as (
    {{ select_with_reason('checked', 'ticket_messages', rules) }}
)

select * from reasoned
