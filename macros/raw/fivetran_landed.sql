{#- The one reader of the tables a Fivetran connector lands, shared by the
    Zendesk and Intercom adapters (README, "Zendesk", "Intercom"). A
    connector is named by its short name (`zendesk`, `intercom`): its landed
    tables are <name>_landed_tables(), its dbt source <name>_fivetran, and
    its vars <name>_path, <name>_schema, <name>_database, <name>_id_prefix
    and <name>_accounts. -#}
{% macro fivetran_connector(name) %}
    {%- if name == 'zendesk' -%}
        {{ return({'label': 'Zendesk', 'unit': 'account', 'tables': zendesk_landed_tables()}) }}
    {%- elif name == 'intercom' -%}
        {{ return({'label': 'Intercom', 'unit': 'workspace', 'tables': intercom_landed_tables()}) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error("unknown Fivetran connector '" ~ name ~ "'") }}
{% endmacro %}


{#- The accounts (Zendesk) or workspaces (Intercom) to read: var
    <name>_accounts, a list of {prefix, path} (DuckDB folders) or {prefix,
    schema[, database]} (warehouse schemas); by default one, var <name>_path
    or the source <name>_fivetran, with prefix var <name>_id_prefix. -#}
{% macro fivetran_accounts(name) %}
    {%- set accounts = var(name ~ '_accounts') -%}
    {%- if not accounts -%}
        {%- set account = {'prefix': var(name ~ '_id_prefix') or '', 'path': var(name ~ '_path')} -%}
        {%- if var(name ~ '_database') -%}
            {%- do account.update({'schema': var(name ~ '_schema'), 'database': var(name ~ '_database')}) -%}
        {%- endif -%}
        {{ return([account]) }}
    {%- endif -%}
    {%- set unit = fivetran_connector(name)['unit'] -%}
    {%- set prefixes = [] -%}
    {%- for account in accounts -%}
        {%- if 'prefix' not in account or not account['prefix'] or account['prefix'] in prefixes -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ name ~ "_accounts: every " ~ unit ~ " needs its own non-empty prefix (e.g. 'eu:'), got "
                ~ accounts | string) }}
        {%- endif -%}
        {%- do prefixes.append(account['prefix']) -%}
    {%- endfor -%}
    {{ return(accounts) }}
{% endmacro %}


{#- select <the landed table's columns as trimmed text, ids prefixed with
    their account's prefix>, <name>_account (the prefix) from the table of
    every account. Dispatched (one implementation) so that the SQL linter can
    stand in a plain relation for it. -#}
{% macro fivetran_landed(name, table_name) %}
    {{ return(adapter.dispatch('fivetran_landed', 'support_kpis')(name, table_name)) }}
{% endmacro %}


{% macro default__fivetran_landed(name, table_name) %}
    {%- set landed = fivetran_connector(name)['tables'][table_name] -%}
    {%- set selects = [] -%}
    {%- for account in fivetran_accounts(name) -%}
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
            "select " ~ columns | join(", ") ~ ", '" ~ prefix ~ "' as " ~ name ~ "_account from ("
            ~ fivetran_landed_account(name, table_name, account) ~ ") as landed") -%}
    {%- endfor -%}
    {{ return(selects | join("\n    union all\n    ")) }}
{% endmacro %}


