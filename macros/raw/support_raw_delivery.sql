{#- The rows of one raw table as delivered: every contract column as trimmed
    text (blank = null), in contract order; an optional column missing from
    the delivery is all null. Fails with a clear error when the delivery is
    missing, is not CSV or Parquet, or lacks a required column. -#}
{% macro support_raw_delivery(table_name) %}
    {{ return(adapter.dispatch('support_raw_delivery', 'support_kpis')(table_name)) }}
{% endmacro %}


{#- Any warehouse: the raw tables are sources in schema var('raw_schema'). -#}
{% macro default__support_raw_delivery(table_name) %}
    {%- set relation = source('support', table_name) -%}
    {%- set present = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do present.append(column.name) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(support_raw_select(table_name, relation, present, 'source ' ~ relation)) }}
{% endmacro %}


{#- DuckDB: read <raw_path>/<table>.csv or .parquet (or the warehouse sources
    when var('raw_source') is 'warehouse'). -#}
{% macro duckdb__support_raw_delivery(table_name) %}
    {%- if var('raw_source') == 'warehouse' -%}
        {{ return(default__support_raw_delivery(table_name)) }}
    {%- elif var('raw_source') != 'files' -%}
        {{ exceptions.raise_compiler_error(
            "var raw_source must be 'files' or 'warehouse', got '" ~ var('raw_source') ~ "'") }}
    {%- endif -%}
    {%- set present = [] -%}
    {%- set reader = "(select 1)" -%}
    {%- set described = "raw table '" ~ table_name ~ "'" -%}
    {%- if execute -%}
        {%- set path = duckdb_raw_file(table_name) -%}
        {%- set described = "raw table '" ~ table_name ~ "' (file " ~ path ~ ")" -%}
        {%- if path.endswith('.parquet') -%}
            {%- set reader = "read_parquet('" ~ path | replace("'", "''") ~ "')" -%}
        {%- else -%}
            {%- set reader = "read_csv('" ~ path | replace("'", "''")
                ~ "', header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')" -%}
        {%- endif -%}
        {%- set columns = run_query("describe select * from " ~ reader) -%}
        {%- for row in columns.rows -%}
            {%- do present.append(row[0]) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(support_raw_select(table_name, reader, present, described)) }}
{% endmacro %}


{#- The one file of a raw table in var('raw_path'); an error when there is none,
    more than one, or one that is not CSV or Parquet. -#}
{% macro duckdb_raw_file(table_name) %}
    {%- set folder = var('raw_path') | string -%}
    {%- set folder = folder[:-1] if folder.endswith('/') else folder -%}
    {%- set quoted_folder = folder | replace("'", "''") -%}
    {%- set in_folder = run_query("select count(*) from glob('" ~ quoted_folder ~ "/*')") -%}
    {%- if in_folder.rows[0][0] == 0 -%}
        {{ exceptions.raise_compiler_error(
            "raw table '" ~ table_name ~ "': the raw folder '" ~ folder
            ~ "' (var raw_path) does not exist or is empty") }}
    {%- endif -%}
    {%- set found = run_query(
        "select file from glob('" ~ quoted_folder ~ "/" ~ table_name ~ ".*') order by file") -%}
    {%- set readable = [] -%}
    {%- set unreadable = [] -%}
    {%- for row in found.rows -%}
        {%- set lowered = row[0] | lower -%}
        {%- if lowered.endswith('.csv') or lowered.endswith('.csv.gz') or lowered.endswith('.parquet') -%}
            {%- do readable.append(row[0]) -%}
        {%- else -%}
            {%- do unreadable.append(row[0]) -%}
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
    {%- elif readable | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "raw table '" ~ table_name ~ "': no file " ~ table_name ~ ".csv or "
            ~ table_name ~ ".parquet in '" ~ folder ~ "'") }}
    {%- endif -%}
    {{ return(readable[0]) }}
{% endmacro %}


{#- select <contract columns as trimmed text> from <reader>, after checking
    that every required column is present. -#}
{% macro support_raw_select(table_name, reader, present, described) %}
    {%- set contract = support_raw_contract()[table_name] -%}
    {%- if execute -%}
        {%- set missing = [] -%}
        {%- for column in contract['columns'] -%}
            {%- if column not in present and column not in contract['optional'] -%}
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
    {%- for column in contract['columns'] -%}
        {%- if column in present -%}
            {%- do select_list.append(
                "nullif(trim(cast(" ~ adapter.quote(column) ~ " as " ~ dbt.type_string() ~ ")), '') as "
                ~ column) -%}
        {%- else -%}
            {%- do select_list.append("cast(null as " ~ dbt.type_string() ~ ") as " ~ column) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return("select\n        " ~ select_list | join(",\n        ") ~ "\n    from " ~ reader) }}
{% endmacro %}
