-- Valid orders rows (spec/sources.md), typed and renamed to the house rules;
-- the current version of each key when the delivery came in loads (D34);
-- contact details out of what reaches the marts (D31).
with

checked as (
    select * from {{ ref('base_support__orders_checked') }}
),

valid_rows as (
    select * from checked
    where is_current
),

renamed as (
    select
        order_id,
        {{ pseudonymise_contact_id('customer_id', 'cust_') }} as customer_id,
        parsed_ordered_at as ordered_at,
        parsed_amount as amount,
        currency as currency_code
    from valid_rows
)

select * from renamed
