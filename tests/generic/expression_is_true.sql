{#- Fails on every row of the model where the SQL boolean expression is not
    true (false or null). The project's own stand-in for dbt_utils'
    expression_is_true, since packages cannot be installed here. -#}
{% test expression_is_true(model, expression, column_name=none) %}

with

checked_rows as (
    select * from {{ model }}
),

failing_rows as (
    select * from checked_rows
    where not coalesce({{ expression }}, false)
)

select * from failing_rows

{% endtest %}
