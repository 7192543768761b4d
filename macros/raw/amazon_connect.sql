{#- The Amazon Connect adapter (raw source amazon_connect; README, "Amazon
    Connect"): contact records (CTRs) as Amazon Connect streams them through
    Kinesis Data Streams or Firehose to S3, one JSON object per line. Field
    names are the ones of the "Contact records data model" of the Amazon
    Connect Administrator Guide. -#}


{#- The landed contact records: one row per non-blank line, as
    (file_name, line_number, record), record being the line's JSON text.
    A line that is not JSON stops the build with an error naming its file and
    line. DuckDB and Spark read var amazon_connect_path (every *.json, *.jsonl,
    *.json.gz and *.jsonl.gz file in it or in its subfolders, as Firehose
    writes them under YYYY/MM/DD/HH/); without it, and on any other warehouse,
    the table contact_records (one text column `record`) of the source
    amazon_connect. -#}
{% macro amazon_connect_landed() %}
    {{ return(adapter.dispatch('amazon_connect_landed', 'support_kpis')()) }}
{% endmacro %}


{#- Any warehouse: the source table amazon_connect.contact_records (vars
    amazon_connect_database, amazon_connect_schema); no file or line. -#}
{% macro default__amazon_connect_landed() %}
    {%- if var('amazon_connect_database') -%}
        {%- set relation = api.Relation.create(
            database=var('amazon_connect_database'), schema=var('amazon_connect_schema'),
            identifier='contact_records') -%}
    {%- else -%}
        {%- set relation = source('amazon_connect', 'contact_records') -%}
    {%- endif -%}
    {%- if execute -%}
        {%- set found = adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
        {%- if found is none -%}
            {{ exceptions.raise_compiler_error(
                "Amazon Connect contact records: no relation " ~ relation
                ~ " (set var amazon_connect_path to a folder of contact-record files, or vars"
                ~ " amazon_connect_schema / amazon_connect_database)") }}
        {%- endif -%}
        {%- set present = [] -%}
        {%- for column in adapter.get_columns_in_relation(found) -%}
            {%- do present.append(column.name | lower) -%}
        {%- endfor -%}
        {%- if 'record' not in present -%}
            {{ exceptions.raise_compiler_error(
                "Amazon Connect contact records: " ~ relation ~ " has no column 'record' (the contact"
                ~ " record's JSON text); found columns: " ~ present | join(', ')) }}
        {%- endif -%}
    {%- endif -%}
    {%- set lines = "select cast(null as " ~ dbt.type_string() ~ ") as file_name, cast(null as integer) as line_number, "
        ~ "nullif(trim(cast(record as " ~ dbt.type_string() ~ ")), '') as record from " ~ relation -%}
    {{ return(amazon_connect_json_checked(lines, "a record of " ~ relation)) }}
{% endmacro %}


{#- DuckDB: every contact-record file of the folder, each line as text
    (read_csv with one column and a delimiter JSON never contains raw, so
    quotes and commas stay as they are; .gz files are decompressed). The line
    number is the line's position in its file: DuckDB keeps the order of the
    rows it reads, and row_number() over () follows it. -#}
{% macro duckdb__amazon_connect_landed() %}
    {%- if var('amazon_connect_path') is none -%}
        {{ return(default__amazon_connect_landed()) }}
    {%- endif -%}
    {%- set files = [] -%}
    {%- if execute -%}
        {%- set folder = amazon_connect_folder() -%}
        {%- set listed = run_query("select file from glob('" ~ duckdb_literal_path(folder) | replace("'", "''") ~ "/**') order by file") -%}
        {%- set files = amazon_connect_files(folder, listed.columns[0].values()) -%}
    {%- endif -%}
    {%- if files | length == 0 -%}
        {{ return(
            "select cast(null as varchar) as file_name, cast(null as integer) as line_number,"
            ~ " cast(null as varchar) as record where 1 = 0") }}
    {%- endif -%}
    {%- set quoted = [] -%}
    {%- for file in files -%}
        {%- do quoted.append("'" ~ duckdb_literal_path(file) | replace("'", "''") ~ "'") -%}
    {%- endfor -%}
    {%- set lines -%}
        select
            file_name,
            cast(delivery_order - min(delivery_order) over (partition by file_name) + 1 as integer) as line_number,
            nullif(trim(line), '') as record
        from (
            select
                filename as file_name,
                row_number() over () as delivery_order,
                line
            from read_csv(
                [{{ quoted | join(', ') }}],
                columns = {'line': 'VARCHAR'}, header = false, auto_detect = false,
                delim = chr(31), quote = '', escape = '', filename = true
            )
        ) as numbered
    {%- endset -%}
    {{ return(amazon_connect_json_checked(
        "select * from (" ~ lines ~ ") as lines where record is not null",
        "file ' || file_name || ' line ' || cast(line_number as varchar) || '")) }}
{% endmacro %}


{#- Spark: a session view over the folder (text reader, every file of the
    folder and its subfolders whose name ends in .json, .jsonl, .json.gz or
    .jsonl.gz). The line number is the row's rank in its file by
    monotonically_increasing_id(), which follows the file's order. -#}
{% macro spark__amazon_connect_landed() %}
    {%- if var('amazon_connect_path') is none -%}
        {{ return(default__amazon_connect_landed()) }}
    {%- endif -%}
    {%- set view = 'amazon_connect__contact_record_lines' -%}
    {%- if execute -%}
        {%- set folder = amazon_connect_folder() -%}
        {%- do run_query(
            "create or replace temporary view " ~ view ~ "_files using binaryFile options (path '"
            ~ spark_literal_path(folder) | replace('\\', '\\\\') | replace("'", "\\'")
            ~ "', recursiveFileLookup 'true')") -%}
        {%- set listed = run_query("select path from " ~ view ~ "_files") -%}
        {%- do amazon_connect_files(folder, listed.columns[0].values()) -%}
        {%- do run_query(
            "create or replace temporary view " ~ view ~ " using text options (path '"
            ~ spark_literal_path(folder) | replace('\\', '\\\\') | replace("'", "\\'")
            ~ "', recursiveFileLookup 'true', pathGlobFilter '*.{json,jsonl,json.gz,jsonl.gz,JSON,JSONL}')") -%}
    {%- endif -%}
    {%- set lines -%}
        select
            file_name,
            cast(row_number() over (partition by file_name order by delivery_order) as integer) as line_number,
            nullif(trim(value), '') as record
        from (
            select
                input_file_name() as file_name,
                monotonically_increasing_id() as delivery_order,
                value
            from {{ view }}
        ) as numbered
    {%- endset -%}
    {{ return(amazon_connect_json_checked(
        "select * from (" ~ lines ~ ") as lines where record is not null",
        "file ' || file_name || ' line ' || cast(line_number as string) || '")) }}
{% endmacro %}


{#- var amazon_connect_path without a trailing slash. -#}
{% macro amazon_connect_folder() %}
    {%- set folder = var('amazon_connect_path') | string -%}
    {{ return(folder[:-1] if folder.endswith('/') else folder) }}
{% endmacro %}


{#- The contact-record files among the paths listed in folder (names ending
    in .json, .jsonl, .json.gz or .jsonl.gz, any case), sorted; an error when
    the folder is missing or empty, or holds no such file. -#}
{% macro amazon_connect_files(folder, paths) %}
    {%- if paths | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Amazon Connect contact records: the folder '" ~ folder
            ~ "' (var amazon_connect_path) does not exist or is empty") }}
    {%- endif -%}
    {%- set files = [] -%}
    {%- for path in paths | sort -%}
        {%- set lowered = path | lower -%}
        {%- if lowered.endswith('.json') or lowered.endswith('.jsonl')
            or lowered.endswith('.json.gz') or lowered.endswith('.jsonl.gz') -%}
            {%- do files.append(path) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if files | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Amazon Connect contact records: no .json, .jsonl, .json.gz or .jsonl.gz file in the folder '"
            ~ folder ~ "' (var amazon_connect_path); found " ~ (paths | sort)[:5] | join(', ')) }}
    {%- endif -%}
    {{ return(files) }}
{% endmacro %}


{#- select file_name, line_number, record from (lines), stopping the query
    with an error naming `where` (a SQL string fragment: the file and line)
    at the first record that is not JSON. -#}
{% macro amazon_connect_json_checked(lines, where) %}
    {{ return(adapter.dispatch('amazon_connect_json_checked', 'support_kpis')(lines, where)) }}
{% endmacro %}


{% macro default__amazon_connect_json_checked(lines, where) %}
    {{ exceptions.raise_compiler_error(
        "The Amazon Connect adapter reads JSON with DuckDB or Spark SQL; on " ~ target.type
        ~ " add the macros " ~ target.type ~ "__amazon_connect_json_checked and "
        ~ target.type ~ "__amazon_connect_field (macros/raw/amazon_connect.sql)") }}
{% endmacro %}


{% macro duckdb__amazon_connect_json_checked(lines, where) %}
    {{ return(
        "select file_name, line_number, case when json_valid(record) then record else error('Amazon Connect contact records: "
        ~ where ~ " is not JSON: ' || left(record, 80)) end as record from (" ~ lines ~ ") as unchecked") }}
{% endmacro %}


{% macro spark__amazon_connect_json_checked(lines, where) %}
    {{ return(
        "select file_name, line_number, case when get_json_object(record, '$') is not null then record"
        ~ " else raise_error('Amazon Connect contact records: " ~ where ~ " is not JSON: ' || left(record, 80))"
        ~ " end as record from (" ~ lines ~ ") as unchecked") }}
{% endmacro %}


{#- The text of one field of the contact record `record` (a column holding
    its JSON), by its path in the data model, e.g. 'Agent.Username'; null
    when the field or any object on its path is missing or null. -#}
{% macro amazon_connect_field(record, path) %}
    {{ return(adapter.dispatch('amazon_connect_field', 'support_kpis')(record, path)) }}
{% endmacro %}


{% macro default__amazon_connect_field(record, path) %}
    {{ return(default__amazon_connect_json_checked(none, none)) }}
{% endmacro %}


{% macro duckdb__amazon_connect_field(record, path) -%}
    nullif(trim(json_extract_string({{ record }}, '$.{{ path }}')), '')
{%- endmacro %}


{% macro spark__amazon_connect_field(record, path) -%}
    nullif(trim(get_json_object({{ record }}, '$.{{ path }}')), '')
{%- endmacro %}


{#- The contact attribute that holds the agent's resolution (var
    amazon_connect_resolved_attribute, e.g. 'Resolved'; null: none) as a
    field path, after checking that its name is a plain identifier. -#}
{% macro amazon_connect_resolved_path() %}
    {%- set name = var('amazon_connect_resolved_attribute', none) -%}
    {%- if name is none or name == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if not (name | string | replace('_', 'a')).isalnum() -%}
        {{ exceptions.raise_compiler_error(
            "var amazon_connect_resolved_attribute must be a contact attribute name of letters, digits and"
            ~ " underscores, got '" ~ name ~ "'") }}
    {%- endif -%}
    {{ return('Attributes.' ~ name) }}
{% endmacro %}
