-- The Zendesk SLA policy whose targets the project uses (D19): the policy
-- applied to the most tickets (ticket_sla_policy; ties: the smaller id), and
-- its latest version. No row without landed SLA policies.
with

landed_metrics as (
    {{ zendesk_landed('sla_policy_metric_history') }}
),

landed_applied as (
    {{ zendesk_landed('ticket_sla_policy') }}
),

policy_use as (
    select
        sla_policy_id,
        count(distinct ticket_id) as count_tickets
    from landed_applied
    group by sla_policy_id
),

policies as (
    select
        sla_policy_id,
        max(sla_policy_updated_at) as sla_policy_updated_at
    from landed_metrics
    group by sla_policy_id
),

policies_ranked as (
    select
        policies.sla_policy_id,
        policies.sla_policy_updated_at,
        row_number() over (
            order by coalesce(policy_use.count_tickets, 0) desc, policies.sla_policy_id asc
        ) as policy_rank
    from policies
    left join policy_use
        on policies.sla_policy_id = policy_use.sla_policy_id
),

chosen as (
    select
        sla_policy_id,
        sla_policy_updated_at
    from policies_ranked
    where policy_rank = 1
)

select * from chosen