{#- One account's landed table as text (its ids not yet prefixed). -#}
{% macro fivetran_landed_account(name, table_name, account) %}
    {{ return(adapter.dispatch('fivetran_landed_account', 'support_kpis')(name, table_name, account)) }}
{% endmacro %}


{#- Any warehouse: the account's schema (vars <name>_schema and
    <name>_database, the source <name>_fivetran, by default). -#}
{% macro default__fivetran_landed_account(name, table_name, account) %}
    {%- set connector = fivetran_connector(name) -%}
    {%- set landed = connector['tables'][table_name] -%}
    {%- if 'schema' in account -%}
        {%- set relation = api.Relation.create(
            database=account.get('database') or target.database, schema=account['schema'],
            identifier=table_name) -%}
    {%- else -%}
        {%- set relation = source(name ~ '_fivetran', table_name) -%}
    {%- endif -%}
    {%- set present = [] -%}
    {%- if execute -%}
        {%- set found = adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
        {%- if found is none and landed.get('optional_table') -%}
            {{ return(text_columns_empty(landed['columns'])) }}
        {%- elif found is none -%}
            {{ exceptions.raise_compiler_error(
                "landed " ~ connector['label'] ~ " table '" ~ table_name ~ "': no relation " ~ relation
                ~ " (vars " ~ name ~ "_path, or " ~ name ~ "_schema / " ~ name ~ "_database, or "
                ~ name ~ "_accounts)") }}
        {%- endif -%}
        {%- for column in adapter.get_columns_in_relation(found) -%}
            {%- do present.append(column.name) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(text_columns_select(
        landed['columns'], landed['optional'], relation, present,
        "landed " ~ connector['label'] ~ " table '" ~ table_name ~ "' (" ~ relation ~ ")", fold_case=true)) }}
{% endmacro %}


{#- DuckDB: the account's folder (var <name>_path by default) holding
    <table>.csv, <table>_data.csv, <table>.csv.gz or <table>.parquet; the
    warehouse schema when the account has no path. -#}
{% macro duckdb__fivetran_landed_account(name, table_name, account) %}
    {%- if not account.get('path') -%}
        {{ return(default__fivetran_landed_account(name, table_name, account)) }}
    {%- endif -%}
    {%- set connector = fivetran_connector(name) -%}
    {%- set landed = connector['tables'][table_name] -%}
    {%- set reader = "(select 1)" -%}
    {%- set present = [] -%}
    {%- set described = "landed " ~ connector['label'] ~ " table '" ~ table_name ~ "'" -%}
    {%- if execute -%}
        {%- set folder = account['path'] | string -%}
        {%- set folder = folder[:-1] if folder.endswith('/') else folder -%}
        {%- set listed = run_query("select file from glob('" ~ duckdb_literal_path(folder) | replace("'", "''") ~ "/*') order by file") -%}
        {%- set path = fivetran_landed_file(name, table_name, folder, listed.columns[0].values()) -%}
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
    a session view per connector, account and table; the warehouse schema
    when the account has no path. -#}
{% macro spark__fivetran_landed_account(name, table_name, account) %}
    {%- if not account.get('path') -%}
        {{ return(default__fivetran_landed_account(name, table_name, account)) }}
    {%- endif -%}
    {%- set connector = fivetran_connector(name) -%}
    {%- set landed = connector['tables'][table_name] -%}
    {%- set view = name ~ '_landed__' ~ (account['prefix'] | replace(':', '_') | replace('-', '_')) ~ table_name -%}
    {%- set present = [] -%}
    {%- set described = "landed " ~ connector['label'] ~ " table '" ~ table_name ~ "'" -%}
    {%- if execute -%}
        {%- set folder = account['path'] | string -%}
        {%- set folder = folder[:-1] if folder.endswith('/') else folder -%}
        {%- set listed = run_query("select path from binaryFile.`" ~ spark_literal_path(folder) | replace('`', '``') ~ "`") -%}
        {%- set path = fivetran_landed_file(name, table_name, folder, listed.columns[0].values()) -%}
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
{% macro fivetran_landed_file(name, table_name, folder, files) %}
    {%- set connector = fivetran_connector(name) -%}
    {%- set described = "landed " ~ connector['label'] ~ " table '" ~ table_name ~ "'" -%}
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
    {%- elif chosen | length == 0 and connector['tables'][table_name].get('optional_table') -%}
        {{ return(none) }}
    {%- elif chosen | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            described ~ ": no file " ~ names | join(', ') ~ " in '" ~ folder ~ "'") }}
    {%- endif -%}
    {{ return(chosen[0]) }}
{% endmacro %}


{#- select landed_table, count_landed_rows: the rows of every landed table of
    the connector, counted from the landed tables themselves. -#}
{% macro fivetran_landed_counts(name) %}
    {%- set selects = [] -%}
    {%- for table_name in fivetran_connector(name)['tables'] -%}
        {%- do selects.append(
            "select '" ~ table_name ~ "' as landed_table, count(*) as count_landed_rows from ("
            ~ fivetran_landed(name, table_name) ~ ") as landed") -%}
    {%- endfor -%}
    {{ return(selects | join("\n    union all\n    ")) }}
{% endmacro %}
