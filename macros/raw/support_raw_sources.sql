{#- Where each raw table comes from (README, "Sources"; docs/decisions.md D20).

    var raw_source is the source of every contract table; var raw_sources (a
    map table -> source) overrides it per table, so that one build can take
    tickets from a help desk, calls from a phone system and the rest from
    files. The sources:
    - files: DuckDB reads <raw_path>/<table>.csv or .parquet (Spark too);
    - warehouse: the sources in schema var raw_schema;
    - mapping: the YAML mapping file var raw_mapping (README, "Any other export");
    - an adapter (below): the contract columns of base_<adapter>__<table>.
    A table routed to an adapter that has no data for it is read as empty. -#}
{% macro support_raw_adapters() %}
    {{ return({
        'zendesk_fivetran': [
            'customers', 'agents', 'agent_shifts', 'tickets', 'ticket_events', 'ticket_messages',
            'calls', 'survey_responses', 'orders',
        ],
        'intercom_fivetran': [
            'customers', 'agents', 'tickets', 'ticket_events', 'ticket_messages', 'survey_responses',
        ],
        'amazon_connect': ['calls'],
    }) }}
{% endmacro %}


{#- The names var raw_source and var raw_sources accept. -#}
{% macro support_raw_source_names() %}
    {{ return(['files', 'warehouse', 'mapping'] + support_raw_adapters().keys() | list) }}
{% endmacro %}


{#- The source of one contract table; a compile error for an unknown source
    name or an unknown table in var raw_sources. -#}
{% macro support_raw_source(table_name) %}
    {%- set names = support_raw_source_names() -%}
    {%- set overrides = var('raw_sources', none) or {} -%}
    {%- if overrides is not mapping -%}
        {{ exceptions.raise_compiler_error(
            "var raw_sources must be a map of raw table -> source, e.g. {calls: amazon_connect}; got "
            ~ overrides) }}
        {#- (reached only by the SQL linter, whose variables are placeholders) -#}
        {{ return(var('raw_source')) }}
    {%- endif -%}
    {%- for name, source in overrides.items() -%}
        {%- if name not in support_raw_contract() -%}
            {{ exceptions.raise_compiler_error(
                "var raw_sources: unknown raw table '" ~ name ~ "'; the raw tables are "
                ~ support_raw_contract().keys() | list | join(', ')) }}
        {%- endif -%}
        {%- if source not in names -%}
            {{ exceptions.raise_compiler_error(
                "var raw_sources: table '" ~ name ~ "' has unknown source '" ~ source
                ~ "'; the sources are " ~ names | join(', ')) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if var('raw_source') not in names -%}
        {{ exceptions.raise_compiler_error(
            "var raw_source must be one of " ~ names | join(', ') ~ ", got '" ~ var('raw_source') ~ "'") }}
    {%- endif -%}
    {{ return(overrides.get(table_name, var('raw_source'))) }}
{% endmacro %}


{#- The raw table as an adapter delivers it: the contract columns of
    base_<adapter>__<table>, or no rows when the adapter has no such data. -#}
{% macro support_raw_adapter_delivery(table_name, source) %}
    {%- if table_name not in support_raw_adapters()[source] -%}
        {{ return(support_raw_absent(table_name)) }}
    {%- endif -%}
    {%- set columns = support_raw_contract()[table_name]['columns'] -%}
    {{ return("select " ~ columns | join(", ") ~ " from " ~ ref('base_' ~ source ~ '__' ~ table_name)) }}
{% endmacro %}


{#- The columns of each raw table that name a customer or an agent (the
    "references" of the contract that identity matching resolves). -#}
{% macro support_raw_identity_columns() %}
    {{ return({
        'tickets': {'customer_id': 'customers', 'assignee_agent_id': 'agents'},
        'calls': {'customer_id': 'customers', 'agent_id': 'agents'},
        'survey_responses': {'customer_id': 'customers'},
        'orders': {'customer_id': 'customers'},
        'agent_shifts': {'agent_id': 'agents'},
        'agent_states': {'agent_id': 'agents'},
    }) }}
{% endmacro %}


{#- Identities matched across systems (D20): when a table comes from another
    source than the customers or agents it names, each named identity is
    resolved against the delivered customers or agents: an equal id first,
    else an equal e-mail (case-insensitive), else, for customers, a phone
    with the same digits (when the delivered value is written like a phone:
    at least 7 digits, spaces, dots, dashes or brackets, an optional +); a
    key that matches two people matches nobody. An unmatched caller
    (calls.customer_id) is an unknown caller (null); any other unmatched
    identity is kept as delivered, so the row is quarantined as a dangling
    reference. E-mails and phones are compared here, in staging, and never
    carried further. -#}
{% macro support_raw_identities_matched(table_name, delivery) %}
    {%- set source = support_raw_source(table_name) -%}
    {%- set named = support_raw_identity_columns().get(table_name, {}) -%}
    {%- set matched = {} -%}
    {%- for column, people in named.items() -%}
        {%- if support_raw_source(people) != source -%}
            {%- do matched.update({column: people}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if matched | length == 0 -%}
        {{ return(delivery) }}
    {%- endif -%}
    {%- set select_list = [] -%}
    {%- set joins = [] -%}
    {%- for column in support_raw_contract()[table_name]['columns'] -%}
        {%- if column in matched -%}
            {%- set unmatched = 'cast(null as ' ~ dbt.type_string() ~ ')'
                if (table_name, column) == ('calls', 'customer_id') else 'delivered.' ~ column -%}
            {%- do select_list.append(
                'case when delivered.' ~ column ~ ' is null then null else coalesce('
                ~ column ~ '_by_id.person_id, ' ~ column ~ '_by_email.person_id'
                ~ (', ' ~ column ~ '_by_phone.person_id' if matched[column] == 'customers' else '')
                ~ ', ' ~ unmatched ~ ') end as ' ~ column) -%}
            {%- set keys = support_raw_identity_keys(matched[column]) -%}
            {%- do joins.append(
                'left join (' ~ keys['id'] ~ ') as ' ~ column ~ '_by_id\n        on delivered.' ~ column
                ~ ' = ' ~ column ~ '_by_id.match_key') -%}
            {%- do joins.append(
                'left join (' ~ keys['email'] ~ ') as ' ~ column ~ '_by_email\n        on lower(delivered.'
                ~ column ~ ') = ' ~ column ~ '_by_email.match_key') -%}
            {%- if matched[column] == 'customers' -%}
                {%- do joins.append(
                    'left join (' ~ keys['phone'] ~ ') as ' ~ column ~ '_by_phone\n        on '
                    ~ regex_replace_all('delivered.' ~ column, '[^0-9]', '') ~ ' = ' ~ column ~ '_by_phone.match_key\n        and '
                    ~ regex_matches('delivered.' ~ column, '^[+]?[0-9 ().-]{7,}$')) -%}
            {%- endif -%}
        {%- else -%}
            {%- do select_list.append('delivered.' ~ column) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('select\n        ' ~ select_list | join(',\n        ') ~ '\n    from (' ~ delivery
        ~ ') as delivered\n    ' ~ joins | join('\n    ')) }}
{% endmacro %}


{#- The match keys of the delivered customers or agents, each a query of
    (match_key, person_id) keeping only keys that name exactly one person. -#}
{% macro support_raw_identity_keys(people) %}
    {%- set id_column = 'customer_id' if people == 'customers' else 'agent_id' -%}
    {%- set relation = ref('base_support__' ~ people) -%}
    {%- set keys = {
        'id': id_column,
        'email': 'lower(email)',
        'phone': regex_replace_all('phone', '[^0-9]', ''),
    } -%}
    {%- set queries = {} -%}
    {%- for kind, expression in keys.items() -%}
        {%- do queries.update({kind:
            'select ' ~ expression ~ ' as match_key, min(' ~ id_column ~ ') as person_id from ' ~ relation
            ~ ' where ' ~ expression ~ ' is not null and ' ~ expression ~ " <> '' and " ~ id_column
            ~ ' is not null group by ' ~ expression ~ ' having count(distinct ' ~ id_column ~ ') = 1'}) -%}
    {%- endfor -%}
    {{ return(queries) }}
{% endmacro %}


{#- An adapter's landed summary: per landed table (the relation
    `landed_counts`: landed_table, count_landed_rows), the rows mapped and
    deliberately not mapped according to `landed_rows` (landed_table,
    outcome, and `rows_column`, the rows each of its rows stands for; one
    when none). Conservation (landed = mapped + not mapped) is tested on the
    models that use it. -#}
{% macro adapter_landed_summary(landed_counts, landed_rows, rows_column=none) %}
    {%- set rows = rows_column or '1' -%}
    {{ return("select
        " ~ landed_counts ~ ".landed_table,
        " ~ landed_counts ~ ".count_landed_rows,
        coalesce(outcome_counts.count_mapped_rows, 0) as count_mapped_rows,
        coalesce(outcome_counts.count_not_mapped_rows, 0) as count_not_mapped_rows
    from " ~ landed_counts ~ "
    left join (
        select
            landed_table,
            cast(sum(case when outcome = 'mapped' then " ~ rows ~ " else 0 end) as bigint) as count_mapped_rows,
            cast(sum(case when outcome = 'not_mapped' then " ~ rows ~ " else 0 end) as bigint)
                as count_not_mapped_rows
        from " ~ landed_rows ~ "
        group by landed_table
    ) as outcome_counts
        on " ~ landed_counts ~ ".landed_table = outcome_counts.landed_table") }}
{% endmacro %}
