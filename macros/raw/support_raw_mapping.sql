{#- The YAML mapping file (README, "Any other export"; docs/decisions.md D20):
    raw tables whose source is `mapping` are read from another system's
    export as var raw_mapping describes, without SQL. The file is checked
    whole before anything is read; every error names the file, the table and
    the key. -#}

{#- The keys a table block and a column spec accept. -#}
{% macro support_raw_mapping_keys() %}
    {{ return({
        'top': ['version', 'tables'],
        'table': ['file', 'relation', 'rows', 'columns', 'timestamps', 'skip', 'distinct'],
        'timestamps': ['format', 'time_zone'],
        'column': ['from', 'constant', 'duration', 'values', 'prefix', 'plus_seconds', 'when', 'default'],
    }) }}
{% endmacro %}


{#- The contract's timestamp columns of a table (dates, hired_at and
    terminated_at, are not timestamps). -#}
{% macro support_raw_timestamp_columns(table_name) %}
    {%- set found = [] -%}
    {%- for column in support_raw_contract()[table_name]['columns'] -%}
        {%- if (column.endswith('_at') and column not in ['hired_at', 'terminated_at'])
            or column in ['shift_start', 'shift_end'] -%}
            {%- do found.append(column) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}


{#- The raw table as the mapping file delivers it: contract columns as text
    (or no rows when the file maps no such table and the table was not
    routed to the mapping by name). -#}
{% macro support_raw_mapped(table_name) %}
    {%- if not execute -%}
        {{ return(support_raw_absent(table_name)) }}
    {%- endif -%}
    {%- set mapping = support_raw_mapping_loaded() -%}
    {%- set block = mapping['tables'].get(table_name) -%}
    {%- if block is none -%}
        {%- if table_name in (var('raw_sources', none) or {}) -%}
            {{ exceptions.raise_compiler_error(
                "mapping file " ~ mapping['path'] ~ ": no table '" ~ table_name
                ~ "', but var raw_sources reads it from the mapping") }}
        {%- endif -%}
        {{ return(support_raw_absent(table_name)) }}
    {%- endif -%}
    {%- if block.get('rows') is not none -%}
        {{ return(support_raw_mapped_rows(table_name, block['rows'])) }}
    {%- endif -%}
    {{ return(support_raw_mapped_select(table_name, block, mapping)) }}
{% endmacro %}


{#- The mapping file, read and checked: {path, folder, tables}. -#}
{% macro support_raw_mapping_loaded() %}
    {%- set path = var('raw_mapping', none) -%}
    {%- if not path -%}
        {{ exceptions.raise_compiler_error(
            "a raw table's source is 'mapping' but var raw_mapping (the YAML mapping file) is not set") }}
    {%- endif -%}
    {%- set path = path | string -%}
    {%- set text = read_text_file(path) -%}
    {%- set parsed = fromyaml(text) -%}
    {%- if parsed is not mapping -%}
        {{ exceptions.raise_compiler_error(
            "mapping file " ~ path ~ ": not a YAML map with the key 'tables' (is it valid YAML?)") }}
    {%- endif -%}
    {%- for key in parsed -%}
        {%- if key not in support_raw_mapping_keys()['top'] -%}
            {{ support_raw_mapping_error(path, none, key, "unknown key; the keys are version, tables") }}
        {%- endif -%}
    {%- endfor -%}
    {%- if parsed.get('version', 1) != 1 -%}
        {{ support_raw_mapping_error(path, none, 'version', "must be 1") }}
    {%- endif -%}
    {%- if parsed.get('tables') is not mapping -%}
        {{ support_raw_mapping_error(path, none, 'tables', "must be a map of raw table -> table block") }}
    {%- endif -%}
    {%- for table_name, block in parsed['tables'].items() -%}
        {%- do support_raw_mapping_checked(path, table_name, block) -%}
    {%- endfor -%}
    {%- set folder = path.rsplit('/', 1)[0] if '/' in path else '.' -%}
    {{ return({'path': path, 'folder': folder, 'tables': parsed['tables']}) }}
{% endmacro %}


{#- Stops with "mapping file <path>: table '<table>': <key>: <problem>". -#}
{% macro support_raw_mapping_error(path, table_name, key, problem) %}
    {{ exceptions.raise_compiler_error(
        "mapping file " ~ path ~ ": " ~ ("table '" ~ table_name ~ "': " if table_name else "")
        ~ key ~ ": " ~ problem) }}
{% endmacro %}


{#- Checks one table block against the contract and the format. -#}
{% macro support_raw_mapping_checked(path, table_name, block) %}
    {%- set keys = support_raw_mapping_keys() -%}
    {%- set contract = support_raw_contract() -%}
    {%- if table_name not in contract -%}
        {{ support_raw_mapping_error(path, none, 'tables.' ~ table_name,
            "unknown raw table; the raw tables are " ~ contract.keys() | list | join(', ')) }}
    {%- endif -%}
    {%- if block is not mapping -%}
        {{ support_raw_mapping_error(path, table_name, table_name, "must be a map (file, columns, ...)") }}
    {%- endif -%}
    {%- for key in block -%}
        {%- if key not in keys['table'] -%}
            {{ support_raw_mapping_error(path, table_name, key,
                "unknown key; a table accepts " ~ keys['table'] | join(', ')) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set origins = [] -%}
    {%- for key in ['file', 'relation', 'rows'] -%}
        {%- if block.get(key) is not none -%}
            {%- do origins.append(key) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if origins | length != 1 -%}
        {{ support_raw_mapping_error(path, table_name, 'file',
            "give exactly one of file, relation or rows (found: " ~ (origins | join(', ') or 'none') ~ ")") }}
    {%- endif -%}
    {%- set columns = contract[table_name]['columns'] -%}
    {%- if block.get('rows') is not none -%}
        {%- if block['rows'] is string or block['rows'] is mapping or block['rows'] is not iterable -%}
            {{ support_raw_mapping_error(path, table_name, 'rows', "must be a list of maps (contract column -> value)") }}
        {%- endif -%}
        {%- for row in block['rows'] -%}
            {%- if row is not mapping -%}
                {{ support_raw_mapping_error(path, table_name, 'rows[' ~ loop.index0 ~ ']',
                    "must be a map (contract column -> value)") }}
            {%- endif -%}
            {%- for column in row -%}
                {%- if column not in columns -%}
                    {{ support_raw_mapping_error(path, table_name, 'rows[' ~ loop.index0 ~ '].' ~ column,
                        "unknown column of " ~ table_name ~ "; its columns are " ~ columns | join(', ')) }}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if block.get('columns') is not mapping -%}
        {{ support_raw_mapping_error(path, table_name, 'columns', "must be a map of contract column -> source") }}
    {%- endif -%}
    {%- for column, spec in block['columns'].items() -%}
        {%- if column not in columns -%}
            {{ support_raw_mapping_error(path, table_name, 'columns.' ~ column,
                "unknown column of " ~ table_name ~ "; its columns are " ~ columns | join(', ')) }}
        {%- endif -%}
        {%- do support_raw_mapping_spec_checked(path, table_name, column, spec) -%}
    {%- endfor -%}
    {%- for column in columns -%}
        {%- if column not in block['columns'] and column not in contract[table_name]['optional'] -%}
            {{ support_raw_mapping_error(path, table_name, 'columns.' ~ column,
                "required column not mapped (write `" ~ column ~ ": null` if the export has no value for it)") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set timestamps = block.get('timestamps') or {} -%}
    {%- if timestamps is not mapping -%}
        {{ support_raw_mapping_error(path, table_name, 'timestamps', "must be a map (format, time_zone)") }}
    {%- endif -%}
    {%- for key in timestamps -%}
        {%- if key not in keys['timestamps'] -%}
            {{ support_raw_mapping_error(path, table_name, 'timestamps.' ~ key,
                "unknown key; timestamps accepts format, time_zone") }}
        {%- endif -%}
    {%- endfor -%}
    {%- if timestamps.get('format') -%}
        {%- do support_raw_format_checked(path, table_name, timestamps['format']) -%}
    {%- endif -%}
    {%- set skip = block.get('skip') or [] -%}
    {%- for condition in ([skip] if skip is mapping else skip) -%}
        {%- if condition is not mapping -%}
            {{ support_raw_mapping_error(path, table_name, 'skip',
                "must be a map (source column -> value or list of values) or a list of such maps") }}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}


{#- Checks one column spec. -#}
{% macro support_raw_mapping_spec_checked(path, table_name, column, spec) %}
    {%- set key = 'columns.' ~ column -%}
    {%- if spec is none or spec is string or spec is number -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if spec is not mapping -%}
        {{ support_raw_mapping_error(path, table_name, key,
            "must be a source column name, null, or a map (from, constant, duration, ...)") }}
    {%- endif -%}
    {%- for name in spec -%}
        {%- if name not in support_raw_mapping_keys()['column'] -%}
            {{ support_raw_mapping_error(path, table_name, key ~ '.' ~ name,
                "unknown key; a column accepts " ~ support_raw_mapping_keys()['column'] | join(', ')) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set given = [] -%}
    {%- for name in ['from', 'constant', 'duration'] -%}
        {%- if name in spec -%}
            {%- do given.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if given | length != 1 -%}
        {{ support_raw_mapping_error(path, table_name, key,
            "give exactly one of from, constant or duration (found: " ~ (given | join(', ') or 'none') ~ ")") }}
    {%- endif -%}
    {%- if 'plus_seconds' in spec and column not in support_raw_timestamp_columns(table_name) -%}
        {{ support_raw_mapping_error(path, table_name, key ~ '.plus_seconds',
            "only a timestamp column can have seconds added") }}
    {%- endif -%}
    {%- if 'values' in spec and spec['values'] is not mapping -%}
        {{ support_raw_mapping_error(path, table_name, key ~ '.values', "must be a map of source value -> contract value") }}
    {%- endif -%}
    {%- if 'when' in spec and spec['when'] is not mapping -%}
        {{ support_raw_mapping_error(path, table_name, key ~ '.when', "must be a map of source column -> value or list of values") }}
    {%- endif -%}
{% endmacro %}


{#- The strftime directives a timestamp format may use, with their Spark
    (Java) pattern. -#}
{% macro support_raw_format_directives() %}
    {{ return({
        '%Y': 'yyyy', '%y': 'yy', '%m': 'MM', '%d': 'dd', '%H': 'HH', '%I': 'hh', '%M': 'mm',
        '%S': 'ss', '%f': 'SSSSSS', '%p': 'a', '%b': 'MMM', '%B': 'MMMM',
    }) }}
{% endmacro %}


{% macro support_raw_format_checked(path, table_name, format) %}
    {%- set directives = support_raw_format_directives() -%}
    {%- set parts = (format | string).split('%') -%}
    {%- for part in parts[1:] -%}
        {%- if part == '' or ('%' ~ part[0]) not in directives -%}
            {{ support_raw_mapping_error(path, table_name, 'timestamps.format',
                "'%" ~ part[:1] ~ "' is not supported; use " ~ directives.keys() | list | join(' ')) }}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}


{#- A SQL string literal. -#}
{% macro support_raw_literal(value) -%}
    {%- if value is none -%}
        cast(null as {{ dbt.type_string() }})
    {%- elif value is sameas true or value is sameas false -%}
        '{{ 'true' if value else 'false' }}'
    {%- else -%}
        '{{ value | string | replace("'", "''") }}'
    {%- endif -%}
{%- endmacro %}


{#- Constant rows (`rows:`): the contract columns as text. -#}
{% macro support_raw_mapped_rows(table_name, rows) %}
    {%- set columns = support_raw_contract()[table_name]['columns'] -%}
    {%- if rows | length == 0 -%}
        {{ return(support_raw_absent(table_name)) }}
    {%- endif -%}
    {%- set selects = [] -%}
    {%- for row in rows -%}
        {%- set values = [] -%}
        {%- for column in columns -%}
            {%- do values.append(support_raw_literal(row.get(column)) ~ ' as ' ~ column) -%}
        {%- endfor -%}
        {%- do selects.append('select ' ~ values | join(', ')) -%}
    {%- endfor -%}
    {{ return(selects | join('\n    union all\n    ')) }}
{% endmacro %}


{#- A source column of the export as trimmed text (blank = null); an error
    naming the file, the table and the key when the export has no such
    column. -#}
{% macro support_raw_mapping_source_column(name, present, described, key) %}
    {%- if name not in present -%}
        {{ exceptions.raise_compiler_error(
            described ~ ": " ~ key ~ ": the export has no column '" ~ name ~ "'; its columns are "
            ~ present | join(', ')) }}
    {%- endif -%}
    {{ return("nullif(trim(cast(" ~ adapter.quote(name) ~ " as " ~ dbt.type_string() ~ ")), '')") }}
{% endmacro %}


{#- A condition ({source column: value or [values]}, all must hold; '' or
    null is a blank value) as SQL. -#}
{% macro support_raw_mapping_condition(condition, present, described, key) %}
    {%- set terms = [] -%}
    {%- for name, wanted in condition.items() -%}
        {%- set value = support_raw_mapping_source_column(name, present, described, key ~ '.' ~ name) -%}
        {%- set options = wanted if (wanted is iterable and wanted is not string) else [wanted] -%}
        {%- set alternatives = [] -%}
        {%- for option in options -%}
            {%- if option is none or (option | string) == '' -%}
                {%- do alternatives.append(value ~ ' is null') -%}
            {%- else -%}
                {%- do alternatives.append(value ~ ' = ' ~ support_raw_literal(option)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do terms.append('(' ~ (alternatives | join(' or ') or 'false') ~ ')') -%}
    {%- endfor -%}
    {{ return('(' ~ (terms | join(' and ') or 'true') ~ ')') }}
{% endmacro %}


{#- Whole seconds of an h:mm:ss duration as text (other text unchanged, so
    that validation reports it). -#}
{% macro support_raw_duration_seconds(value) -%}
    case
        when {{ regex_matches(value, '^[0-9]+:[0-9]{2}:[0-9]{2}$') }}
            then cast(
                cast(regexp_extract({{ value }}, '^([0-9]+):', 1) as bigint) * 3600
                + cast(regexp_extract({{ value }}, ':([0-9]{2}):', 1) as bigint) * 60
                + cast(regexp_extract({{ value }}, ':([0-9]{2})$', 1) as bigint)
                as {{ dbt.type_string() }}
            )
        else {{ value }}
    end
{%- endmacro %}


{#- One contract column of a file or relation row, per its spec. -#}
{% macro support_raw_mapping_column(table_name, column, spec, timestamps, present, described) %}
    {%- set key = 'columns.' ~ column -%}
    {%- if spec is none -%}
        {{ return('cast(null as ' ~ dbt.type_string() ~ ')') }}
    {%- endif -%}
    {%- set spec = spec if spec is mapping else {'from': spec | string} -%}
    {%- if 'constant' in spec -%}
        {%- set value = support_raw_literal(spec['constant']) -%}
    {%- elif 'duration' in spec -%}
        {%- set value = support_raw_duration_seconds(
            support_raw_mapping_source_column(spec['duration'], present, described, key ~ '.duration')) -%}
    {%- elif spec['from'] is string -%}
        {%- set value = support_raw_mapping_source_column(spec['from'], present, described, key ~ '.from') -%}
    {%- else -%}
        {%- set parts = [] -%}
        {%- for name in spec['from'] -%}
            {%- do parts.append(support_raw_mapping_source_column(name | string, present, described, key ~ '.from')) -%}
        {%- endfor -%}
        {%- set value = "nullif(concat_ws(' ', " ~ parts | join(', ') ~ "), '')" -%}
    {%- endif -%}
    {%- if spec.get('values') -%}
        {%- set cases = [] -%}
        {%- for source_value, contract_value in spec['values'].items() -%}
            {%- do cases.append('when ' ~ value ~ ' = ' ~ support_raw_literal(source_value)
                ~ ' then ' ~ support_raw_literal(contract_value)) -%}
        {%- endfor -%}
        {%- set value = 'case ' ~ cases | join(' ') ~ ' else ' ~ value ~ ' end' -%}
    {%- endif -%}
    {%- if spec.get('prefix') -%}
        {%- set value = 'concat(' ~ support_raw_literal(spec['prefix']) ~ ', ' ~ value ~ ')' -%}
    {%- endif -%}
    {%- if column in support_raw_timestamp_columns(table_name)
        and (timestamps.get('format') or timestamps.get('time_zone') or spec.get('plus_seconds')) -%}
        {%- set parsed = parse_timestamp_text(value, timestamps.get('format')) -%}
        {%- if timestamps.get('time_zone') and timestamps['time_zone'] != 'UTC' -%}
            {%- set parsed = local_to_utc(parsed, support_raw_literal(timestamps['time_zone'])) -%}
        {%- endif -%}
        {%- set seconds = [] -%}
        {%- for item in spec.get('plus_seconds') or [] -%}
            {%- if item is mapping and 'duration' in item -%}
                {%- set text = support_raw_duration_seconds(support_raw_mapping_source_column(
                    item['duration'], present, described, key ~ '.plus_seconds')) -%}
            {%- else -%}
                {%- set text = support_raw_mapping_source_column(item | string, present, described, key ~ '.plus_seconds') -%}
            {%- endif -%}
            {%- do seconds.append('coalesce(' ~ safe_cast(text, 'bigint') ~ ', 0)') -%}
        {%- endfor -%}
        {%- if seconds -%}
            {%- set parsed = add_seconds(parsed, '(' ~ seconds | join(' + ') ~ ')') -%}
        {%- endif -%}
        {%- set value = 'coalesce(cast(' ~ parsed ~ ' as ' ~ dbt.type_string() ~ '), ' ~ value ~ ')' -%}
    {%- endif -%}
    {%- if 'default' in spec -%}
        {%- set value = 'coalesce(' ~ value ~ ', ' ~ support_raw_literal(spec['default']) ~ ')' -%}
    {%- endif -%}
    {%- if spec.get('when') -%}
        {%- set value = 'case when ' ~ support_raw_mapping_condition(spec['when'], present, described, key ~ '.when')
            ~ ' then ' ~ value ~ ' end' -%}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}


{#- The export a file or relation table block reads: {reader, columns,
    described}. -#}
{% macro support_raw_mapping_export(table_name, block, mapping) %}
    {%- if block.get('file') -%}
        {%- set file = block['file'] | string -%}
        {%- set file_path = file if file.startswith('/') or '://' in file else mapping['folder'] ~ '/' ~ file -%}
        {%- set export = mapped_export_reader(file_path, 'support_mapped__' ~ table_name) -%}
        {%- set described = "mapping file " ~ mapping['path'] ~ ": table '" ~ table_name ~ "' (file " ~ file_path ~ ")" -%}
        {{ return({'reader': export['reader'], 'columns': export['columns'], 'described': described}) }}
    {%- endif -%}
    {%- set relation_name = block['relation'] | string -%}
    {%- set parts = relation_name.split('.') -%}
    {%- set relation = adapter.get_relation(
        database=(parts[-3] if parts | length > 2 else target.database),
        schema=(parts[-2] if parts | length > 1 else target.schema),
        identifier=parts[-1]) -%}
    {%- if relation is none -%}
        {{ support_raw_mapping_error(mapping['path'], table_name, 'relation', "no relation " ~ relation_name) }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do columns.append(column.name) -%}
    {%- endfor -%}
    {%- set described = "mapping file " ~ mapping['path'] ~ ": table '" ~ table_name ~ "' (relation " ~ relation_name ~ ")" -%}
    {{ return({'reader': relation, 'columns': columns, 'described': described}) }}
{% endmacro %}


{#- The block's `skip` conditions as one SQL condition that is never null
    (false when there are none). -#}
{% macro support_raw_mapping_skipped(block, export) %}
    {%- set skip = block.get('skip') or [] -%}
    {%- set skipped = [] -%}
    {%- for condition in ([skip] if skip is mapping else skip) -%}
        {%- do skipped.append(support_raw_mapping_condition(condition, export['columns'], export['described'], 'skip')) -%}
    {%- endfor -%}
    {{ return('coalesce(' ~ (skipped | join(' or ') or 'false') ~ ', false)') }}
{% endmacro %}


{#- select <contract columns as text> from the export of one table block. -#}
{% macro support_raw_mapped_select(table_name, block, mapping) %}
    {%- set export = support_raw_mapping_export(table_name, block, mapping) -%}
    {%- set timestamps = block.get('timestamps') or {} -%}
    {%- set select_list = [] -%}
    {%- for column in support_raw_contract()[table_name]['columns'] -%}
        {%- do select_list.append(support_raw_mapping_column(
            table_name, column, block['columns'].get(column), timestamps, export['columns'], export['described'])
            ~ ' as ' ~ column) -%}
    {%- endfor -%}
    {{ return('select ' ~ ('distinct ' if block.get('distinct') else '') ~ '\n        '
        ~ select_list | join(',\n        ') ~ '\n    from ' ~ export['reader']
        ~ '\n    where not ' ~ support_raw_mapping_skipped(block, export)) }}
{% endmacro %}


{#- Rows of the export of a mapped table: landed (in the export, or the
    constant rows) and skipped (by `skip`), as one row (landed_table,
    count_landed_rows, count_skipped_rows, is_distinct); no row for a table
    the mapping file has no block for. Null before execution. -#}
{% macro support_raw_mapping_counts(table_name) %}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set mapping = support_raw_mapping_loaded() -%}
    {%- set block = mapping['tables'].get(table_name) -%}
    {%- if block is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set is_distinct = 'true' if block.get('distinct') else 'false' -%}
    {%- if block.get('rows') is not none -%}
        {{ return("select '" ~ table_name ~ "' as landed_table, " ~ block['rows'] | length
            ~ " as count_landed_rows, 0 as count_skipped_rows, " ~ is_distinct ~ " as is_distinct") }}
    {%- endif -%}
    {%- set export = support_raw_mapping_export(table_name, block, mapping) -%}
    {{ return("select '" ~ table_name ~ "' as landed_table, count(*) as count_landed_rows, "
        ~ "coalesce(sum(case when " ~ support_raw_mapping_skipped(block, export) ~ " then 1 else 0 end), 0) as count_skipped_rows, "
        ~ is_distinct ~ " as is_distinct from " ~ export['reader']) }}
{% endmacro %}


{#- The whole text of a (small) file: the mapping file. -#}
{% macro read_text_file(path) %}
    {{ return(adapter.dispatch('read_text_file', 'support_kpis')(path)) }}
{% endmacro %}

{% macro default__read_text_file(path) %}
    {{ exceptions.raise_compiler_error(
        "var raw_mapping: reading a mapping file needs DuckDB or Spark on this warehouse (" ~ path ~ ")") }}
{% endmacro %}

{% macro duckdb__read_text_file(path) %}
    {%- set literal = duckdb_literal_path(path) | replace("'", "''") -%}
    {%- set listed = run_query("select count(*) from glob('" ~ literal ~ "')") -%}
    {%- if listed.columns[0].values()[0] == 0 -%}
        {{ exceptions.raise_compiler_error("var raw_mapping: no file " ~ path) }}
    {%- endif -%}
    {{ return(run_query("select content from read_text('" ~ literal ~ "')").columns[0].values()[0]) }}
{% endmacro %}

{% macro spark__read_text_file(path) %}
    {%- do run_query("create or replace temporary view support_raw_mapping_text using text options (path '"
        ~ spark_literal_path(path) | replace('\\', '\\\\') | replace("'", "\\'") ~ "', wholetext 'true')") -%}
    {{ return(run_query("select value from support_raw_mapping_text").columns[0].values()[0]) }}
{% endmacro %}


{#- An export file named by a mapping (CSV as text, or Parquet): {reader,
    columns}; on Spark through the session view `view`. -#}
{% macro mapped_export_reader(path, view) %}
    {{ return(adapter.dispatch('mapped_export_reader', 'support_kpis')(path, view)) }}
{% endmacro %}

{% macro default__mapped_export_reader(path, view) %}
    {{ exceptions.raise_compiler_error(
        "a mapping file's `file:` needs DuckDB or Spark; use `relation:` on this warehouse (" ~ path ~ ")") }}
{% endmacro %}

{% macro duckdb__mapped_export_reader(path, view) %}
    {%- set listed = run_query("select count(*) from glob('" ~ duckdb_literal_path(path) | replace("'", "''") ~ "')") -%}
    {%- if listed.columns[0].values()[0] == 0 -%}
        {{ exceptions.raise_compiler_error("mapping file " ~ var('raw_mapping') ~ ": no export file " ~ path) }}
    {%- endif -%}
    {{ return(duckdb_file_reader(path)) }}
{% endmacro %}

{% macro spark__mapped_export_reader(path, view) %}
    {{ return({'reader': view, 'columns': spark_file_view(view, path)}) }}
{% endmacro %}
