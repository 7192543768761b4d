-- Customer retention (spec/kpis.md, customer_retention_rate): one row per
-- customer and month M in which the customer had an order in M - 1, up to
-- the last month with orders, with whether they ordered again in M and
-- whether they had a contact in M - 1.
with

orders as (
    select * from {{ ref('stg_support__orders') }}
),

contacts as (
    select * from {{ ref('int_contacts_unioned') }}
),

order_months as (
    select distinct
        customer_id,
        cast(date_trunc('month', ordered_at) as date) as order_month
    from orders
),

contact_months as (
    select distinct
        customer_id,
        cast(date_trunc('month', contact_at) as date) as contact_month
    from contacts
),

last_order_month as (
    select max(order_month) as last_month from order_months
),

previous_month_contacts as (
    select
        customer_id,
        cast(contact_month + interval '1 month' as date) as month_start_date
    from contact_months
),

candidates as (
    select
        order_months.customer_id,
        cast(order_months.order_month + interval '1 month' as date) as month_start_date
    from order_months
    cross join last_order_month
    where order_months.order_month < last_order_month.last_month
),

flagged as (
    select
        candidates.customer_id,
        candidates.month_start_date,
        true as had_order_previous_month,
        order_months.customer_id is not null as has_order_in_month,
        previous_month_contacts.customer_id is not null as had_contact_previous_month
    from candidates
    left join order_months
        on
            candidates.customer_id = order_months.customer_id
            and candidates.month_start_date = order_months.order_month
    left join previous_month_contacts
        on
            candidates.customer_id = previous_month_contacts.customer_id
            and candidates.month_start_date = previous_month_contacts.month_start_date
)

select * from flagged
