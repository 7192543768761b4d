-- Each distinct delivered message row with the first contract rule it breaks.
{%- set rules = key_rules('message_id')
    + missing_value_rules(['ticket_id', 'author_type', 'is_public', 'sent_at'])
    + format_rules({'is_public': 'boolean', 'sent_at': 'timestamp'})
    + value_set_rules({'author_type': ['customer', 'agent', 'bot', 'system']})
    + [
        (
            'inconsistent_value', 'author_id',
            "author_type in ('customer', 'agent') and author_id is null"
        ),
        (
            'inconsistent_value', 'author_id',
            "author_type in ('bot', 'system') and author_id is not null"
        ),
        ('dangling_reference', 'ticket_id', 'valid_tickets.valid_ticket_id is null'),
        (
            'dangling_reference', 'author_id',
            "author_type = 'agent' and valid_agents.valid_agent_id is null"
        ),
        (
            'dangling_reference', 'author_id',
            "author_type = 'customer' and valid_customers.valid_customer_id is null"
        ),
        (
            'timestamp_order', 'sent_at',
            parse_utc_timestamp('sent_at') ~ ' < valid_tickets.ticket_created_at'
        ),
    ] %}

with

delivered as (
    select * from {{ ref('base_support__ticket_messages') }}
),

valid_tickets as (
    select
        ticket_id as valid_ticket_id,
        created_at as ticket_created_at
    from {{ ref('stg_support__tickets') }}
),

valid_agents as (
    select agent_id as valid_agent_id from {{ ref('stg_support__agents') }}
),

valid_customers as (
    select customer_id as valid_customer_id from {{ ref('stg_support__customers') }}
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
),

reasoned as (
    {{ select_with_reason('checked', 'ticket_messages', rules) }}
)

select * from reasoned
