-- Each distinct delivered survey invitation row with the first contract rule it breaks.
{%- set score = parse_integer('score') -%}
{%- set rules = key_rules('response_id')
    + missing_value_rules(['survey_type', 'customer_id', 'sent_at'])
    + format_rules({'sent_at': 'timestamp', 'responded_at': 'timestamp', 'score': 'integer'})
    + value_set_rules({'survey_type': ['csat', 'nps', 'ces']})
    + plausible_timestamp_rules({'sent_at': clock_skew_hours(), 'responded_at': clock_skew_hours()})
    + [
        (
            'out_of_range', 'score',
            '(' ~ score ~ " < case survey_type when 'nps' then 0 else 1 end"
            ~ ' or ' ~ score ~ " > case survey_type when 'csat' then 5 when 'nps' then 10 else 7 end)"
        ),
        (
            'timestamp_order', 'responded_at',
            parse_utc_timestamp('responded_at') ~ ' < ' ~ parse_utc_timestamp('sent_at')
        ),
        ('inconsistent_value', 'score', 'responded_at is not null and score is null'),
        ('inconsistent_value', 'score', 'responded_at is null and score is not null'),
    ]
    + reference_rules(
        'customer_id', 'valid_customers.valid_customer_id', 'quarantined_customers.customer_reason_code'
    ) %}

with

delivered as (
    select * from {{ ref('base_support__survey_responses') }}
),

valid_customers as (
    {{ valid_parent_keys('customer', 'customers') }}
),

quarantined_customers as (
    {{ quarantined_parent_keys('customer', 'customers') }}
),

distinct_rows as (
    {{ collapse_exact_duplicates('delivered', 'survey_responses') }}
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
    {{ select_with_reason('checked', 'survey_responses', rules) }}
)

select * from reasoned
