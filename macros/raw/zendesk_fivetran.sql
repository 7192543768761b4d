{#- The tables Fivetran's Zendesk connector lands that the Zendesk adapter
    reads (var raw_source: zendesk_fivetran), with the columns it uses.
    `optional` columns may be missing (then null); an `optional_table` may be
    missing altogether (then no rows). Column meanings: README, "Zendesk". -#}
{% macro zendesk_landed_tables() %}
    {% do return({
        'ticket': {
            'columns': [
                'id', 'created_at', 'updated_at', 'status', 'priority', 'type', 'requester_id',
                'submitter_id', 'assignee_id', 'group_id', 'via_channel', 'via_source_rel',
                '_fivetran_deleted',
            ],
            'optional': ['via_source_rel', '_fivetran_deleted'],
        },
        'ticket_comment': {
            'columns': ['id', 'ticket_id', 'user_id', 'created', 'public', 'via_channel', '_fivetran_deleted'],
            'optional': ['via_channel', '_fivetran_deleted'],
        },
        'ticket_field_history': {
            'columns': ['ticket_id', 'field_name', 'updated', 'value', 'user_id'],
            'optional': [],
        },
        'user': {
            'columns': [
                'id', 'name', 'email', 'phone', 'role', 'organization_id', 'created_at', 'updated_at',
                'active', 'suspended', '_fivetran_deleted',
            ],
            'optional': ['phone', 'suspended', '_fivetran_deleted'],
        },
        'group': {
            'columns': ['id', 'name', '_fivetran_deleted'],
            'optional': ['_fivetran_deleted'],
        },
        'schedule': {
            'columns': ['id', 'name', 'time_zone', 'created_at', 'start_time', 'end_time', '_fivetran_deleted'],
            'optional': ['_fivetran_deleted'],
        },
        'schedule_holiday': {
            'columns': ['id', 'schedule_id', 'name', 'start_date', 'end_date', '_fivetran_deleted'],
            'optional': ['_fivetran_deleted'],
            'optional_table': true,
        },
        'ticket_schedule': {
            'columns': ['ticket_id', 'schedule_id', 'created_at'],
            'optional': [],
            'optional_table': true,
        },
        'satisfaction_rating': {
            'columns': ['id', 'ticket_id', 'requester_id', 'score', 'comment', 'created_at', 'updated_at'],
            'optional': ['comment'],
            'optional_table': true,
        },
    }) %}
{% endmacro %}


{#- select <the landed table's columns as trimmed text> from it: from
    var('zendesk_path') on DuckDB (a folder of <table>.csv, <table>_data.csv,
    <table>.csv.gz or <table>.parquet), else from the dbt source
    zendesk_fivetran (database and schema from vars zendesk_database and
    zendesk_schema). -#}
{% macro zendesk_landed(table_name) %}
    {{ return(adapter.dispatch('zendesk_landed', 'support_kpis')(table_name)) }}
{% endmacro %}


{% macro default__zendesk_landed(table_name) %}
    {%- set landed = zendesk_landed_tables()[table_name] -%}
    {%- set relation = source('zendesk_fivetran', table_name) -%}
    {%- set present = [] -%}
    {%- if execute -%}
        {%- if landed.get('optional_table')
            and adapter.get_relation(relation.database, relation.schema, relation.identifier) is none -%}
            {{ return(text_columns_empty(landed['columns'])) }}
        {%- endif -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do present.append(column.name) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(text_columns_select(
        landed['columns'], landed['optional'], relation, present,
        "landed Zendesk table '" ~ table_name ~ "' (source " ~ relation ~ ")", fold_case=true)) }}
{% endmacro %}


{% macro duckdb__zendesk_landed(table_name) %}
    {%- if var('zendesk_path') is none -%}
        {{ return(default__zendesk_landed(table_name)) }}
    {%- endif -%}
    {%- set landed = zendesk_landed_tables()[table_name] -%}
    {%- set reader = "(select 1)" -%}
    {%- set present = [] -%}
    {%- set described = "landed Zendesk table '" ~ table_name ~ "'" -%}
    {%- if execute -%}
        {%- set folder = var('zendesk_path') | string -%}
        {%- set folder = folder[:-1] if folder.endswith('/') else folder -%}
        {%- set listed = run_query("select file from glob('" ~ folder | replace("'", "''") ~ "/*') order by file") -%}
        {%- set files = listed.columns[0].values() -%}
        {%- if files | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                described ~ ": the folder '" ~ folder ~ "' (var zendesk_path) does not exist or is empty") }}
        {%- endif -%}
        {%- set chosen = [] -%}
        {%- for file in files -%}
            {%- set base_name = file.split('/')[-1] -%}
            {%- if base_name in [
                table_name ~ '.csv', table_name ~ '_data.csv', table_name ~ '.csv.gz', table_name ~ '.parquet'
            ] -%}
                {%- do chosen.append(file) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if chosen | length > 1 -%}
            {{ exceptions.raise_compiler_error(
                described ~ ": more than one file in '" ~ folder ~ "': " ~ chosen | join(', ') ~ "; keep exactly one") }}
        {%- elif chosen | length == 0 and landed.get('optional_table') -%}
            {{ return(text_columns_empty(landed['columns'])) }}
        {%- elif chosen | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                described ~ ": no file " ~ table_name ~ ".csv, " ~ table_name ~ "_data.csv or "
                ~ table_name ~ ".parquet in '" ~ folder ~ "'") }}
        {%- endif -%}
        {%- set path = chosen[0] -%}
        {%- set described = described ~ " (file " ~ path ~ ")" -%}
        {%- if path.endswith('.parquet') -%}
            {%- set reader = "read_parquet('" ~ path | replace("'", "''") ~ "')" -%}
        {%- else -%}
            {%- set reader = "read_csv('" ~ path | replace("'", "''")
                ~ "', header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')" -%}
        {%- endif -%}
        {%- for row in run_query("describe select * from " ~ reader).rows -%}
            {%- do present.append(row[0]) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(text_columns_select(landed['columns'], landed['optional'], reader, present, described, fold_case=true)) }}
{% endmacro %}


