-- The contract's agent_shifts: Zendesk Support has no such data, so the adapter
-- delivers none (the KPIs built on it have no value; README, "Zendesk").
with

none_delivered as (
    {{ support_raw_absent('agent_shifts') }}
)

select * from none_delivered
