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


{#- The Intercom workspaces the adapter reads: var intercom_accounts, a list
    of {prefix, path} (DuckDB folders) or {prefix, schema[, database]}
    (warehouse schemas); by default one workspace, var intercom_path or the
    source intercom_fivetran, with prefix var intercom_id_prefix. -#}
{% macro intercom_accounts() %}
    {%- set accounts = var('intercom_accounts', none) -%}
    {%- if not accounts -%}
        {%- set account = {'prefix': var('intercom_id_prefix', '') or '', 'path': var('intercom_path', none)} -%}
        {%- if var('intercom_database', none) -%}
            {%- do account.update({
                'schema': var('intercom_schema', 'intercom'), 'database': var('intercom_database', none)}) -%}
        {%- endif -%}
        {{ return([account]) }}
    {%- endif -%}
    {%- set prefixes = [] -%}
    {%- for account in accounts -%}
        {%- if 'prefix' not in account or not account['prefix'] or account['prefix'] in prefixes -%}
            {{ exceptions.raise_compiler_error(
                "var intercom_accounts: every workspace needs its own non-empty prefix (e.g. 'eu:'), got "
                ~ accounts | string) }}
        {%- endif -%}
        {%- do prefixes.append(account['prefix']) -%}
    {%- endfor -%}
    {{ return(accounts) }}
{% endmacro %}


{#- select <the landed table's columns as trimmed text, ids prefixed with
    their workspace's prefix>, intercom_account (the prefix) from the table
    of every workspace (README, "Intercom"). -#}
{% macro intercom_landed(table_name) %}
    {{ return(adapter.dispatch('intercom_landed', 'support_kpis')(table_name)) }}
{% endmacro %}


{% macro default__intercom_landed(table_name) %}
    {%- set landed = intercom_landed_tables()[table_name] -%}
    {%- set selects = [] -%}
    {%- for account in intercom_accounts() -%}
        {%- set prefix = account['prefix'] | replace("'", "''") -%}
        {%- set columns = [] -%}
        {%- for column in landed['columns'] -%}
            {%- if column in landed['ids'] and prefix -%}
                {%- do columns.append(
                    "case when " ~ column ~ " is not null then '" ~ prefix ~ "' || " ~ column ~ " end as " ~ column) -%}
            {%- else -%}
                {%- do columns.append(column) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do selects.append(
            "select " ~ columns | join(", ") ~ ", '" ~ prefix ~ "' as intercom_account from ("
            ~ intercom_landed_account(table_name, account) ~ ") as landed") -%}
    {%- endfor -%}
    {{ return(selects | join("\n    union all\n    ")) }}
{% endmacro %}


{#- One workspace's landed table as text (its ids not yet prefixed). -#}
{% macro intercom_landed_account(table_name, account) %}
    {{ return(adapter.dispatch('intercom_landed_account', 'support_kpis')(table_name, account)) }}
{% endmacro %}


{#- Any warehouse: the workspace's schema (var intercom_schema and
    intercom_database, the source intercom_fivetran, by default). -#}
{% macro default__intercom_landed_account(table_name, account) %}
    {%- set landed = intercom_landed_tables()[table_name] -%}
    {%- if 'schema' in account -%}
        {%- set relation = api.Relation.create(
            database=account.get('database') or target.database, schema=account['schema'],
            identifier=table_name) -%}
    {%- else -%}
        {%- set relation = source('intercom_fivetran', table_name) -%}
    {%- endif -%}
    {%- set present = [] -%}
    {%- if execute -%}
        {%- set found = adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
        {%- if found is none and landed.get('optional_table') -%}
            {{ return(text_columns_empty(landed['columns'])) }}
        {%- elif found is none -%}
            {{ exceptions.raise_compiler_error(
                "landed Intercom table '" ~ table_name ~ "': no relation " ~ relation
                ~ " (vars intercom_path, or intercom_schema / intercom_database, or intercom_accounts)") }}
        {%- endif -%}
        {%- for column in adapter.get_columns_in_relation(found) -%}
            {%- do present.append(column.name) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(text_columns_select(
        landed['columns'], landed['optional'], relation, present,
        "landed Intercom table '" ~ table_name ~ "' (" ~ relation ~ ")", fold_case=true)) }}
{% endmacro %}


{#- DuckDB: the workspace's folder (var intercom_path by default) holding
    <table>.csv, <table>_data.csv, <table>.csv.gz or <table>.parquet; the
    warehouse schema when the workspace has no path. -#}
{% macro duckdb__intercom_landed_account(table_name, account) %}
    {%- if not account.get('path') -%}
        {{ return(default__intercom_landed_account(table_name, account)) }}
    {%- endif -%}
    {%- set landed = intercom_landed_tables()[table_name] -%}
    {%- set reader = "(select 1)" -%}
    {%- set present = [] -%}
    {%- set described = "landed Intercom table '" ~ table_name ~ "'" -%}
    {%- if execute -%}
        {%- set folder = account['path'] | string -%}
        {%- set folder = folder[:-1] if folder.endswith('/') else folder -%}
        {%- set listed = run_query("select file from glob('" ~ folder | replace("'", "''") ~ "/*') order by file") -%}
        {%- set path = intercom_landed_file(table_name, folder, listed.columns[0].values()) -%}
        {%- if path is none -%}
            {{ return(text_columns_empty(landed['columns'])) }}
        {%- endif -%}
        {%- set described = described ~ " (file " ~ path ~ ")" -%}
        {%- set file = duckdb_file_reader(path) -%}
        {%- set reader = file['reader'] -%}
        {%- set present = file['columns'] -%}
    {%- endif -%}
    {{ return(text_columns_select(landed['columns'], landed['optional'], reader, present, described, fold_case=true)) }}
{% endmacro %}


{#- Spark: the workspace's folder (a path the Spark driver can read), through
    a session view per workspace and table; the warehouse schema when the
    workspace has no path. -#}
{% macro spark__intercom_landed_account(table_name, account) %}
    {%- if not account.get('path') -%}
        {{ return(default__intercom_landed_account(table_name, account)) }}
    {%- endif -%}
    {%- set landed = intercom_landed_tables()[table_name] -%}
    {%- set view = 'intercom_landed__' ~ (account['prefix'] | replace(':', '_') | replace('-', '_')) ~ table_name -%}
    {%- set present = [] -%}
    {%- set described = "landed Intercom table '" ~ table_name ~ "'" -%}
    {%- if execute -%}
        {%- set folder = account['path'] | string -%}
        {%- set folder = folder[:-1] if folder.endswith('/') else folder -%}
        {%- set listed = run_query("select path from binaryFile.`" ~ folder ~ "`") -%}
        {%- set path = intercom_landed_file(table_name, folder, listed.columns[0].values()) -%}
        {%- if path is none -%}
            {{ return(text_columns_empty(landed['columns'])) }}
        {%- endif -%}
        {%- set described = described ~ " (file " ~ path ~ ")" -%}
        {%- set present = spark_file_view(view, path) -%}
    {%- endif -%}
    {{ return(text_columns_select(landed['columns'], landed['optional'], view, present, described, fold_case=true)) }}
{% endmacro %}


{#- The file of a landed table among the paths `files` of a workspace's
    folder (<table>.csv, <table>_data.csv, <table>.csv.gz or
    <table>.parquet); none for an optional table without one; an error for a
    required table without one, or for two. -#}
{% macro intercom_landed_file(table_name, folder, files) %}
    {%- set described = "landed Intercom table '" ~ table_name ~ "'" -%}
    {%- if files | length == 0 -%}
        {{ exceptions.raise_compiler_error(described ~ ": the folder '" ~ folder ~ "' does not exist or is empty") }}
    {%- endif -%}
    {%- set names = [
        table_name ~ '.csv', table_name ~ '_data.csv', table_name ~ '.csv.gz', table_name ~ '.parquet'
    ] -%}
    {%- set chosen = [] -%}
    {%- for file in files | sort -%}
        {%- if file.split('/')[-1] in names -%}
            {%- do chosen.append(file) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if chosen | length > 1 -%}
        {{ exceptions.raise_compiler_error(
            described ~ ": more than one file in '" ~ folder ~ "': " ~ chosen | join(', ') ~ "; keep exactly one") }}
    {%- elif chosen | length == 0 and intercom_landed_tables()[table_name].get('optional_table') -%}
        {{ return(none) }}
    {%- elif chosen | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            described ~ ": no file " ~ names | join(', ') ~ " in '" ~ folder ~ "'") }}
    {%- endif -%}
    {{ return(chosen[0]) }}
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
