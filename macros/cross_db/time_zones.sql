{#- The local wall-clock time, in IANA zone `time_zone`, of a UTC timestamp. -#}
{% macro utc_to_local(utc_expression, time_zone) %}
    {{ return(adapter.dispatch('utc_to_local', 'support_kpis')(utc_expression, time_zone)) }}
{% endmacro %}

{% macro default__utc_to_local(utc_expression, time_zone) -%}
    (({{ utc_expression }} at time zone 'UTC') at time zone {{ time_zone }})
{%- endmacro %}

{% macro duckdb__utc_to_local(utc_expression, time_zone) -%}
    timezone({{ time_zone }}, timezone('UTC', {{ utc_expression }}))
{%- endmacro %}

{% macro spark__utc_to_local(utc_expression, time_zone) -%}
    from_utc_timestamp({{ utc_expression }}, {{ time_zone }})
{%- endmacro %}


{#- The UTC timestamp of a local wall-clock time in IANA zone `time_zone`.
    A local time that does not exist (in a daylight-saving gap) or exists
    twice (in an overlap) takes the UTC offset in force just before the
    switch (spec/kpis.md, business minutes). Portable: built only on
    utc_to_local. Switches are months apart, so the offset in force a day
    earlier is the one before any switch near `local_expression`:
      u1 = local - offset(a day earlier); if the offset at u1 is that offset,
      u1 is right (this covers an overlap: the earlier offset wins);
      else u2 = local - offset(u1); if the offset at u2 agrees, u2 is right
      (a time after a switch); else the time is in a gap: u1. -#}
{% macro local_to_utc(local_expression, time_zone) -%}
    {%- set offset_before = '(' ~ utc_to_local(local_expression ~ " - interval '1 day'", time_zone)
        ~ " - (" ~ local_expression ~ " - interval '1 day'))" -%}
    {%- set first_guess = '(' ~ local_expression ~ ' - ' ~ offset_before ~ ')' -%}
    {%- set offset_at_first_guess = '(' ~ utc_to_local(first_guess, time_zone) ~ ' - ' ~ first_guess ~ ')' -%}
    {%- set second_guess = '(' ~ local_expression ~ ' - ' ~ offset_at_first_guess ~ ')' -%}
    {%- set offset_at_second_guess = '(' ~ utc_to_local(second_guess, time_zone) ~ ' - ' ~ second_guess ~ ')' -%}
    case
        when {{ offset_at_first_guess }} = {{ offset_before }} then {{ first_guess }}
        when {{ offset_at_second_guess }} = {{ offset_at_first_guess }} then {{ second_guess }}
        else {{ first_guess }}
    end
{%- endmacro %}
