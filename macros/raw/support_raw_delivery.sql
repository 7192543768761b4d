{#- The rows of one raw table as delivered: every contract column as trimmed
    text (blank = null), in contract order; an optional column missing from
    the delivery is all null; then load_id and load_rank, the load each row
    came in (spec, "Deliveries in loads"; docs/decisions.md D34). Fails with a
    clear error when the delivery is missing, is not CSV or Parquet, or lacks
    a required column. An adapter or the mapping file is one load. -#}
{% macro support_raw_delivery(table_name) %}
    {%- set source = support_raw_source(table_name) -%}
    {%- if source in support_raw_adapters() -%}
        {{ return(support_raw_one_load(
            support_raw_identities_matched(table_name, support_raw_adapter_delivery(table_name, source)), source)) }}
    {%- elif source == 'mapping' -%}
        {{ return(support_raw_one_load(
            support_raw_identities_matched(table_name, support_raw_mapped(table_name)), source)) }}
    {%- endif -%}
    {{ return(adapter.dispatch('support_raw_delivery', 'support_kpis')(table_name)) }}
{% endmacro %}


{#- A delivery that is one load: its select with load_id (the given text)
    and load_rank 1. -#}
{% macro support_raw_one_load(delivery, load_id) %}
    {{ return("select\n        one_load.*,\n        " ~ support_text_literal(load_id) ~ " as load_id,\n        "
        ~ "cast(1 as " ~ dbt.type_int() ~ ") as load_rank\n    from (" ~ delivery ~ ") as one_load") }}
{% endmacro %}


{#- A text literal of the adapter's SQL dialect: 'it''s' (DuckDB and the
    default) or 'it\'s' (Spark). -#}
{% macro support_text_literal(value) %}
    {{ return(adapter.dispatch('support_text_literal', 'support_kpis')(value)) }}
{% endmacro %}

{% macro default__support_text_literal(value) %}
    {{ return("'" ~ value | string | replace("'", "''") ~ "'") }}
{% endmacro %}

{% macro spark__support_text_literal(value) %}
    {{ return("'" ~ value | string | replace('\\', '\\\\') | replace("'", "\\'") ~ "'") }}
{% endmacro %}


{#- Any warehouse: the raw tables are sources in schema var('raw_schema').
    A column _loaded_at (any case) makes each of its distinct values a load,
    in its order (a null _loaded_at: the first load, '(no _loaded_at)');
    load_id is the value as text. Without it the table is one load, load_id
    '<schema>.<table>'. -#}
{% macro default__support_raw_delivery(table_name) %}
    {%- set relation = source('support', table_name) -%}
    {%- set present = [] -%}
    {%- set ns = namespace(loaded_at=none) -%}
    {%- if execute -%}
        {%- if support_raw_contract()[table_name].get('optional_table')
            and adapter.get_relation(relation.database, relation.schema, relation.identifier) is none -%}
            {{ return(support_raw_one_load(support_raw_absent(table_name), '')) }}
        {%- endif -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do present.append(column.name) -%}
            {%- if column.name | lower == '_loaded_at' -%}
                {%- set ns.loaded_at = column.name -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set described = 'source ' ~ relation -%}
    {%- if ns.loaded_at is none -%}
        {{ return(support_raw_one_load(
            support_raw_select(table_name, relation, present, described),
            relation.schema ~ '.' ~ relation.identifier)) }}
    {%- endif -%}
    {%- set loaded_at = adapter.quote(ns.loaded_at) -%}
    {%- set reader = "(select landed.*, dense_rank() over (order by landed." ~ loaded_at
        ~ " nulls first) as support_load_rank from " ~ relation ~ " as landed) as loaded" -%}
    {%- set load_columns = [
        "coalesce(cast(" ~ loaded_at ~ " as " ~ dbt.type_string() ~ "), '(no _loaded_at)') as load_id",
        "cast(support_load_rank as " ~ dbt.type_int() ~ ") as load_rank",
    ] -%}
    {%- set contract = support_raw_contract()[table_name] -%}
    {{ return(text_columns_select(
        contract['columns'], contract['optional'], reader, present, described, extra=load_columns)) }}
{% endmacro %}


{#- DuckDB: read the loads of <raw_path>/<table>/ or the one file
    <raw_path>/<table>.csv|.csv.gz|.parquet (or the warehouse sources when
    the table's source is 'warehouse'). -#}
{% macro duckdb__support_raw_delivery(table_name) %}
    {%- if not support_raw_from_files(table_name) -%}
        {{ return(default__support_raw_delivery(table_name)) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return(support_raw_load_select(table_name, "(select 1)", [], "raw table '" ~ table_name ~ "'", '', 1)) }}
    {%- endif -%}
    {%- set paths = duckdb_raw_load_files(table_name) -%}
    {%- if paths | length == 0 -%}
        {{ return(support_raw_one_load(support_raw_absent(table_name), '')) }}
    {%- endif -%}
    {%- set numbered = [] -%}
    {%- if support_intake_reads_new_loads(table_name) -%}
        {%- set numbered = support_intake_unprocessed(table_name, paths) -%}
    {%- else -%}
        {%- for path in paths -%}
            {%- do numbered.append((path, loop.index)) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if numbered | length == 0 -%}
        {{ return(support_raw_load_select(
            table_name, "(" ~ support_raw_absent(table_name) ~ ") as no_new_load",
            support_raw_contract()[table_name]['columns'], "raw table '" ~ table_name ~ "'", '', 0)) }}
    {%- endif -%}
    {%- set loads = [] -%}
    {%- for path, load_rank in numbered -%}
        {%- set file = duckdb_file_reader(path) -%}
        {%- do loads.append(support_raw_load_select(
            table_name, file['reader'], file['columns'],
            "raw table '" ~ table_name ~ "' (file " ~ path ~ ")", path, load_rank)) -%}
    {%- endfor -%}
    {{ return(loads | join("\n    union all\n    ")) }}
{% endmacro %}


{#- The rows of one load file: the contract columns (support_raw_select),
    load_id (the file's name) and load_rank (its place in load order). -#}
{% macro support_raw_load_select(table_name, reader, present, described, path, load_rank) %}
    {%- set contract = support_raw_contract()[table_name] -%}
    {%- set load_columns = [
        support_text_literal(path.split('/')[-1]) ~ " as load_id",
        "cast(" ~ load_rank ~ " as " ~ dbt.type_int() ~ ") as load_rank",
    ] -%}
    {{ return(text_columns_select(
        contract['columns'], contract['optional'], reader, present, described, extra=load_columns)) }}
{% endmacro %}


{#- True when the table is read from files in var('raw_path'), false when
    from the warehouse sources (var raw_source or raw_sources: files or
    warehouse). -#}
{% macro support_raw_from_files(table_name) %}
    {{ return(support_raw_source(table_name) == 'files') }}
{% endmacro %}


{#- DuckDB: the load files of a raw table in var('raw_path'), in load order
    (support_raw_files_chosen). -#}
{% macro duckdb_raw_load_files(table_name) %}
    {{ return(duckdb_raw_load_listing(table_name)['paths']) }}
{% endmacro %}


{#- DuckDB: {paths: the load files of a raw table in var('raw_path'), in
    load order (support_raw_files_chosen); is_load_folder: true when they are
    the files of its load folder <table>/}. -#}
{% macro duckdb_raw_load_listing(table_name) %}
    {%- set folder = support_raw_folder() -%}
    {%- set pattern = duckdb_literal_path(folder) | replace("'", "''") -%}
    {%- set listed = run_query("select file from glob('" ~ pattern ~ "/*') order by file") -%}
    {%- set nested = run_query("select file from glob('" ~ pattern ~ "/" ~ table_name ~ "/*') order by file") -%}
    {%- set load_files = nested.columns[0].values() | list -%}
    {%- set paths = support_raw_files_chosen(table_name, folder, listed.columns[0].values(), load_files) -%}
    {{ return({'paths': paths, 'is_load_folder': paths | length > 0 and paths[0] in load_files}) }}
{% endmacro %}


{#- var('raw_path') without a trailing slash. -#}
{% macro support_raw_folder() %}
    {%- set folder = var('raw_path') | string -%}
    {{ return(folder[:-1] if folder.endswith('/') else folder) }}
{% endmacro %}


{#- The load files of table_name, in load order: the files of its load
    folder <table>/ (load_files; hidden names starting with . or _ are
    skipped) sorted by name (byte order), or its one file among the files
    directly in folder (files); an empty list for an optional table that has
    neither. Errors: both a file and a load folder, more than one file, a
    file that is not CSV or Parquet, no delivery at all. -#}
{% macro support_raw_files_chosen(table_name, folder, files, load_files) %}
    {%- if files | length == 0 and load_files | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "raw table '" ~ table_name ~ "': the raw folder '" ~ folder
            ~ "' (var raw_path) does not exist or is empty") }}
    {%- endif -%}
    {%- set readable = [] -%}
    {%- set unreadable = [] -%}
    {%- for file in files | sort(case_sensitive=true) -%}
        {%- set base_name = file.split('/')[-1] -%}
        {%- if base_name.startswith(table_name ~ '.') -%}
            {%- if support_raw_is_readable(base_name) -%}
                {%- do readable.append(file) -%}
            {%- else -%}
                {%- do unreadable.append(file) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set loads = [] -%}
    {%- for file in load_files | sort(case_sensitive=true) if not file.split('/')[-1][:1] in ('.', '_') -%}
        {%- if not support_raw_is_readable(file.split('/')[-1]) -%}
            {{ exceptions.raise_compiler_error(
                "raw table '" ~ table_name ~ "': file " ~ file ~ " in the load folder '" ~ folder ~ "/"
                ~ table_name ~ "/' is not CSV or Parquet (each load is a .csv, .csv.gz or .parquet file)") }}
        {%- endif -%}
        {%- do loads.append(file) -%}
    {%- endfor -%}
    {%- if loads | length > 0 and (readable | length > 0 or unreadable | length > 0) -%}
        {{ exceptions.raise_compiler_error(
            "raw table '" ~ table_name ~ "': both a file (" ~ (readable + unreadable) | join(', ')
            ~ ") and a load folder ('" ~ folder ~ "/" ~ table_name ~ "/') in '" ~ folder
            ~ "'; keep one: either one file for the table or a folder of one file per load") }}
    {%- elif loads | length > 0 -%}
        {{ return(loads) }}
    {%- elif readable | length > 1 -%}
        {{ exceptions.raise_compiler_error(
            "raw table '" ~ table_name ~ "': more than one file in '" ~ folder ~ "': "
            ~ readable | join(', ') ~ "; keep exactly one (or deliver loads as files of a folder '"
            ~ table_name ~ "/')") }}
    {%- elif readable | length == 0 and unreadable | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            "raw table '" ~ table_name ~ "': file " ~ unreadable | join(', ')
            ~ " is not CSV or Parquet (expected " ~ table_name ~ ".csv, " ~ table_name
            ~ ".csv.gz or " ~ table_name ~ ".parquet)") }}
    {%- elif readable | length == 0 and support_raw_contract()[table_name].get('optional_table') -%}
        {{ return([]) }}
    {%- elif readable | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "raw table '" ~ table_name ~ "': no file " ~ table_name ~ ".csv or "
            ~ table_name ~ ".parquet in '" ~ folder ~ "' (and no load folder " ~ table_name ~ "/)") }}
    {%- endif -%}
    {{ return(readable[:1]) }}
{% endmacro %}


{#- True for a file name the project reads: .csv, .csv.gz or .parquet (any case). -#}
{% macro support_raw_is_readable(base_name) %}
    {%- set lowered = base_name | lower -%}
    {{ return(lowered.endswith('.csv') or lowered.endswith('.csv.gz') or lowered.endswith('.parquet')) }}
{% endmacro %}


{#- Spark: read the loads of <raw_path>/<table>/ or the one file
    <raw_path>/<table>.csv|.parquet, each through a session view (dbt-spark
    runs every statement of one dbt invocation in one Spark session), or the
    warehouse sources when the table's source is 'warehouse'. raw_path must
    be a path the Spark driver can read (absolute, or a URI such as
    s3a://bucket/folder). The folder is listed once, recursively; a file
    directly in it or in its subfolder <table>/ counts. -#}
{% macro spark__support_raw_delivery(table_name) %}
    {%- if not support_raw_from_files(table_name) -%}
        {{ return(default__support_raw_delivery(table_name)) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return(support_raw_load_select(
            table_name, 'support_raw__' ~ table_name ~ '__1', [], "raw table '" ~ table_name ~ "'", '', 1)) }}
    {%- endif -%}
    {%- set folder = support_raw_folder() -%}
    {%- set folder_name = folder.rstrip('/').split('/')[-1] -%}
    {%- set listing = 'support_raw_listing__' ~ table_name -%}
    {%- set quoted = spark_literal_path(folder) | replace('\\', '\\\\') | replace("'", "\\'") -%}
    {%- do run_query("create or replace temporary view " ~ listing ~ " using binaryFile options (path '"
        ~ quoted ~ "', recursiveFileLookup 'true')") -%}
    {%- set files = [] -%}
    {%- set load_files = [] -%}
    {%- for path in run_query("select path from " ~ listing).columns[0].values() -%}
        {%- set parts = path.rstrip('/').split('/') -%}
        {%- if parts | length >= 2 and parts[-2] == folder_name -%}
            {%- do files.append(path) -%}
        {%- elif parts | length >= 3 and parts[-2] == table_name and parts[-3] == folder_name -%}
            {%- do load_files.append(path) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set paths = support_raw_files_chosen(table_name, folder, files, load_files) -%}
    {%- if paths | length == 0 -%}
        {{ return(support_raw_one_load(support_raw_absent(table_name), '')) }}
    {%- endif -%}
    {%- set loads = [] -%}
    {%- for path in paths -%}
        {%- set view = 'support_raw__' ~ table_name ~ '__' ~ loop.index -%}
        {%- set present = spark_file_view(view, path) -%}
        {%- do loads.append(support_raw_load_select(
            table_name, view, present, "raw table '" ~ table_name ~ "' (file " ~ path ~ ")", path, loop.index)) -%}
    {%- endfor -%}
    {{ return(loads | join("\n    union all\n    ")) }}
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
    case-insensitively (a warehouse may upper-case them). `extra`: select
    expressions appended after the columns (e.g. a load's load_id). -#}
{% macro text_columns_select(columns, optional, reader, present, described, fold_case=false, extra=[]) %}
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
    {{ return("select\n        " ~ (select_list + extra) | join(",\n        ") ~ "\n    from " ~ reader) }}
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
