-- Each distinct delivered order row with the first contract rule it breaks.
{%- set rules = key_rules('order_id')
    + missing_value_rules(['customer_id', 'ordered_at', 'amount', 'currency'])
    + format_rules({'ordered_at': 'timestamp', 'amount': 'decimal'})
    + [shape_rule('currency', '^[A-Z]{3}$')]
    + plausible_timestamp_rules({'ordered_at': clock_skew_hours()})
    + [
        ('out_of_range', 'amount', parse_decimal('amount') ~ ' < 0'),
    ]
    + reference_rules(
        'customer_id', 'valid_customers.valid_customer_id', 'quarantined_customers.customer_reason_code'
    ) %}

with

delivered as (
    select * from {{ ref('base_support__orders') }}
),

valid_customers as (
    {{ valid_parent_keys('customer', 'customers') }}
),

quarantined_customers as (
    {{ quarantined_parent_keys('customer', 'customers') }}
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
    left join quarantined_customers
        on distinct_rows.customer_id = quarantined_customers.quarantined_customer_id
),

reasoned as (
    {{ select_with_reason('checked', 'orders', rules) }}
)

select * from reasoned
