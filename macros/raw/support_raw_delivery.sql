{#- The rows of one raw table as delivered: every contract column as trimmed
    text (blank = null), in contract order; an optional column missing from
    the delivery is all null. Fails with a clear error when the delivery is
    missing, is not CSV or Parquet, or lacks a required column. -#}
{% macro support_raw_delivery(table_name) %}
    {%- set source = support_raw_source(table_name) -%}
    {%- if source in support_raw_adapters() -%}
        {{ return(support_raw_identities_matched(table_name, support_raw_adapter_delivery(table_name, source))) }}
    {%- elif source == 'mapping' -%}
        {{ return(support_raw_identities_matched(table_name, support_raw_mapped(table_name))) }}
    {%- endif -%}
    {{ return(adapter.dispatch('support_raw_delivery', 'support_kpis')(table_name)) }}
{% endmacro %}


{#- Any warehouse: the raw tables are sources in schema var('raw_schema'). -#}
{% macro default__support_raw_delivery(table_name) %}
    {%- set relation = source('support', table_name) -%}
    {%- set present = [] -%}
    {%- if execute -%}
        {%- if support_raw_contract()[table_name].get('optional_table')
            and adapter.get_relation(relation.database, relation.schema, relation.identifier) is none -%}
            {{ return(support_raw_absent(table_name)) }}
        {%- endif -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do present.append(column.name) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(support_raw_select(table_name, relation, present, 'source ' ~ relation)) }}
{% endmacro %}


{#- DuckDB: read <raw_path>/<table>.csv or .parquet (or the warehouse sources
    when var('raw_source') is 'warehouse'). -#}
{% macro duckdb__support_raw_delivery(table_name) %}
    {%- if not support_raw_from_files(table_name) -%}
        {{ return(default__support_raw_delivery(table_name)) }}
    {%- endif -%}
    {%- set present = [] -%}
    {%- set reader = "(select 1)" -%}
    {%- set described = "raw table '" ~ table_name ~ "'" -%}
    {%- if execute -%}
        {%- set path = duckdb_raw_file(table_name) -%}
        {%- if path is none -%}
            {{ return(support_raw_absent(table_name)) }}
        {%- endif -%}
        {%- set described = "raw table '" ~ table_name ~ "' (file " ~ path ~ ")" -%}
        {%- set file = duckdb_file_reader(path) -%}
        {%- set reader = file['reader'] -%}
        {%- set present = file['columns'] -%}
    {%- endif -%}
    {{ return(support_raw_select(table_name, reader, present, described)) }}
{% endmacro %}


{#- True when the table is read from files in var('raw_path'), false when
    from the warehouse sources (var raw_source or raw_sources: files or
    warehouse). -#}
{% macro support_raw_from_files(table_name) %}
    {{ return(support_raw_source(table_name) == 'files') }}
{% endmacro %}


{#- The one file of a raw table in var('raw_path'); an error when there is none,
    more than one, or one that is not CSV or Parquet. -#}
{% macro duckdb_raw_file(table_name) %}
    {%- set folder = support_raw_folder() -%}
    {%- set listed = run_query(
        "select file from glob('" ~ duckdb_literal_path(folder) | replace("'", "''") ~ "/*') order by file") -%}
    {{ return(support_raw_file_chosen(table_name, folder, listed.columns[0].values())) }}
{% endmacro %}


{#- var('raw_path') without a trailing slash. -#}
{% macro support_raw_folder() %}
    {%- set folder = var('raw_path') | string -%}
    {{ return(folder[:-1] if folder.endswith('/') else folder) }}
{% endmacro %}


{#- The one file of table_name among the paths of the files in folder; none
    for an optional table that has no file. -#}
{% macro support_raw_file_chosen(table_name, folder, files) %}
    {%- if files | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "raw table '" ~ table_name ~ "': the raw folder '" ~ folder
            ~ "' (var raw_path) does not exist or is empty") }}
    {%- endif -%}
    {%- set readable = [] -%}
    {%- set unreadable = [] -%}
    {%- for file in files | sort -%}
        {%- set base_name = file.split('/')[-1] -%}
        {%- if base_name.startswith(table_name ~ '.') -%}
            {%- set lowered = base_name | lower -%}
            {%- if lowered.endswith('.csv') or lowered.endswith('.csv.gz') or lowered.endswith('.parquet') -%}
                {%- do readable.append(file) -%}
            {%- else -%}
                {%- do unreadable.append(file) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if readable | length > 1 -%}
        {{ exceptions.raise_compiler_error(
            "raw table '" ~ table_name ~ "': more than one file in '" ~ folder ~ "': "
            ~ readable | join(', ') ~ "; keep exactly one") }}
    {%- elif readable | length == 0 and unreadable | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            "raw table '" ~ table_name ~ "': file " ~ unreadable | join(', ')
            ~ " is not CSV or Parquet (expected " ~ table_name ~ ".csv, " ~ table_name
            ~ ".csv.gz or " ~ table_name ~ ".parquet)") }}
    {%- elif readable | length == 0 and support_raw_contract()[table_name].get('optional_table') -%}
        {{ return(none) }}
    {%- elif readable | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "raw table '" ~ table_name ~ "': no file " ~ table_name ~ ".csv or "
            ~ table_name ~ ".parquet in '" ~ folder ~ "'") }}
    {%- endif -%}
    {{ return(readable[0]) }}
{% endmacro %}


