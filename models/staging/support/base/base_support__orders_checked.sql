-- Each distinct delivered order row with the first contract rule it breaks.
{%- set rules = key_rules('order_id')
    + missing_value_rules(['customer_id', 'ordered_at', 'amount', 'currency'])
    + format_rules({'ordered_at': 'timestamp', 'amount': 'decimal'})
    + [shape_rule('currency', '^[A-Z]{3}$')]
    + [
        ('out_of_range', 'amount', parse_decimal('amount') ~ ' < 0'),
        ('dangling_reference', 'customer_id', 'valid_customers.valid_customer_id is null'),
    ] %}

with

delivered as (
    select * from {{ ref('base_support__orders') }}
),

valid_customers as (
    select customer_id as valid_customer_id from {{ ref('stg_support__customers') }}
),

distinct_rows as (
    {{ collapse_exact_duplicates('delivered', 'orders') }}
),

checked as (
    select
        distinct_rows.*,
        {{ first_failing_rule_number(rules) }}
    from distinct_rows
    left join valid_customers
        on distinct_rows.customer_id = valid_customers.valid_customer_id
),

reasoned as (
    {{ select_with_reason('checked', 'orders', rules) }}
)

select * from reasoned
