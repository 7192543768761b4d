-- Each distinct delivered ticket event row with the first contract rule it breaks.
{%- set rules = key_rules('event_id')
    + missing_value_rules(['ticket_id', 'event_at', 'event_type'])
    + [('missing_value', 'to_value', "event_type = 'status_change' and to_value is null")]
    + format_rules({'event_at': 'timestamp'})
    + value_set_rules({
        'event_type': ['status_change', 'assignment', 'priority_change', 'escalation'],
    })
    + [(
        'unknown_value', 'to_value',
        "event_type = 'status_change' and to_value not in "
        ~ "('new', 'open', 'pending', 'on_hold', 'solved', 'closed')"
    )]
    + plausible_timestamp_rules({'event_at': clock_skew_hours()})
    + reference_rules('ticket_id', 'valid_tickets.valid_ticket_id', 'quarantined_tickets.ticket_reason_code')
    + [(
        'timestamp_order', 'event_at',
        parse_utc_timestamp('event_at') ~ ' < valid_tickets.ticket_created_at'
    )] %}

with

delivered as (
    select * from {{ ref('base_support__ticket_events') }}
),

valid_tickets as (
    select
        ticket_id as valid_ticket_id,
        {{ parse_utc_timestamp('created_at') }} as ticket_created_at
    from {{ ref('base_support__tickets_checked') }}
    where is_current
),

quarantined_tickets as (
    {{ quarantined_parent_keys('ticket', 'tickets') }}
),

distinct_rows as (
    {{ collapse_exact_duplicates('delivered', 'ticket_events') }}
),

checked as (
    select
        distinct_rows.*,
        {{ first_failing_rule_number(rules) }}
    from distinct_rows
    left join valid_tickets
        on distinct_rows.ticket_id = valid_tickets.valid_ticket_id
    left join quarantined_tickets
        on distinct_rows.ticket_id = quarantined_tickets.quarantined_ticket_id
),

reasoned as (
    {{ select_with_reason('checked', 'ticket_events', rules) }}
)

select * from reasoned
