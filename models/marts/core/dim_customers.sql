-- One row per valid customer, without PII (no name, email or phone).
with

customers as (
    select * from {{ ref('stg_support__customers') }}
),

dimension as (
    select
        customer_id,
        segment,
        country_code,
        signed_up_at,
        cast(signed_up_at as date) as signed_up_date
    from customers
)

select * from dimension
