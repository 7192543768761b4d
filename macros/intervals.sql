{#- Intervals cut at UTC midnight (spec/kpis.md, agent-state KPIs): a select
    of every column of `relation` and, per UTC date the interval touches,
    `piece_date`, `piece_started_at` and `piece_ended_at` (the interval
    clipped to that date). A piece of zero length (an interval ending at
    midnight) is left out. -#}
{% macro split_at_utc_midnight(relation, started_column, ended_column) %}
    select
        dated.*,
        case
            when dated.{{ started_column }} > cast(dated.piece_date as timestamp)
                then dated.{{ started_column }}
            else cast(dated.piece_date as timestamp)
        end as piece_started_at,
        case
            when dated.{{ ended_column }} < {{ add_minutes('cast(dated.piece_date as timestamp)', 1440) }}
                then dated.{{ ended_column }}
            else {{ add_minutes('cast(dated.piece_date as timestamp)', 1440) }}
        end as piece_ended_at
    from (
        select
            {{ relation }}.*,
            {{ expand_days(
                'cast(' ~ relation ~ '.' ~ started_column ~ ' as date)',
                'cast(' ~ relation ~ '.' ~ ended_column ~ ' as date)',
            ) }} as piece_date
        from {{ relation }}
    ) as dated
    where dated.{{ ended_column }} > cast(dated.piece_date as timestamp)
{% endmacro %}
