{#- The business-minute clock at an instant: the business minutes of the
    instant's schedule from the start of int_business_days_accumulated up to
    the instant. Business minutes of an interval = clock(end) - clock(start).

    Renders a select over CTE `relation` (holding key_columns, schedule_column
    and at_column) left-joined to CTE `business_days` (a select of
    int_business_days_accumulated), returning the key columns and
    `clock_minutes` (null when the instant is null or outside the calendar). -#}
{% macro business_minutes_clock(relation, key_columns, schedule_column, at_column, business_days) -%}
    select
        {%- for column in key_columns %}
        {{ relation }}.{{ column }},
        {%- endfor %}
        max({{ business_days }}.business_minutes_before_day)
        + coalesce(sum(
            case
                when {{ business_days }}.piece_start_at < {{ relation }}.{{ at_column }}
                    then {{ seconds_between(
                        business_days ~ '.piece_start_at',
                        'least(' ~ business_days ~ '.piece_end_at, ' ~ relation ~ '.' ~ at_column ~ ')',
                    ) }} / 60
            end
        ), 0) as clock_minutes
    from {{ relation }}
    left join {{ business_days }}
        on
            {{ relation }}.{{ schedule_column }} = {{ business_days }}.schedule_id
            and cast({{ relation }}.{{ at_column }} as date) = {{ business_days }}.calendar_date
    group by
        {%- for column in key_columns %}
        {{ relation }}.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
{%- endmacro %}
