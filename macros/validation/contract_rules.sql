{#- The raw contract's validation rules, one place per table (spec/sources.md;
    precedence: docs/decisions.md, D2; applied in two steps: D36). -#}

{#- The rules of one raw table as {'formats': {column: kind}, 'rules': [...]}:
    the columns with a format and their kind (is_malformed's kinds), and the
    rules in precedence order as (reason_code, column, condition) triples
    (invalid_parent rules with a fourth item, the parent's joined
    reason_code). Every condition reads a formatted column's typed value as
    parsed_<column> (parsed_columns), so each value is parsed once. The
    joined parents are valid_<entities> (valid_parent_keys; valid_tickets
    also has ticket_created_at) and quarantined_<entities>
    (quarantined_parent_keys). -#}
{% macro support_contract_rules(table_name) %}
    {%- if table_name == 'customers' -%}
        {%- set formats = {'signed_up_at': 'timestamp'} -%}
        {%- set rules = key_rules('customer_id')
            + missing_value_rules(['segment', 'signed_up_at'])
            + format_rules(formats)
            + [shape_rule('country', '^[A-Z]{2}$')]
            + value_set_rules({'segment': ['enterprise', 'smb', 'consumer']})
            + plausible_timestamp_rules({'signed_up_at': clock_skew_hours()}) -%}
    {%- elif table_name == 'agents' -%}
        {%- set formats = {'hired_at': 'date', 'terminated_at': 'date'} -%}
        {%- set rules = key_rules('agent_id')
            + missing_value_rules(['team', 'hired_at'])
            + format_rules(formats)
            + plausible_timestamp_rules({'hired_at': 366 * 24, 'terminated_at': 366 * 24}, 'date')
            + [(
                'timestamp_order', 'terminated_at',
                parse_date('terminated_at') ~ ' < ' ~ parse_date('hired_at')
            )] -%}
    {%- elif table_name == 'agent_shifts' -%}
        {%- set formats = {'shift_start': 'timestamp', 'shift_end': 'timestamp'} -%}
        {%- set shift_start = parse_utc_timestamp('shift_start') -%}
        {%- set shift_end = parse_utc_timestamp('shift_end') -%}
        {%- set rules = key_rules('shift_id')
            + missing_value_rules(['agent_id', 'shift_start', 'shift_end'])
            + format_rules(formats)
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
            + reference_rules('agent_id', 'valid_agents.valid_agent_id', 'quarantined_agents.agent_reason_code') -%}
    {%- elif table_name == 'agent_states' -%}
        {%- set formats = {'started_at': 'timestamp', 'ended_at': 'timestamp'} -%}
        {%- set started_at = parse_utc_timestamp('started_at') -%}
        {%- set ended_at = parse_utc_timestamp('ended_at') -%}
        {%- set rules = key_rules('agent_state_id')
            + missing_value_rules(['agent_id', 'state', 'started_at', 'ended_at'])
            + format_rules(formats)
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
            + reference_rules('agent_id', 'valid_agents.valid_agent_id', 'quarantined_agents.agent_reason_code') -%}
    {%- elif table_name == 'tickets' -%}
        {%- set formats = {'created_at': 'timestamp', 'updated_at': 'timestamp'} -%}
        {%- set rules = key_rules('ticket_id')
            + missing_value_rules([
                'customer_id', 'channel', 'direction', 'priority', 'status', 'created_at', 'updated_at',
            ])
            + format_rules(formats)
            + value_set_rules({
                'channel': ['email', 'chat', 'phone', 'sms', 'whatsapp', 'social', 'web_form'],
                'direction': ['inbound', 'outbound'],
                'priority': ['low', 'normal', 'high', 'urgent'],
                'status': ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'],
            })
            + plausible_timestamp_rules({'created_at': 0, 'updated_at': clock_skew_hours()})
            + [(
                'timestamp_order', 'updated_at',
                parse_utc_timestamp('updated_at') ~ ' < ' ~ parse_utc_timestamp('created_at')
            )]
            + reference_rules(
                'customer_id', 'valid_customers.valid_customer_id', 'quarantined_customers.customer_reason_code'
            )
            + reference_rules(
                'assignee_agent_id', 'valid_agents.valid_agent_id', 'quarantined_agents.agent_reason_code'
            ) -%}
    {%- elif table_name == 'ticket_events' -%}
        {%- set formats = {'event_at': 'timestamp'} -%}
        {%- set rules = key_rules('event_id')
            + missing_value_rules(['ticket_id', 'event_at', 'event_type'])
            + [('missing_value', 'to_value', "event_type = 'status_change' and to_value is null")]
            + format_rules(formats)
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
            )] -%}
    {%- elif table_name == 'ticket_messages' -%}
        {%- set formats = {'is_public': 'boolean', 'sent_at': 'timestamp'} -%}
        {%- set rules = key_rules('message_id')
            + missing_value_rules(['ticket_id', 'author_type', 'is_public', 'sent_at'])
            + format_rules(formats)
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
            )] -%}
    {%- elif table_name == 'calls' -%}
        {%- set formats = {
            'offered_at': 'timestamp',
            'answered_at': 'timestamp',
            'ended_at': 'timestamp',
            'talk_seconds': 'integer',
            'hold_seconds': 'integer',
            'after_call_work_seconds': 'integer',
            'transferred': 'boolean',
            'is_resolved': 'boolean',
        } -%}
        {%- set offered_at = parse_utc_timestamp('offered_at') -%}
        {%- set answered_at = parse_utc_timestamp('answered_at') -%}
        {%- set ended_at = parse_utc_timestamp('ended_at') -%}
        {%- set rules = key_rules('call_id')
            + missing_value_rules([
                'direction', 'offered_at', 'ended_at', 'talk_seconds', 'hold_seconds',
                'after_call_work_seconds', 'transferred',
            ])
            + format_rules(formats)
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
            + reference_rules('agent_id', 'valid_agents.valid_agent_id', 'quarantined_agents.agent_reason_code') -%}
    {%- elif table_name == 'orders' -%}
        {%- set formats = {'ordered_at': 'timestamp', 'amount': 'decimal'} -%}
        {%- set rules = key_rules('order_id')
            + missing_value_rules(['customer_id', 'ordered_at', 'amount', 'currency'])
            + format_rules(formats)
            + [shape_rule('currency', '^[A-Z]{3}$')]
            + plausible_timestamp_rules({'ordered_at': clock_skew_hours()})
            + [('out_of_range', 'amount', parse_decimal('amount') ~ ' < 0')]
            + reference_rules(
                'customer_id', 'valid_customers.valid_customer_id', 'quarantined_customers.customer_reason_code'
            ) -%}
    {%- elif table_name == 'survey_responses' -%}
        {%- set formats = {'sent_at': 'timestamp', 'responded_at': 'timestamp', 'score': 'integer'} -%}
        {%- set score = parse_integer('score') -%}
        {%- set rules = key_rules('response_id')
            + missing_value_rules(['survey_type', 'customer_id', 'sent_at'])
            + format_rules(formats)
            + value_set_rules({'survey_type': ['csat', 'nps', 'ces']})
            + plausible_timestamp_rules({'sent_at': clock_skew_hours(), 'responded_at': clock_skew_hours()})
            + [
                (
                    'out_of_range', 'score',
                    '(' ~ score ~ " < case survey_type when 'nps' then 0 else 1 end"
                    ~ ' or ' ~ score ~ " > case survey_type when 'csat' then 5 when 'nps' then 10 else 7 end)"
                ),
                (
                    'timestamp_order', 'responded_at',
                    parse_utc_timestamp('responded_at') ~ ' < ' ~ parse_utc_timestamp('sent_at')
                ),
                ('inconsistent_value', 'score', 'responded_at is not null and score is null'),
                ('inconsistent_value', 'score', 'responded_at is null and score is not null'),
            ]
            + reference_rules(
                'customer_id', 'valid_customers.valid_customer_id', 'quarantined_customers.customer_reason_code'
            ) -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("support_contract_rules: no rules for raw table '" ~ table_name ~ "'") }}
    {%- endif -%}
    {{ return({'formats': formats, 'rules': rules_on_parsed(rules, formats)}) }}
{% endmacro %}


