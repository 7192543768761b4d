-- One row per valid order with whether it followed a contact: the same
-- customer had a contact with contact time in
-- [ordered_at - var('follow_up_days') days, ordered_at) (post_contact_revenue;
-- each order counted once however many contacts preceded it).
with

orders as (
    select * from {{ ref('stg_support__orders') }}
),

contacts as (
    select * from {{ ref('int_contacts_unioned') }}
),

preceding_contacts as (
    select
        orders.order_id,
        count(contacts.contact_id) as count_contacts_before
    from orders
    inner join contacts
        on
            orders.customer_id = contacts.customer_id
            and {{ is_within_follow_up('contacts.contact_at', 'orders.ordered_at') }}
    group by orders.order_id
),

flagged as (
    select
        orders.order_id,
        orders.customer_id,
        orders.ordered_at,
        cast(orders.ordered_at as date) as ordered_date,
        orders.amount,
        orders.currency_code,
        coalesce(preceding_contacts.count_contacts_before, 0) > 0 as is_post_contact,
        case
            when coalesce(preceding_contacts.count_contacts_before, 0) > 0 then orders.amount
            else 0
        end as post_contact_amount
    from orders
    left join preceding_contacts
        on orders.order_id = preceding_contacts.order_id
)

select * from flagged
