{#- Reading delivered files safely: a path is a literal path (never a
    pattern), a CSV file is read with a fixed dialect (comma, double quotes,
    a header row, UTF-8, RFC 4180 strict) after checks that stop the build
    with a message naming the file, the line and what is wrong, and Parquet
    numbers are rendered as exact text. -#}

{#- The longest line (so the longest value) a CSV file may have: 256 MB. -#}
{% macro support_csv_max_line_bytes() %}
    {{ return(268435456) }}
{% endmacro %}


{#- DuckDB: a path as a pattern that matches only itself (DuckDB reads a
    path with *, ? or [ as a glob pattern; each is put in brackets). -#}
{% macro duckdb_literal_path(path) %}
    {{ return(path | replace('[', '[[]') | replace('*', '[*]') | replace('?', '[?]')) }}
{% endmacro %}


{#- Spark (Hadoop): a path as a pattern that matches only itself (Hadoop
    reads *, ?, [, ], {, } and \ as glob characters; each is escaped with a
    backslash). -#}
{% macro spark_literal_path(path) %}
    {%- set escaped = path | replace('\\', '\\\\') -%}
    {%- for character in ['[', ']', '{', '}', '*', '?'] -%}
        {%- set escaped = escaped | replace(character, '\\' ~ character) -%}
    {%- endfor -%}
    {{ return(escaped) }}
{% endmacro %}


{#- The column names of a CSV header line (comma-separated, RFC 4180
    quoting; a byte order mark is dropped; an empty name becomes
    column<position>); a compile error naming the file and the column when
    a name appears twice. -#}
{% macro support_csv_header_names(header_line, path) %}
    {%- set line = (header_line or '') | replace('\ufeff', '') -%}
    {%- if line.endswith('\r') -%}
        {%- set line = line[:-1] -%}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for field in modules.re.findall('(?:^|,)("(?:[^"]|"")*"|[^,"]*)', line) -%}
        {%- set name = field[1:-1] | replace('""', '"') if field.startswith('"') else field -%}
        {%- do names.append(name | trim if name | trim != '' else 'column' ~ loop.index) -%}
    {%- endfor -%}
    {%- set seen = {} -%}
    {%- for name in names -%}
        {%- if name in seen -%}
            {{ exceptions.raise_compiler_error(
                "file " ~ path ~ ", line 1 (header): column '" ~ name ~ "' appears twice (columns "
                ~ seen[name] ~ " and " ~ loop.index ~ "); rename or drop one of them") }}
        {%- endif -%}
        {%- do seen.update({name: loop.index}) -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}


{#- Stops the build: "file <path>, line <line>: <problem>". -#}
{% macro support_csv_error(path, line, problem) %}
    {{ exceptions.raise_compiler_error("file " ~ path ~ ", line " ~ line ~ ": " ~ problem) }}
{% endmacro %}


{#- DuckDB: a CSV file's reader (read_csv with the fixed dialect, every
    column as text) and its column names, as {reader, columns}, after the
    checks (duplicate header name, line endings, field count, encoding,
    unterminated quote, line length, NUL byte); a compile error naming the
    file, the line and the problem for the first one that fails. -#}
{% macro duckdb_csv_reader(path) %}
    {%- set literal = duckdb_literal_path(path) | replace("'", "''") -%}
    {%- set max_line = support_csv_max_line_bytes() -%}
    {%- set header = duckdb_csv_header_line(path, literal) -%}
    {%- set names = support_csv_header_names(header, path) -%}
    {%- set types = [] -%}
    {%- for name in names -%}
        {%- do types.append("'" ~ name | replace("'", "''") ~ "': 'varchar'") -%}
    {%- endfor -%}
    {%- set options = "header = true, auto_detect = false, columns = {" ~ types | join(', ')
        ~ "}, delim = ',', quote = '\"', escape = '\"', strict_mode = true, encoding = 'utf-8', max_line_size = "
        ~ max_line -%}
    {%- if not (path | lower).endswith('.gz') -%}
        {%- do duckdb_csv_line_endings_checked(path, literal) -%}
    {%- endif -%}
    {%- do duckdb_csv_rows_checked(path, literal, names, options) -%}
    {{ return({'reader': "read_csv('" ~ literal ~ "', " ~ options ~ ")", 'columns': names}) }}
{% endmacro %}


{#- DuckDB: the first line of a CSV file, as text (empty for an empty
    file); a compile error when it is not UTF-8. DuckDB parses a whole
    buffer even for one line, so the lines it cannot read are kept aside
    (a bad byte further down is reported, with its line, by the row check). -#}
{% macro duckdb_csv_header_line(path, literal) %}
    {%- set rejects = 'support_csv_header_errors_' ~ local_md5(path)[:12] -%}
    {%- do run_query("drop table if exists temp." ~ rejects) -%}
    {%- do run_query("drop table if exists temp." ~ rejects ~ "_scans") -%}
    {%- set header = run_query(
        "select header_line from read_csv('" ~ literal ~ "', header = false, auto_detect = false,"
        ~ " columns = {'header_line': 'varchar'}, delim = chr(31), quote = '', escape = '',"
        ~ " strict_mode = false, max_line_size = " ~ support_csv_max_line_bytes()
        ~ ", ignore_errors = true, store_rejects = true, rejects_table = '" ~ rejects
        ~ "', rejects_scan = '" ~ rejects ~ "_scans') limit 1") -%}
    {%- set first_line_rejected = run_query(
        "select count(*) from temp." ~ rejects ~ " where line = 1").rows[0][0] > 0 -%}
    {%- do run_query("drop table if exists temp." ~ rejects) -%}
    {%- do run_query("drop table if exists temp." ~ rejects ~ "_scans") -%}
    {%- if first_line_rejected -%}
        {{ support_csv_error(path, "1 (header)",
            "the text is not UTF-8 (encoding; Latin-1 or Windows-1252 bytes?); export the file as UTF-8") }}
    {%- endif -%}
    {{ return(header.rows[0][0] if header.rows | length > 0 else '') }}
{% endmacro %}


{#- DuckDB: stops the build when the record-ending line breaks of an
    uncompressed CSV file are not all the same (LF or CRLF; a line break
    inside a quoted value is data, not a record end). A file without a
    carriage return, or with CRLF only, passes the cheap tests; only a file
    with both is split into lines (to name the first line that differs). -#}
{% macro duckdb_csv_line_endings_checked(path, literal) %}
    {%- set file = "(select try(decode(content)) as text from read_blob('" ~ literal ~ "'))" -%}
    {%- set mixed = run_query(
        "with unquoted as (select regexp_replace(text, '\"[^\"]*\"', '', 'g') as text from " ~ file
        ~ " where strpos(text, chr(13)) > 0 and regexp_matches(text, '(^|[^\\r])\\n|\\r([^\\n]|$)'))"
        ~ " select count(*) from unquoted where regexp_matches(text, '\\r\\n')"
        ~ " and regexp_matches(text, '(^|[^\\r])\\n') or regexp_matches(text, '\\r[^\\n]')") -%}
    {%- if mixed.rows[0][0] == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {#- Each physical line with whether it ends outside quotes (an even count
        of quote characters up to its end): those ends are record ends. -#}
    {%- set found = run_query(
        "with lines as (select line_number, line,"
        ~ " sum(length(line) - length(replace(line, '\"', ''))) over (order by line_number) % 2 = 0 as ends_record,"
        ~ " line_number = max(line_number) over () as is_last"
        ~ " from " ~ file ~ ", unnest(string_split(text, chr(10))) with ordinality as split_lines(line, line_number)),"
        ~ " record_ends as (select line_number, line,"
        ~ " case when strpos(rtrim(line, chr(13)), chr(13)) > 0 then 'a lone CR (carriage return)'"
        ~ " when ends_with(line, chr(13)) then 'CRLF' else 'LF' end as ending"
        ~ " from lines where ends_record and not is_last)"
        ~ " select line_number, ending, first_value(ending) over (order by line_number rows between"
        ~ " unbounded preceding and unbounded following) as first_ending"
        ~ " from record_ends qualify ending <> first_ending or ending like 'a lone%' order by line_number limit 1") -%}
    {%- if found.rows | length > 0 -%}
        {{ support_csv_error(path, found.rows[0][0],
            "mixed line endings: this line ends with " ~ found.rows[0][1] ~ ", line 1 with "
            ~ found.rows[0][2] ~ "; save the file with one line ending (LF or CRLF) throughout") }}
    {%- endif -%}
{% endmacro %}


{#- DuckDB: reads every row of a CSV file once with the fixed dialect,
    storing the lines DuckDB cannot read (field count, encoding, quoting,
    line length) instead of failing, and stops the build at the first one,
    or at a value holding a NUL byte. -#}
{% macro duckdb_csv_rows_checked(path, literal, names, options) %}
    {%- set suffix = local_md5(path)[:12] -%}
    {%- set errors_table = 'support_csv_errors_' ~ suffix -%}
    {%- set scans_table = 'support_csv_scans_' ~ suffix -%}
    {%- do run_query("drop table if exists temp." ~ errors_table) -%}
    {%- do run_query("drop table if exists temp." ~ scans_table) -%}
    {%- set has_nul = [] -%}
    {%- for name in names -%}
        {%- do has_nul.append("strpos(" ~ adapter.quote(name) ~ ", chr(0)) > 0") -%}
    {%- endfor -%}
    {%- set counted = run_query(
        "select count(*) filter (where " ~ has_nul | join(' or ') ~ ") from read_csv('" ~ literal ~ "', "
        ~ options ~ ", ignore_errors = true, store_rejects = true, rejects_table = '" ~ errors_table
        ~ "', rejects_scan = '" ~ scans_table ~ "', rejects_limit = 100, rejects_line_size_limit = 200)") -%}
    {%- set rejected = run_query(
        "select line, error_type, error_message from temp." ~ errors_table ~ " order by line limit 1") -%}
    {%- do run_query("drop table if exists temp." ~ errors_table) -%}
    {%- do run_query("drop table if exists temp." ~ scans_table) -%}
    {%- if rejected.rows | length > 0 -%}
        {%- set record_line, error_type, message = rejected.rows[0] -%}
        {%- set line = duckdb_csv_physical_line(literal, record_line) -%}
        {%- set counts = modules.re.findall('[0-9]+', message) -%}
        {%- if error_type in ('MISSING COLUMNS', 'TOO MANY COLUMNS') and counts | length >= 2 -%}
            {{ support_csv_error(path, line,
                "wrong field count: " ~ counts[1] ~ " fields, the header has " ~ counts[0]
                ~ " (a value with a comma or a line break must be in double quotes)") }}
        {%- elif error_type == 'INVALID ENCODING' -%}
            {{ support_csv_error(path, line,
                "the text is not UTF-8 (encoding; Latin-1 or Windows-1252 bytes?); export the file as UTF-8") }}
        {%- elif error_type == 'UNQUOTED VALUE' -%}
            {{ support_csv_error(path, line,
                "a quoted value is never closed (unterminated double quote)") }}
        {%- elif error_type == 'LINE SIZE OVER MAXIMUM' -%}
            {{ support_csv_error(path, line,
                "field too long: the line is longer than " ~ (support_csv_max_line_bytes() // 1048576) ~ " MB") }}
        {%- else -%}
            {{ support_csv_error(path, line, (error_type | lower) ~ ": " ~ message) }}
        {%- endif -%}
    {%- endif -%}
    {%- if counted.rows[0][0] > 0 -%}
        {%- set found = run_query(
            "select min(line_number) from (select try(decode(content)) as text from read_blob('" ~ literal ~ "')),"
            ~ " unnest(string_split(text, chr(10))) with ordinality as split_lines(line, line_number)"
            ~ " where strpos(line, chr(0)) > 0") -%}
        {{ support_csv_error(path, found.rows[0][0],
            "a NUL byte (character 0) in a value: not a UTF-8 text file (UTF-16, or binary data?)") }}
    {%- endif -%}
{% endmacro %}


{#- DuckDB: the line of a CSV file (counting every line break, as an
    editor does) where the record_line-th record starts; DuckDB counts a
    record whose quoted value spans lines as one line. When the file is not
    UTF-8 (so it cannot be split into lines) the record count itself, with a
    note. -#}
{% macro duckdb_csv_physical_line(literal, record_line) %}
    {%- set found = run_query(
        "with lines as (select line_number,"
        ~ " sum(length(line) - length(replace(line, '\"', ''))) over (order by line_number) % 2 = 0 as ends_record"
        ~ " from (select try(decode(content)) as text from read_blob('" ~ literal ~ "')),"
        ~ " unnest(string_split(text, chr(10))) with ordinality as split_lines(line, line_number)),"
        ~ " record_ends as (select line_number, row_number() over (order by line_number) as record_number"
        ~ " from lines where ends_record)"
        ~ " select max(line_number) + 1 from record_ends where record_number = " ~ (record_line - 1)) -%}
    {%- if found.rows | length > 0 and found.rows[0][0] is not none -%}
        {{ return(found.rows[0][0]) }}
    {%- endif -%}
    {{ return(record_line ~ " (counting a quoted value that spans lines as one line)") }}
{% endmacro %}


{#- A text expression of a numeric column of a typed file (Parquet): an
    integral value without a fraction (6.0 -> '6', so that it passes as an
    integer), any other value as the database writes it (6.5 -> '6.5'). -#}
{% macro exact_number_text(column) -%}
    case
        when {{ column }} = floor({{ column }}) and abs({{ column }}) < 1e18
            then cast(cast({{ column }} as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
        else cast({{ column }} as {{ dbt.type_string() }})
    end
{%- endmacro %}


{#- True when a column type (as the database describes it) is a floating
    point or decimal number. -#}
{% macro is_fractional_type(data_type) %}
    {%- set lowered = data_type | lower -%}
    {{ return(lowered in ('float', 'double', 'real', 'float4', 'float8') or lowered.startswith('decimal')) }}
{% endmacro %}