{#- The parsers of the formats' kinds (parse_text.sql). -#}
{% macro format_parsers() %}
    {{ return({
        'timestamp': parse_utc_timestamp,
        'date': parse_date,
        'boolean': parse_boolean,
        'integer': parse_integer,
        'decimal': parse_decimal,
    }) }}
{% endmacro %}


{#- The rules with every parse of a formatted column replaced by its parsed
    value, parsed_<column>. -#}
{% macro rules_on_parsed(rules, formats) %}
    {%- set parsers = format_parsers() -%}
    {%- set rewritten = [] -%}
    {%- for rule in rules -%}
        {%- set ns = namespace(condition=rule[2]) -%}
        {%- for column, kind in formats.items() -%}
            {%- set ns.condition = ns.condition | replace(parsers[kind](column), 'parsed_' ~ column) -%}
        {%- endfor -%}
        {%- if rule | length > 3 -%}
            {%- do rewritten.append((rule[0], rule[1], ns.condition, rule[3])) -%}
        {%- else -%}
            {%- do rewritten.append((rule[0], rule[1], ns.condition)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(rewritten) }}
{% endmacro %}


{#- Select list items: each formatted column's typed value, parsed once, as
    parsed_<column> (null when the text is null or malformed). -#}
{% macro parsed_columns(formats) -%}
    {%- set parsers = format_parsers() -%}
    {%- for column, kind in formats.items() %}
        {{ parsers[kind](column) }} as parsed_{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#- True when a rule reads only its own row: false for a rule that reads a
    joined parent (valid_<entities>, quarantined_<entities>) or the delivery
    time (out_of_range against "not in the future"), which are judged again
    on every build (the current state, D34; the delivery time, D5). -#}
{% macro rule_is_row_local(rule) %}
    {%- set condition = rule[2] -%}
    {{ return(not (
        'valid_' in condition
        or (delivery_time() | trim) in condition
    )) }}
{% endmacro %}


{#- Select list item: row_rule_number, the number (in the table's
    precedence) of the first row-local rule whose condition holds, null when
    none does. -#}
{% macro row_rule_number(rules) -%}
    case
        {%- for rule in rules %}
        {%- if rule_is_row_local(rule) %}
        when {{ rule[2] }} then {{ loop.index }}
        {%- endif %}
        {%- endfor %}
        else cast(null as {{ dbt.type_int() }})
    end as row_rule_number
{%- endmacro %}


{#- A select of each distinct row of `relation` (a raw table's delivered
    rows) within its load (collapse_exact_duplicates), its formatted values
    parsed once (parsed_columns) and its row_rule_number: what a load's
    intake keeps (D36). -#}
{% macro screened_rows(relation, table_name) -%}
    {%- set contract_rules = support_contract_rules(table_name) -%}
    select
        distinct_rows.*,
        {{ row_rule_number(contract_rules['rules']) }}
    from (
        select
            collapsed_rows.*,
            {{ parsed_columns(contract_rules['formats']) }}
        from ({{ collapse_exact_duplicates(relation, table_name) }}) as collapsed_rows
    ) as distinct_rows
{%- endmacro %}
