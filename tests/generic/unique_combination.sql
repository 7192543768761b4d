{#- Fails on every combination of the given columns that occurs more than once. -#}
{% test unique_combination(model, columns) %}

with

tested_rows as (
    select * from {{ model }}
),

repeated as (
    select
        {{ columns | join(', ') }},
        count(*) as count_rows
    from tested_rows
    group by {{ columns | join(', ') }}
    having count(*) > 1
)

select * from repeated

{% endtest %}
