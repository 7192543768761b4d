{#- The raw source contract (spec/sources.md): per table, its key, its columns
    in contract order, and the optional ones (which may be missing from a
    delivery; then every value is null). An optional table
    (`optional_table`) may be missing from a delivery as a whole: it is then
    read as an empty table. The sources YAML documents the same columns; a
    test checks that both agree. -#}
{% macro support_raw_contract() %}
    {% do return({
        'customers': {
            'key': 'customer_id',
            'columns': ['customer_id', 'full_name', 'email', 'phone', 'segment', 'country', 'signed_up_at'],
            'optional': ['phone', 'country'],
        },
        'agents': {
            'key': 'agent_id',
            'columns': ['agent_id', 'full_name', 'email', 'team', 'hired_at', 'terminated_at'],
            'optional': [],
        },
        'agent_shifts': {
            'key': 'shift_id',
            'columns': ['shift_id', 'agent_id', 'shift_start', 'shift_end'],
            'optional': [],
        },
        'agent_states': {
            'key': 'agent_state_id',
            'columns': ['agent_state_id', 'agent_id', 'state', 'started_at', 'ended_at'],
            'optional': [],
            'optional_table': true,
        },
        'tickets': {
            'key': 'ticket_id',
            'columns': [
                'ticket_id', 'customer_id', 'channel', 'direction', 'category', 'priority', 'status',
                'team', 'assignee_agent_id', 'created_at', 'updated_at',
            ],
            'optional': ['category'],
        },
        'ticket_events': {
            'key': 'event_id',
            'columns': ['event_id', 'ticket_id', 'event_at', 'event_type', 'from_value', 'to_value', 'actor_agent_id'],
            'optional': [],
        },
        'ticket_messages': {
            'key': 'message_id',
            'columns': ['message_id', 'ticket_id', 'author_type', 'author_id', 'is_public', 'sent_at'],
            'optional': [],
        },
        'calls': {
            'key': 'call_id',
            'columns': [
                'call_id', 'customer_id', 'agent_id', 'ticket_id', 'queue', 'direction', 'offered_at',
                'answered_at', 'ended_at', 'talk_seconds', 'hold_seconds', 'after_call_work_seconds',
                'transferred', 'is_resolved',
            ],
            'optional': ['ticket_id'],
        },
        'survey_responses': {
            'key': 'response_id',
            'columns': [
                'response_id', 'survey_type', 'customer_id', 'ticket_id', 'call_id', 'sent_at',
                'responded_at', 'score', 'comment',
            ],
            'optional': ['comment'],
        },
        'orders': {
            'key': 'order_id',
            'columns': ['order_id', 'customer_id', 'ordered_at', 'amount', 'currency'],
            'optional': [],
        },
    }) %}
{% endmacro %}