{#- A Zendesk id as it appears in the contract: the landed id as text,
    prefixed with var('zendesk_id_prefix') when set (to union several Zendesk
    accounts without id collisions). -#}
{% macro zendesk_id(expression) -%}
    {%- if var('zendesk_id_prefix') -%}
        case when {{ expression }} is not null then '{{ var("zendesk_id_prefix") }}' || {{ expression }} end
    {%- else -%}
        {{ expression }}
    {%- endif -%}
{%- endmacro %}


{#- A landed boolean text (TRUE/true/1) as true or false; null stays null. -#}
{% macro zendesk_is_true(expression) -%}
    (lower({{ expression }}) in ('true', 't', '1'))
{%- endmacro %}


{#- A reference relation (business_hours, holidays, team_schedules): the
    seed, or with the Zendesk adapter the one built from the landed
    schedules (they replace the seeds). -#}
{% macro support_reference(name) %}
    {%- if var('raw_source') == 'zendesk_fivetran' -%}
        {{ return(ref('base_zendesk_fivetran__' ~ name)) }}
    {%- endif -%}
    {{ return(ref(name)) }}
{% endmacro %}


{#- The schedule of each ticket that has one of its own (ticket_id,
    schedule_id): with the Zendesk adapter, the ticket's current Zendesk
    schedule; otherwise none (tickets use their team's schedule). -#}
{% macro support_ticket_schedules() %}
    {%- if var('raw_source') == 'zendesk_fivetran' -%}
        {{ return("select ticket_id, schedule_id from " ~ ref('base_zendesk_fivetran__ticket_schedules')) }}
    {%- endif -%}
    {{ return("select cast(null as string) as ticket_id, cast(null as string) as schedule_id where 1 = 0") }}
{% endmacro %}
