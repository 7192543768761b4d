{#- The tables Fivetran's Intercom connector lands that the Intercom adapter
    reads (var raw_source, or raw_sources for a table, intercom_fivetran),
    with the columns it uses. `optional` columns may be missing (then null);
    an `optional_table` may be missing altogether (then no rows); `ids` are
    Intercom ids, which get the workspace's prefix; `key` and `version` name
    the record and its version (history tables keep one row per version).
    Column meanings: README, "Intercom". -#}
{% macro intercom_landed_tables() %}
    {% do return({
        'conversation_history': {
            'ids': ['id', 'assignee_id', 'admin_assignee_id', 'team_assignee_id', 'source_author_id'],
            'key': ['id'],
            'version': 'updated_at',
            'columns': [
                'id', 'updated_at', 'created_at', 'state', 'priority', 'assignee_id', 'assignee_type',
                'admin_assignee_id', 'team_assignee_id', 'source_type', 'source_delivered_as',
                'source_author_id', 'source_author_type', 'conversation_rating_value',
                'conversation_rating_remark', 'conversation_rating_created_at',
                '_fivetran_active', '_fivetran_start', '_fivetran_synced',
            ],
            'optional': [
                'priority', 'assignee_id', 'assignee_type', 'admin_assignee_id', 'team_assignee_id',
                'source_delivered_as', 'conversation_rating_value', 'conversation_rating_remark',
                'conversation_rating_created_at', '_fivetran_active', '_fivetran_start', '_fivetran_synced',
            ],
        },
        'conversation_part_history': {
            'ids': ['id', 'conversation_id', 'author_id', 'assigned_to_id'],
            'key': ['id'],
            'version': 'updated_at',
            'columns': [
                'id', 'conversation_id', 'updated_at', 'created_at', 'part_type', 'author_id', 'author_type',
                'assigned_to_id', 'assigned_to_type', 'body', '_fivetran_active', '_fivetran_start',
                '_fivetran_synced',
            ],
            'optional': [
                'updated_at', 'assigned_to_id', 'assigned_to_type', 'body', '_fivetran_active',
                '_fivetran_start', '_fivetran_synced',
            ],
        },
        'conversation_contact_history': {
            'ids': ['conversation_id', 'contact_id'],
            'key': ['conversation_id', 'contact_id'],
            'version': 'conversation_updated_at',
            'columns': [
                'conversation_id', 'contact_id', 'conversation_updated_at', '_fivetran_active',
                '_fivetran_start', '_fivetran_synced',
            ],
            'optional': ['_fivetran_active', '_fivetran_start', '_fivetran_synced'],
            'optional_table': true,
        },
        'contact_history': {
            'ids': ['id'],
            'key': ['id'],
            'version': 'updated_at',
            'columns': [
                'id', 'updated_at', 'created_at', 'signed_up_at', 'role', 'name', 'email', 'phone',
                'location_country', 'location_country_code', '_fivetran_active', '_fivetran_start',
                '_fivetran_synced', '_fivetran_deleted',
            ],
            'optional': [
                'signed_up_at', 'role', 'name', 'email', 'phone', 'location_country', 'location_country_code',
                '_fivetran_active', '_fivetran_start', '_fivetran_synced', '_fivetran_deleted',
            ],
        },
        'contact_company_history': {
            'ids': ['contact_id', 'company_id'],
            'key': ['contact_id', 'company_id'],
            'version': 'contact_updated_at',
            'columns': [
                'contact_id', 'company_id', 'contact_updated_at', '_fivetran_active', '_fivetran_start',
                '_fivetran_synced',
            ],
            'optional': ['_fivetran_active', '_fivetran_start', '_fivetran_synced'],
            'optional_table': true,
        },
        'admin': {
            'ids': ['id'],
            'key': ['id'],
            'version': '_fivetran_synced',
            'columns': ['id', 'name', 'email', '_fivetran_deleted', '_fivetran_synced'],
            'optional': ['name', 'email', '_fivetran_deleted', '_fivetran_synced'],
        },
        'team': {
            'ids': ['id'],
            'key': ['id'],
            'version': '_fivetran_synced',
            'columns': ['id', 'name', '_fivetran_deleted', '_fivetran_synced'],
            'optional': ['_fivetran_deleted', '_fivetran_synced'],
            'optional_table': true,
        },
        'team_admin': {
            'ids': ['admin_id', 'team_id'],
            'key': ['admin_id', 'team_id'],
            'version': '_fivetran_synced',
            'columns': ['admin_id', 'team_id', '_fivetran_deleted', '_fivetran_synced'],
            'optional': ['_fivetran_deleted', '_fivetran_synced'],
            'optional_table': true,
        },
    }) %}
{% endmacro %}


{#- Intercom source types (how a conversation started) -> contract channel.
    A type not listed here passes through unchanged, so the project
    quarantines its ticket (unknown_value, channel). -#}
{% macro intercom_channels() %}
    {% do return({
        'conversation': 'chat',
        'chat': 'chat',
        'messenger': 'chat',
        'in_app': 'chat',
        'push': 'chat',
        'email': 'email',
        'sms': 'sms',
        'whatsapp': 'whatsapp',
        'facebook': 'social',
        'instagram': 'social',
        'twitter': 'social',
        'phone_call': 'phone',
        'phone_switch': 'phone',
    }) %}
{% endmacro %}


{#- select <the landed table's columns as trimmed text, ids prefixed>,
    intercom_account from every workspace (macros/raw/fivetran_landed.sql). -#}
{% macro intercom_landed(table_name) %}
    {{ return(fivetran_landed('intercom', table_name)) }}
{% endmacro %}


{#- Every landed row of a table with version_number: 1 for the latest
    version of its record (key), 2... for older versions and repeats.
    Latest = the highest version time (updated_at), then an active row
    (_fivetran_active, where landed), then the latest _fivetran_start and
    _fivetran_synced: the Fivetran columns alone are not relied on. -#}
{% macro intercom_versions(table_name) %}
    {%- set landed = intercom_landed_tables()[table_name] -%}
    {%- set order = [parse_utc_timestamp(landed['version']) ~ ' desc nulls last'] -%}
    {%- if landed['version'] != '_fivetran_synced' -%}
        {%- do order.append('coalesce(' ~ zendesk_is_true('_fivetran_active') ~ ', true) desc') -%}
        {%- do order.append(parse_utc_timestamp('_fivetran_start') ~ ' desc nulls last') -%}
        {%- do order.append(parse_utc_timestamp('_fivetran_synced') ~ ' desc nulls last') -%}
    {%- endif -%}
    {{ return(
        "select landed.*, row_number() over (partition by landed.intercom_account, landed."
        ~ landed['key'] | join(', landed.') ~ " order by " ~ order | join(', ')
        ~ ") as version_number from (" ~ intercom_landed(table_name) ~ ") as landed") }}
{% endmacro %}


{#- The contract channel of an Intercom source type (intercom_channels); an
    unknown type passes through in lower case. -#}
{% macro intercom_channel(source_type) -%}
    case lower({{ source_type }})
    {%- for landed_type, channel in intercom_channels().items() %} when '{{ landed_type }}' then '{{ channel }}'
    {%- endfor %} else lower({{ source_type }}) end
{%- endmacro %}
