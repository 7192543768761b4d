{#- The tables Fivetran's Zendesk connector lands that the Zendesk adapter
    reads (var raw_source: zendesk_fivetran), with the columns it uses.
    `optional` columns may be missing (then null); an `optional_table` may be
    missing altogether (then no rows); `ids` are Zendesk ids, which get the
    account's prefix. Column meanings: README, "Zendesk". -#}
{% macro zendesk_landed_tables() %}
    {% do return({
        'ticket': {
            'ids': ['id', 'requester_id', 'submitter_id', 'assignee_id', 'group_id'],
            'columns': [
                'id', 'created_at', 'updated_at', 'status', 'priority', 'type', 'requester_id',
                'submitter_id', 'assignee_id', 'group_id', 'via_channel', 'via_source_rel',
                '_fivetran_deleted',
            ],
            'optional': ['via_source_rel', '_fivetran_deleted'],
        },
        'ticket_comment': {
            'ids': ['id', 'ticket_id', 'user_id'],
            'columns': ['id', 'ticket_id', 'user_id', 'created', 'public', 'via_channel', '_fivetran_deleted'],
            'optional': ['via_channel', '_fivetran_deleted'],
        },
        'ticket_field_history': {
            'ids': ['ticket_id', 'user_id'],
            'columns': ['ticket_id', 'field_name', 'updated', 'value', 'user_id'],
            'optional': [],
        },
        'user': {
            'ids': ['id', 'organization_id'],
            'columns': [
                'id', 'name', 'email', 'phone', 'role', 'organization_id', 'created_at', 'updated_at',
                'active', 'suspended', '_fivetran_deleted',
            ],
            'optional': ['phone', 'suspended', '_fivetran_deleted'],
        },
        'group': {
            'ids': ['id'],
            'columns': ['id', 'name', '_fivetran_deleted'],
            'optional': ['_fivetran_deleted'],
        },
        'schedule': {
            'ids': ['id'],
            'columns': ['id', 'name', 'time_zone', 'created_at', 'start_time', 'end_time', '_fivetran_deleted'],
            'optional': ['_fivetran_deleted'],
        },
        'schedule_holiday': {
            'ids': ['id', 'schedule_id'],
            'columns': ['id', 'schedule_id', 'name', 'start_date', 'end_date', '_fivetran_deleted'],
            'optional': ['_fivetran_deleted'],
            'optional_table': true,
        },
        'ticket_schedule': {
            'ids': ['ticket_id', 'schedule_id'],
            'columns': ['ticket_id', 'schedule_id', 'created_at'],
            'optional': [],
            'optional_table': true,
        },
        'sla_policy_metric_history': {
            'ids': ['sla_policy_id'],
            'columns': ['sla_policy_id', 'sla_policy_updated_at', 'business_hours', 'metric', 'priority', 'target'],
            'optional': [],
            'optional_table': true,
        },
        'ticket_sla_policy': {
            'ids': ['ticket_id', 'sla_policy_id'],
            'columns': ['ticket_id', 'sla_policy_id', 'policy_applied_at'],
            'optional': [],
            'optional_table': true,
        },
        'satisfaction_rating': {
            'ids': ['id', 'ticket_id', 'requester_id'],
            'columns': ['id', 'ticket_id', 'requester_id', 'score', 'comment', 'created_at', 'updated_at'],
            'optional': ['comment'],
            'optional_table': true,
        },
    }) %}
{% endmacro %}


{#- The Zendesk accounts the adapter reads: var zendesk_accounts, a list of
    {prefix, path} (DuckDB folders) or {prefix, schema[, database]}
    (warehouse schemas); by default one account, var zendesk_path or the
    source zendesk_fivetran, with prefix var zendesk_id_prefix. -#}
{% macro zendesk_accounts() %}
    {%- set accounts = var('zendesk_accounts') -%}
    {%- if not accounts -%}
        {%- set account = {'prefix': var('zendesk_id_prefix') or '', 'path': var('zendesk_path')} -%}
        {%- if var('zendesk_database') -%}
            {%- do account.update({'schema': var('zendesk_schema'), 'database': var('zendesk_database')}) -%}
        {%- endif -%}
        {{ return([account]) }}
    {%- endif -%}
    {%- set prefixes = [] -%}
    {%- for account in accounts -%}
        {%- if 'prefix' not in account or not account['prefix'] or account['prefix'] in prefixes -%}
            {{ exceptions.raise_compiler_error(
                "var zendesk_accounts: every account needs its own non-empty prefix (e.g. 'eu:'), got "
                ~ accounts | string) }}
        {%- endif -%}
        {%- do prefixes.append(account['prefix']) -%}
    {%- endfor -%}
    {{ return(accounts) }}
{% endmacro %}


{#- select <the landed table's columns as trimmed text, ids prefixed with
    their account's prefix>, zendesk_account (the prefix) from the table of
    every account (README, "Zendesk"). -#}
{% macro zendesk_landed(table_name) %}
    {{ return(adapter.dispatch('zendesk_landed', 'support_kpis')(table_name)) }}
{% endmacro %}


{% macro default__zendesk_landed(table_name) %}
    {%- set landed = zendesk_landed_tables()[table_name] -%}
    {%- set selects = [] -%}
    {%- for account in zendesk_accounts() -%}
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
            "select " ~ columns | join(", ") ~ ", '" ~ prefix ~ "' as zendesk_account from ("
            ~ zendesk_landed_account(table_name, account) ~ ") as landed") -%}
    {%- endfor -%}
    {{ return(selects | join("\n    union all\n    ")) }}
{% endmacro %}


{#- One account's landed table as text (its ids not yet prefixed). -#}
{% macro zendesk_landed_account(table_name, account) %}
    {{ return(adapter.dispatch('zendesk_landed_account', 'support_kpis')(table_name, account)) }}
{% endmacro %}


{#- Any warehouse: the account's schema (var zendesk_schema and
    zendesk_database, the source zendesk_fivetran, by default). -#}
{% macro default__zendesk_landed_account(table_name, account) %}
    {%- set landed = zendesk_landed_tables()[table_name] -%}
    {%- if 'schema' in account -%}
        {%- set relation = api.Relation.create(
            database=account.get('database') or target.database, schema=account['schema'],
            identifier=table_name) -%}
    {%- else -%}
        {%- set relation = source('zendesk_fivetran', table_name) -%}
    {%- endif -%}
    {%- set present = [] -%}
    {%- if execute -%}
        {%- set found = adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
        {%- if found is none and landed.get('optional_table') -%}
            {{ return(text_columns_empty(landed['columns'])) }}
        {%- elif found is none -%}
            {{ exceptions.raise_compiler_error(
                "landed Zendesk table '" ~ table_name ~ "': no relation " ~ relation
                ~ " (vars zendesk_schema / zendesk_database, or zendesk_accounts)") }}
        {%- endif -%}
        {%- for column in adapter.get_columns_in_relation(found) -%}
            {%- do present.append(column.name) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(text_columns_select(
        landed['columns'], landed['optional'], relation, present,
        "landed Zendesk table '" ~ table_name ~ "' (" ~ relation ~ ")", fold_case=true)) }}
{% endmacro %}


{#- DuckDB: the account's folder (var zendesk_path by default) holding
    <table>.csv, <table>_data.csv, <table>.csv.gz or <table>.parquet; the
    warehouse schema when the account has no path. -#}
{% macro duckdb__zendesk_landed_account(table_name, account) %}
    {%- if not account.get('path') -%}
        {{ return(default__zendesk_landed_account(table_name, account)) }}
    {%- endif -%}
    {%- set landed = zendesk_landed_tables()[table_name] -%}
    {%- set reader = "(select 1)" -%}
    {%- set present = [] -%}
    {%- set described = "landed Zendesk table '" ~ table_name ~ "'" -%}
    {%- if execute -%}
        {%- set folder = account['path'] | string -%}
        {%- set folder = folder[:-1] if folder.endswith('/') else folder -%}
        {%- set listed = run_query("select file from glob('" ~ folder | replace("'", "''") ~ "/*') order by file") -%}
        {%- set path = zendesk_landed_file(table_name, folder, listed.columns[0].values()) -%}
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


{#- Spark: the account's folder (a path the Spark driver can read), through
    a session view per account and table; the warehouse schema when the
    account has no path. -#}
{% macro spark__zendesk_landed_account(table_name, account) %}
    {%- if not account.get('path') -%}
        {{ return(default__zendesk_landed_account(table_name, account)) }}
    {%- endif -%}
    {%- set landed = zendesk_landed_tables()[table_name] -%}
    {%- set view = 'zendesk_landed__' ~ (account['prefix'] | replace(':', '_') | replace('-', '_')) ~ table_name -%}
    {%- set present = [] -%}
    {%- set described = "landed Zendesk table '" ~ table_name ~ "'" -%}
    {%- if execute -%}
        {%- set folder = account['path'] | string -%}
        {%- set folder = folder[:-1] if folder.endswith('/') else folder -%}
        {%- set listed = run_query("select path from binaryFile.`" ~ folder ~ "`") -%}
        {%- set path = zendesk_landed_file(table_name, folder, listed.columns[0].values()) -%}
        {%- if path is none -%}
            {{ return(text_columns_empty(landed['columns'])) }}
        {%- endif -%}
        {%- set described = described ~ " (file " ~ path ~ ")" -%}
        {%- set present = spark_file_view(view, path) -%}
    {%- endif -%}
    {{ return(text_columns_select(landed['columns'], landed['optional'], view, present, described, fold_case=true)) }}
{% endmacro %}


{#- The file of a landed table among the paths `files` of an account's
    folder (<table>.csv, <table>_data.csv, <table>.csv.gz or
    <table>.parquet); none for an optional table without one; an error for a
    required table without one, or for two. -#}
{% macro zendesk_landed_file(table_name, folder, files) %}
    {%- set described = "landed Zendesk table '" ~ table_name ~ "'" -%}
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
    {%- elif chosen | length == 0 and zendesk_landed_tables()[table_name].get('optional_table') -%}
        {{ return(none) }}
    {%- elif chosen | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            described ~ ": no file " ~ names | join(', ') ~ " in '" ~ folder ~ "'") }}
    {%- endif -%}
    {{ return(chosen[0]) }}
{% endmacro %}


{#- A landed boolean text (TRUE/true/1) as true or false; null stays null. -#}
{% macro zendesk_is_true(expression) -%}
    (lower({{ expression }}) in ('true', 't', '1'))
{%- endmacro %}


{#- A reference relation (business_hours, holidays, team_schedules,
    sla_policies): the seed, or, when the tickets come from the Zendesk
    adapter, the one built from the landed schedules and SLA policies (they
    replace the seeds). -#}
{% macro support_reference(name) %}
    {%- if support_raw_source('tickets') == 'zendesk_fivetran' -%}
        {{ return(ref('base_zendesk_fivetran__' ~ name)) }}
    {%- endif -%}
    {{ return(ref(name)) }}
{% endmacro %}


{#- The schedule of each ticket that has one of its own (ticket_id,
    schedule_id): when the tickets come from the Zendesk adapter, the ticket's current Zendesk
    schedule; otherwise none (tickets use their team's schedule). -#}
{% macro support_ticket_schedules() %}
    {%- if support_raw_source('tickets') == 'zendesk_fivetran' -%}
        {{ return("select ticket_id, schedule_id from " ~ ref('base_zendesk_fivetran__ticket_schedules')) }}
    {%- endif -%}
    {{ return("select cast(null as string) as ticket_id, cast(null as string) as schedule_id where 1 = 0") }}
{% endmacro %}


{#- The support tier of Zendesk groups (group_id, tier, tier_rank): the seed
    zendesk_group_tiers, or var zendesk_group_tiers when set (a list of
    {group_id, tier, tier_rank}, e.g. for one build without editing the
    seed). -#}
{% macro zendesk_group_tiers() %}
    {{ return(adapter.dispatch('zendesk_group_tiers', 'support_kpis')()) }}
{% endmacro %}


{% macro default__zendesk_group_tiers() %}
    {%- set tiers = var('zendesk_group_tiers') -%}
    {%- if not tiers -%}
        {{ return("select group_id, tier, tier_rank from " ~ ref('zendesk_group_tiers')) }}
    {%- endif -%}
    {%- set rows = [] -%}
    {%- for row in tiers -%}
        {%- do rows.append(
            "select cast('" ~ (row['group_id'] | string | replace("'", "''")) ~ "' as " ~ dbt.type_string()
            ~ ") as group_id, cast('" ~ (row['tier'] | string | replace("'", "''")) ~ "' as " ~ dbt.type_string()
            ~ ") as tier, cast(" ~ (row['tier_rank'] | int) ~ " as integer) as tier_rank") -%}
    {%- endfor -%}
    {{ return(rows | join("\n    union all\n    ")) }}
{% endmacro %}
