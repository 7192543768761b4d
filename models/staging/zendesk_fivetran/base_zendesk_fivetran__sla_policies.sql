-- The sla_policies reference data for Zendesk (D19): the targets of the
-- Zendesk SLA policy applied to the most tickets (ties: the smaller id), in
-- its latest version: first_reply_time and total_resolution_time targets in
-- business hours, by priority (Zendesk's medium is normal). A priority or
-- metric the policy lacks, or a target in calendar hours (the catalogue's
-- SLA targets are business minutes), keeps the seed's target; without
-- landed SLA policies the seed applies as shipped.
with

seed_policies as (
    select * from {{ ref('sla_policies') }}
),

landed_metrics as (
    {{ zendesk_landed('sla_policy_metric_history') }}
),

chosen_policy as (
    select * from {{ ref('base_zendesk_fivetran__sla_policy_chosen') }}
),

chosen_metrics as (
    select landed_metrics.*
    from landed_metrics
    inner join chosen_policy
        on
            landed_metrics.sla_policy_id = chosen_policy.sla_policy_id
            and landed_metrics.sla_policy_updated_at = chosen_policy.sla_policy_updated_at
),

latest_targets as (
    select
        case when lower(chosen_metrics.priority) = 'medium' then 'normal' else lower(chosen_metrics.priority) end
            as priority,
        chosen_metrics.metric,
        cast(chosen_metrics.target as integer) as target_minutes
    from chosen_metrics
    where {{ zendesk_is_true('chosen_metrics.business_hours') }}
),

targets as (
    select
        priority,
        max(case when metric = 'first_reply_time' then target_minutes end) as first_reply_target_minutes,
        max(case when metric = 'total_resolution_time' then target_minutes end) as resolution_target_minutes
    from latest_targets
    group by priority
),

combined as (
    select
        seed_policies.priority,
        coalesce(targets.first_reply_target_minutes, seed_policies.first_reply_target_minutes)
            as first_reply_target_minutes,
        coalesce(targets.resolution_target_minutes, seed_policies.resolution_target_minutes)
            as resolution_target_minutes
    from seed_policies
    left join targets
        on seed_policies.priority = targets.priority
)

select * from combined
