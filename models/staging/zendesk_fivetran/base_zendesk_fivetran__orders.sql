-- The contract's orders: Zendesk Support has no such data, so the adapter
-- delivers none (the KPIs built on it have no value; README, "Zendesk").
with

none_delivered as (
    {{ support_raw_absent('orders') }}
)

select * from none_delivered
