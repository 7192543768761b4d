{#- One row per date from start_date to end_date (both included), as column
    `date_day`: a select list item that expands to rows. -#}
{% macro expand_days(start_date, end_date) %}
    {{ return(adapter.dispatch('expand_days', 'support_kpis')(start_date, end_date)) }}
{% endmacro %}

{% macro default__expand_days(start_date, end_date) -%}
    cast(generate_series(cast({{ start_date }} as date), cast({{ end_date }} as date), interval '1 day') as date)
{%- endmacro %}

{% macro duckdb__expand_days(start_date, end_date) -%}
    cast(unnest(generate_series(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day)) as date)
{%- endmacro %}

{% macro spark__expand_days(start_date, end_date) -%}
    explode(sequence(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day))
{%- endmacro %}


{#- One row per hour from start_timestamp to end_timestamp (both included
    when on the hour), as a timestamp: a select list item that expands to
    rows. -#}
{% macro expand_hours(start_timestamp, end_timestamp) %}
    {{ return(adapter.dispatch('expand_hours', 'support_kpis')(start_timestamp, end_timestamp)) }}
{% endmacro %}

{% macro default__expand_hours(start_timestamp, end_timestamp) -%}
    generate_series(cast({{ start_timestamp }} as timestamp), cast({{ end_timestamp }} as timestamp), interval '1 hour')
{%- endmacro %}

{% macro duckdb__expand_hours(start_timestamp, end_timestamp) -%}
    unnest(generate_series(
        cast({{ start_timestamp }} as timestamp), cast({{ end_timestamp }} as timestamp), interval 1 hour
    ))
{%- endmacro %}

{% macro spark__expand_hours(start_timestamp, end_timestamp) -%}
    explode(sequence(cast({{ start_timestamp }} as timestamp), cast({{ end_timestamp }} as timestamp), interval 1 hour))
{%- endmacro %}


{#- One row per whole number from start_number to end_number (both
    included): a select list item that expands to rows. -#}
{% macro expand_integers(start_number, end_number) %}
    {{ return(adapter.dispatch('expand_integers', 'support_kpis')(start_number, end_number)) }}
{% endmacro %}

{% macro default__expand_integers(start_number, end_number) -%}
    generate_series(cast({{ start_number }} as bigint), cast({{ end_number }} as bigint))
{%- endmacro %}

{% macro duckdb__expand_integers(start_number, end_number) -%}
    unnest(generate_series(cast({{ start_number }} as bigint), cast({{ end_number }} as bigint)))
{%- endmacro %}

{% macro spark__expand_integers(start_number, end_number) -%}
    explode(sequence(cast({{ start_number }} as bigint), cast({{ end_number }} as bigint)))
{%- endmacro %}


{#- A timestamp plus a whole number of minutes. -#}
{% macro add_minutes(timestamp_expression, minutes) %}
    {{ return(adapter.dispatch('add_minutes', 'support_kpis')(timestamp_expression, minutes)) }}
{% endmacro %}

{% macro default__add_minutes(timestamp_expression, minutes) -%}
    ({{ timestamp_expression }} + {{ minutes }} * interval '1 minute')
{%- endmacro %}

{% macro duckdb__add_minutes(timestamp_expression, minutes) -%}
    ({{ timestamp_expression }} + to_minutes(cast({{ minutes }} as bigint)))
{%- endmacro %}

{% macro spark__add_minutes(timestamp_expression, minutes) -%}
    timestampadd(minute, {{ minutes }}, {{ timestamp_expression }})
{%- endmacro %}


{#- Exact seconds from start to end (fractional; negative when end < start). -#}
{% macro seconds_between(start_expression, end_expression) %}
    {{ return(adapter.dispatch('seconds_between', 'support_kpis')(start_expression, end_expression)) }}
{% endmacro %}

{% macro default__seconds_between(start_expression, end_expression) -%}
    extract(epoch from ({{ end_expression }} - {{ start_expression }}))
{%- endmacro %}

{% macro duckdb__seconds_between(start_expression, end_expression) -%}
    (cast({{ microseconds_between(start_expression, end_expression) }} as double) / 1000000)
{%- endmacro %}

{% macro spark__seconds_between(start_expression, end_expression) -%}
    (cast({{ microseconds_between(start_expression, end_expression) }} as double) / 1000000)
{%- endmacro %}


{#- Whole microseconds from start to end, as a bigint: durations that are
    summed (sums of integers do not depend on the order of the rows, so every
    build and every engine gives the same total; sums of fractions do not). -#}
{% macro microseconds_between(start_expression, end_expression) %}
    {{ return(adapter.dispatch('microseconds_between', 'support_kpis')(start_expression, end_expression)) }}
{% endmacro %}

{% macro default__microseconds_between(start_expression, end_expression) -%}
    cast(extract(epoch from ({{ end_expression }} - {{ start_expression }})) * 1000000 as bigint)
{%- endmacro %}

{% macro duckdb__microseconds_between(start_expression, end_expression) -%}
    date_diff('microsecond', {{ start_expression }}, {{ end_expression }})
{%- endmacro %}

{% macro spark__microseconds_between(start_expression, end_expression) -%}
    (unix_micros({{ end_expression }}) - unix_micros({{ start_expression }}))
{%- endmacro %}


{#- ISO day of the week of a date: 1 = Monday .. 7 = Sunday. -#}
{% macro day_of_week(date_expression) %}
    {{ return(adapter.dispatch('day_of_week', 'support_kpis')(date_expression)) }}
{% endmacro %}

{% macro default__day_of_week(date_expression) -%}
    cast(extract(isodow from {{ date_expression }}) as integer)
{%- endmacro %}

{% macro spark__day_of_week(date_expression) -%}
    (pmod(dayofweek({{ date_expression }}) + 5, 7) + 1)
{%- endmacro %}


{#- Fails the query with `message_sql` (a SQL string expression) when it is
    evaluated: for data that must stop a build with a clear message. -#}
{% macro raise_error(message_sql) %}
    {{ return(adapter.dispatch('raise_error', 'support_kpis')(message_sql)) }}
{% endmacro %}

{% macro default__raise_error(message_sql) -%}
    cast({{ message_sql }} as integer)
{%- endmacro %}

{% macro duckdb__raise_error(message_sql) -%}
    error({{ message_sql }})
{%- endmacro %}

{% macro spark__raise_error(message_sql) -%}
    raise_error({{ message_sql }})
{%- endmacro %}


{#- A timestamp plus a whole number of seconds. -#}
{% macro add_seconds(timestamp_expression, seconds) %}
    {{ return(adapter.dispatch('add_seconds', 'support_kpis')(timestamp_expression, seconds)) }}
{% endmacro %}

{% macro default__add_seconds(timestamp_expression, seconds) -%}
    ({{ timestamp_expression }} + {{ seconds }} * interval '1 second')
{%- endmacro %}

{% macro duckdb__add_seconds(timestamp_expression, seconds) -%}
    ({{ timestamp_expression }} + to_seconds(cast({{ seconds }} as bigint)))
{%- endmacro %}

{% macro spark__add_seconds(timestamp_expression, seconds) -%}
    timestampadd(second, {{ seconds }}, {{ timestamp_expression }})
{%- endmacro %}


{#- A text parsed as a timestamp with a strftime format (the directives of
    support_raw_format_directives), or as ISO-8601 without one; null when it
    does not parse. -#}
{% macro parse_timestamp_text(expression, format) %}
    {{ return(adapter.dispatch('parse_timestamp_text', 'support_kpis')(expression, format)) }}
{% endmacro %}

{% macro default__parse_timestamp_text(expression, format) -%}
    {%- if format -%}
        to_timestamp({{ expression }}, '{{ format | replace("'", "''") }}')
    {%- else -%}
        cast({{ expression }} as timestamp)
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__parse_timestamp_text(expression, format) -%}
    {%- if format -%}
        try_strptime({{ expression }}, '{{ format | replace("'", "''") }}')
    {%- else -%}
        try_cast({{ expression }} as timestamp)
    {%- endif -%}
{%- endmacro %}

{% macro spark__parse_timestamp_text(expression, format) -%}
    {%- if format -%}
        {%- set pattern = namespace(text='') -%}
        {%- set directives = support_raw_format_directives() -%}
        {%- set parts = (format | string).split('%') -%}
        {%- set pattern.text = "'" ~ parts[0] ~ "'" if parts[0] else '' -%}
        {%- for part in parts[1:] -%}
            {%- set pattern.text = pattern.text ~ directives['%' ~ part[0]]
                ~ ("'" ~ part[1:] ~ "'" if part[1:] else '') -%}
        {%- endfor -%}
        try_to_timestamp({{ expression }}, '{{ pattern.text | replace("'", "\\'") }}')
    {%- else -%}
        try_cast({{ expression }} as timestamp)
    {%- endif -%}
{%- endmacro %}
