-- Valid customers rows (spec/sources.md), typed and renamed to the house rules;
-- the current version of each key when the delivery came in loads (D34);
-- contact details out of what reaches the marts (D31).
with

checked as (
    select * from {{ ref('base_support__customers_checked') }}
),

valid_rows as (
    select * from checked
    where is_current
),

renamed as (
    select
        {{ pseudonymise_contact_id('customer_id', 'cust_') }} as customer_id,
        full_name,
        email,
        phone,
        segment,
        country as country_code,
        parsed_signed_up_at as signed_up_at
    from valid_rows
)

select * from renamed
