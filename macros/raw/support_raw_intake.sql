{#- Reading only new loads (docs/decisions.md, D36). A raw table delivered
    as a load folder only grows (spec, "Deliveries in loads"; D35), so its
    intake models (base_support__<table>, base_support__<table>_parsed) are
    incremental: a build reads, collapses, parses and checks the row-local
    rules of the loads it has not processed yet, and appends them. Any other
    delivery (one file, warehouse sources, an adapter, the mapping) is a
    full export: each build replaces the intake models' rows with it. On
    Spark the intake models are tables, rebuilt by every build. -#}

{#- The materialization of the intake models: incremental, or table on Spark. -#}
{% macro support_intake_materialization() %}
    {{ return('table' if target.type == 'spark' else 'incremental') }}
{% endmacro %}


{#- True when this run of an intake model reads only the table's new loads:
    an incremental run (not --full-refresh) of a table delivered as a load
    folder in var('raw_path') on DuckDB. -#}
{% macro support_intake_reads_new_loads(table_name) %}
    {%- if not execute or target.type == 'spark' or not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- if not support_raw_from_files(table_name) -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(duckdb_raw_load_listing(table_name)['is_load_folder']) }}
{% endmacro %}


{#- Pre-hook of an intake model: on an incremental run that reads the whole
    delivery (not a load folder), delete the rows of the previous delivery
    first (a full export replaces the previous one). -#}
{% macro support_intake_replace(table_name) %}
    {%- if execute and is_incremental() and not support_intake_reads_new_loads(table_name) -%}
        delete from {{ this }}
    {%- else -%}
        select 1
    {%- endif -%}
{% endmacro %}


{#- A condition on the rows of base_support__<table> an intake model
    processes: on a run reading only new loads, the loads after the last one
    it holds; else all. -#}
{% macro support_intake_new_rows(table_name) %}
    {%- if support_intake_reads_new_loads(table_name) -%}
        {{ return('load_rank > (select coalesce(max(load_rank), 0) from ' ~ this ~ ')') }}
    {%- endif -%}
    {{ return('1 = 1') }}
{% endmacro %}


{#- The load files of a load folder the reader has not processed yet, as
    (path, load_rank) pairs: the files after the last load the reader holds
    rows of. Each load it holds must still be the folder's file of its rank,
    under the same name; anything else (a processed load gone or renamed, a
    new load sorting before a processed one) is an error that says what to
    do. (A load without rows leaves no trace in the reader: a header-only
    file after the last load with rows is read again, which reads nothing.) -#}
{% macro support_intake_unprocessed(table_name, paths) %}
    {%- set processed = run_query(
        "select load_id, load_rank from " ~ this ~ " group by load_id, load_rank order by load_rank") -%}
    {%- set names = [] -%}
    {%- for path in paths -%}
        {%- do names.append(path.split('/')[-1]) -%}
    {%- endfor -%}
    {%- set ns = namespace(last=0) -%}
    {%- for row in processed.rows -%}
        {%- set rank = row[1] | int -%}
        {%- set now = names[rank - 1] if rank <= names | length else none -%}
        {%- if now != row[0] -%}
            {{ exceptions.raise_compiler_error(
                "raw table '" ~ table_name ~ "': the load folder '" ~ support_raw_folder() ~ "/" ~ table_name
                ~ "/' no longer holds the loads already processed in their places, in load order: processed load "
                ~ rank ~ " is " ~ row[0] ~ ", the folder's file " ~ rank ~ " is now "
                ~ (now if now is not none else "missing") ~ ". A processed load is never removed, renamed or "
                ~ "preceded by a new one: restore the folder and deliver a correction as a new load whose name "
                ~ "sorts last, or rebuild from the folder as it is with dbt build --full-refresh.") }}
        {%- endif -%}
        {%- set ns.last = rank -%}
    {%- endfor -%}
    {%- set unprocessed = [] -%}
    {%- for path in paths[ns.last:] -%}
        {%- do unprocessed.append((path, ns.last + loop.index)) -%}
    {%- endfor -%}
    {{ return(unprocessed) }}
{% endmacro %}