{#- Spark: read <raw_path>/<table>.csv or .parquet through a session view
    (dbt-spark runs every statement of one dbt invocation in one Spark
    session), or the warehouse sources when var('raw_source') is 'warehouse'.
    raw_path must be a path the Spark driver can read (absolute, or a URI such
    as s3a://bucket/folder). -#}
{% macro spark__support_raw_delivery(table_name) %}
    {%- if not support_raw_from_files(table_name) -%}
        {{ return(default__support_raw_delivery(table_name)) }}
    {%- endif -%}
    {%- set present = [] -%}
    {%- set view = 'support_raw__' ~ table_name -%}
    {%- set described = "raw table '" ~ table_name ~ "'" -%}
    {%- if execute -%}
        {%- set folder = support_raw_folder() -%}
        {%- set listed = run_query("select path from binaryFile.`" ~ spark_literal_path(folder) | replace('`', '``') ~ "`") -%}
        {%- set path = support_raw_file_chosen(table_name, folder, listed.columns[0].values()) -%}
        {%- if path is none -%}
            {{ return(support_raw_absent(table_name)) }}
        {%- endif -%}
        {%- set described = "raw table '" ~ table_name ~ "' (file " ~ path ~ ")" -%}
        {%- set present = spark_file_view(view, path) -%}
    {%- endif -%}
    {{ return(support_raw_select(table_name, view, present, described)) }}
{% endmacro %}


{#- select <contract columns as trimmed text> from <reader>, after checking
    that every required column is present. -#}
{% macro support_raw_select(table_name, reader, present, described) %}
    {%- set contract = support_raw_contract()[table_name] -%}
    {{ return(text_columns_select(contract['columns'], contract['optional'], reader, present, described)) }}
{% endmacro %}


{#- select <columns as trimmed text, blank = null> from <reader>: a column
    missing from `present` is an error naming `described`, unless it is in
    `optional` (then all null). With fold_case, names match
    case-insensitively (a warehouse may upper-case them). -#}
{% macro text_columns_select(columns, optional, reader, present, described, fold_case=false) %}
    {%- set actual = {} -%}
    {%- for name in present -%}
        {%- do actual.update({(name | lower) if fold_case else name: name}) -%}
    {%- endfor -%}
    {%- if execute -%}
        {%- set missing = [] -%}
        {%- for column in columns -%}
            {%- if column not in actual and column not in optional -%}
                {%- do missing.append(column) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if missing | length > 0 -%}
            {{ exceptions.raise_compiler_error(
                described ~ ": required column" ~ ('s ' if missing | length > 1 else ' ')
                ~ "'" ~ missing | join("', '") ~ "' missing; found columns: "
                ~ present | join(', ')) }}
        {%- endif -%}
    {%- endif -%}
    {%- set select_list = [] -%}
    {%- for column in columns -%}
        {%- if column in actual -%}
            {%- do select_list.append(
                "nullif(trim(cast(" ~ adapter.quote(actual[column]) ~ " as " ~ dbt.type_string() ~ ")), '') as "
                ~ adapter.quote(column)) -%}
        {%- else -%}
            {%- do select_list.append("cast(null as " ~ dbt.type_string() ~ ") as " ~ adapter.quote(column)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return("select\n        " ~ select_list | join(",\n        ") ~ "\n    from " ~ reader) }}
{% endmacro %}


{#- An optional table missing from the delivery: its contract columns as
    text, no rows. -#}
{% macro support_raw_absent(table_name) %}
    {{ return(text_columns_empty(support_raw_contract()[table_name]['columns'])) }}
{% endmacro %}


{#- The given columns as text, no rows. -#}
{% macro text_columns_empty(columns) %}
    {%- set select_list = [] -%}
    {%- for column in columns -%}
        {%- do select_list.append("cast(null as " ~ dbt.type_string() ~ ") as " ~ adapter.quote(column)) -%}
    {%- endfor -%}
    {{ return("select\n        " ~ select_list | join(",\n        ") ~ "\n    where 1 = 0") }}
{% endmacro %}


{#- A delivered file on DuckDB, read at its literal path: its reader and
    its column names, as {reader, columns}. CSV: read_csv with the fixed
    dialect and every column as text, after the checks of duckdb_csv_reader.
    Parquet: read_parquet, a float or decimal column as exact text
    (exact_number_text: 6.0 -> '6'). -#}
{% macro duckdb_file_reader(path) %}
    {%- if not (path | lower).endswith('.parquet') -%}
        {{ return(duckdb_csv_reader(path)) }}
    {%- endif -%}
    {%- set reader = "read_parquet('" ~ duckdb_literal_path(path) | replace("'", "''") ~ "')" -%}
    {%- set columns = [] -%}
    {%- set select_list = [] -%}
    {%- set ns = namespace(is_converted=false) -%}
    {%- for row in run_query("describe select * from " ~ reader).rows -%}
        {%- do columns.append(row[0]) -%}
        {%- if is_fractional_type(row[1]) -%}
            {%- set ns.is_converted = true -%}
            {%- do select_list.append(exact_number_text(adapter.quote(row[0])) ~ " as " ~ adapter.quote(row[0])) -%}
        {%- else -%}
            {%- do select_list.append(adapter.quote(row[0])) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if ns.is_converted -%}
        {%- set reader = "(select " ~ select_list | join(", ") ~ " from " ~ reader ~ ")" -%}
    {%- endif -%}
    {{ return({'reader': reader, 'columns': columns}) }}
{% endmacro %}


{#- A delivered file on Spark, read at its literal path: (re)creates the
    session view `view` over it and returns its column names. CSV: read
    strictly (FAILFAST), after a check of its header line (a name twice is
    an error). Parquet: a float or decimal column as exact text
    (exact_number_text), through the view <view>__file. -#}
{% macro spark_file_view(view, path) %}
    {%- set literal = spark_literal_path(path) -%}
    {%- set quoted = literal | replace('\\', '\\\\') | replace("'", "\\'") -%}
    {%- if (path | lower).endswith('.parquet') -%}
        {%- do run_query("create or replace temporary view " ~ view ~ "__file using parquet options (path '" ~ quoted ~ "')") -%}
        {%- set columns = [] -%}
        {%- set select_list = [] -%}
        {%- for row in run_query("describe " ~ view ~ "__file").rows -%}
            {%- if row[0] and not row[0].startswith('#') and row[0] not in columns -%}
                {%- do columns.append(row[0]) -%}
                {%- if is_fractional_type(row[1]) -%}
                    {%- do select_list.append(exact_number_text(adapter.quote(row[0])) ~ " as " ~ adapter.quote(row[0])) -%}
                {%- else -%}
                    {%- do select_list.append(adapter.quote(row[0])) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do run_query("create or replace temporary view " ~ view ~ " as select "
            ~ select_list | join(", ") ~ " from " ~ view ~ "__file") -%}
        {{ return(columns) }}
    {%- endif -%}
    {%- set header = run_query("select value from text.`" ~ literal | replace('`', '``') ~ "` limit 1") -%}
    {%- do support_csv_header_names(header.rows[0][0] if header.rows | length > 0 else '', path) -%}
    {%- do run_query("create or replace temporary view " ~ view ~ " using csv options (path '" ~ quoted
        ~ "', header 'true', sep ',', quote '\"', escape '\"', multiLine 'true', mode 'FAILFAST')") -%}
    {{ return(run_query("select * from " ~ view ~ " limit 0").column_names | list) }}
{% endmacro %}


{#- The delivery time ("not in the future of the delivery", D5): var
    as_of_at when set, else the start of this run. -#}
{% macro delivery_time() -%}
    {%- set as_of = var('as_of_at') or run_started_at.strftime('%Y-%m-%d %H:%M:%S') -%}
    cast('{{ as_of }}' as timestamp)
{%- endmacro %}
