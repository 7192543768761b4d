-- One row per contact (inbound ticket, or inbound call with a known
-- customer) with whether it converted: an order of the same customer with
-- ordered_at in (contact time, contact time + var('follow_up_days') days].
with

contacts as (
    select * from {{ ref('int_contacts_unioned') }}
),

orders as (
    select * from {{ ref('stg_support__orders') }}
),

conversions as (
    select
        contacts.contact_id,
        count(orders.order_id) as count_orders_within
    from contacts
    inner join orders
        on
            contacts.customer_id = orders.customer_id
            and {{ is_within_follow_up('contacts.contact_at', 'orders.ordered_at') }}
    group by contacts.contact_id
),

flagged as (
    select
        contacts.contact_id,
        contacts.contact_type,
        contacts.ticket_id,
        contacts.call_id,
        contacts.customer_id,
        contacts.contact_at,
        cast(contacts.contact_at as date) as contact_date,
        contacts.channel,
        contacts.team,
        contacts.agent_id,
        coalesce(conversions.count_orders_within, 0) > 0 as is_converted
    from contacts
    left join conversions
        on contacts.contact_id = conversions.contact_id
)

select * from flagged
