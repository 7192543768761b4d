{#- Spark: seed rows as escaped literals. dbt-spark's session method pastes
    seed values into the insert unescaped, so a value with an apostrophe
    (New Year's Day) breaks the statement; this writes every value as a
    Spark string literal (backslash escapes) cast to its column type. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_types = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set rows_sql = [] -%}
        {%- for row in chunk -%}
            {%- set values = [] -%}
            {%- for column_name in agate_table.column_names -%}
                {%- set value = row[loop.index0] -%}
                {%- set column_type = column_types.get(column_name, adapter.convert_type(agate_table, loop.index0)) -%}
                {%- if value is none -%}
                    {%- do values.append('cast(null as ' ~ column_type ~ ')') -%}
                {%- else -%}
                    {%- set literal = (value | string) | replace('\\', '\\\\') | replace("'", "\\'") -%}
                    {%- do values.append("cast('" ~ literal ~ "' as " ~ column_type ~ ")") -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do rows_sql.append('(' ~ values | join(', ') ~ ')') -%}
        {%- endfor -%}
        {%- set sql = 'insert into ' ~ this.render() ~ ' values\n' ~ rows_sql | join(',\n') -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
