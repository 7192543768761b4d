-- Where every landed Zendesk row went (D19): per landed table, outcome
-- (mapped: delivered to a contract table, where it is then staged,
-- quarantined or collapsed like any delivered row; not_mapped: deliberately
-- left out, with the reason) and row count.
{{ config(schema='quarantine') }}
with

landed_tickets as (
    {{ zendesk_landed('ticket') }}
),

landed_comments as (
    {{ zendesk_landed('ticket_comment') }}
),

landed_users as (
    {{ zendesk_landed('user') }}
),

landed_groups as (
    {{ zendesk_landed('group') }}
),

landed_schedules as (
    {{ zendesk_landed('schedule') }}
),

landed_holidays as (
    {{ zendesk_landed('schedule_holiday') }}
),

landed_ticket_schedules as (
    {{ zendesk_landed('ticket_schedule') }}
),

landed_ratings as (
    {{ zendesk_landed('satisfaction_rating') }}
),

landed_sla_metrics as (
    {{ zendesk_landed('sla_policy_metric_history') }}
),

landed_sla_applied as (
    {{ zendesk_landed('ticket_sla_policy') }}
),

chosen_sla_policy as (
    select * from {{ ref('base_zendesk_fivetran__sla_policy_chosen') }}
),

deleted_tickets as (
    select * from {{ ref('base_zendesk_fivetran__deleted_ticket_ids') }}
),

history as (
    select * from {{ ref('base_zendesk_fivetran__field_history_classified') }}
),

users as (
    select * from {{ ref('base_zendesk_fivetran__users_classified') }}
),

schedules as (
    select * from {{ ref('base_zendesk_fivetran__schedules_mapped') }}
),

ticket_schedules as (
    select * from {{ ref('base_zendesk_fivetran__ticket_schedules') }}
),

ticket_outcomes as (
    select
        'ticket' as landed_table,
        case when deleted_tickets.ticket_id is null then 'tickets' end as contract_table,
        case when deleted_tickets.ticket_id is not null then 'deleted_ticket' end as not_mapped_reason
    from landed_tickets
    left join deleted_tickets
        on landed_tickets.id = deleted_tickets.ticket_id
),

comment_outcomes as (
    select
        'ticket_comment' as landed_table,
        case
            when
                deleted_tickets.ticket_id is null
                and not coalesce({{ zendesk_is_true('landed_comments._fivetran_deleted') }}, false)
                then 'ticket_messages'
        end as contract_table,
        case
            when deleted_tickets.ticket_id is not null then 'comment_of_deleted_ticket'
            when coalesce({{ zendesk_is_true('landed_comments._fivetran_deleted') }}, false) then 'deleted_comment'
        end as not_mapped_reason
    from landed_comments
    left join deleted_tickets
        on landed_comments.ticket_id = deleted_tickets.ticket_id
),

history_outcomes as (
    select
        'ticket_field_history' as landed_table,
        case when event_type is not null then 'ticket_events' end as contract_table,
        not_mapped_reason
    from history
),

user_outcomes as (
    select
        'user' as landed_table,
        case
            when users.is_customer and users.is_agent then 'customers, agents'
            when users.is_customer then 'customers'
            when users.is_agent then 'agents'
        end as contract_table,
        case
            when users.id is null then 'deleted_user'
            when not (users.is_customer or users.is_agent) then 'neither_customer_nor_agent'
        end as not_mapped_reason
    from landed_users
    left join users
        on landed_users.id = users.id
),

group_outcomes as (
    select
        'group' as landed_table,
        'tickets (team names), agents (team names)' as contract_table,
        cast(null as string) as not_mapped_reason
    from landed_groups
),

schedule_outcomes as (
    select
        'schedule' as landed_table,
        case
            when not coalesce({{ zendesk_is_true('_fivetran_deleted') }}, false) then 'business_hours'
        end as contract_table,
        case
            when coalesce({{ zendesk_is_true('_fivetran_deleted') }}, false) then 'deleted_schedule_interval'
        end as not_mapped_reason
    from landed_schedules
),

holiday_outcomes as (
    select
        'schedule_holiday' as landed_table,
        case
            when
                schedules.schedule_id is not null
                and not coalesce({{ zendesk_is_true('landed_holidays._fivetran_deleted') }}, false)
                then 'holidays'
        end as contract_table,
        case
            when coalesce({{ zendesk_is_true('landed_holidays._fivetran_deleted') }}, false) then 'deleted_holiday'
            when schedules.schedule_id is null then 'schedule_not_landed'
        end as not_mapped_reason
    from landed_holidays
    left join schedules
        on landed_holidays.schedule_id = schedules.zendesk_schedule_id
),

ticket_schedule_outcomes as (
    select
        'ticket_schedule' as landed_table,
        case
            when ticket_schedules.ticket_id is not null then 'ticket schedules (business minutes)'
        end as contract_table,
        case
            when deleted_tickets.ticket_id is not null then 'schedule_of_deleted_ticket'
            when schedules.schedule_id is null then 'schedule_not_landed'
            when ticket_schedules.ticket_id is null then 'superseded_schedule'
        end as not_mapped_reason
    from landed_ticket_schedules
    left join schedules
        on landed_ticket_schedules.schedule_id = schedules.zendesk_schedule_id
    left join ticket_schedules
        on
            landed_ticket_schedules.ticket_id = ticket_schedules.ticket_id
            and schedules.schedule_id = ticket_schedules.schedule_id
    left join deleted_tickets
        on landed_ticket_schedules.ticket_id = deleted_tickets.ticket_id
),

rating_outcomes as (
    select
        'satisfaction_rating' as landed_table,
        case
            when deleted_tickets.ticket_id is null and coalesce(lower(landed_ratings.score), '') <> 'unoffered'
                then 'survey_responses'
        end as contract_table,
        case
            when deleted_tickets.ticket_id is not null then 'rating_of_deleted_ticket'
            when coalesce(lower(landed_ratings.score), '') = 'unoffered' then 'unoffered'
        end as not_mapped_reason
    from landed_ratings
    left join deleted_tickets
        on landed_ratings.ticket_id = deleted_tickets.ticket_id
),

sla_metric_outcomes as (
    select
        'sla_policy_metric_history' as landed_table,
        case
            when
                chosen_sla_policy.sla_policy_id is not null
                and landed_sla_metrics.sla_policy_updated_at = chosen_sla_policy.sla_policy_updated_at
                and landed_sla_metrics.metric in ('first_reply_time', 'total_resolution_time')
                and {{ zendesk_is_true('landed_sla_metrics.business_hours') }}
                then 'sla_policies'
        end as contract_table,
        case
            when chosen_sla_policy.sla_policy_id is null then 'other_sla_policy'
            when landed_sla_metrics.sla_policy_updated_at <> chosen_sla_policy.sla_policy_updated_at
                then 'superseded_sla_version'
            when landed_sla_metrics.metric not in ('first_reply_time', 'total_resolution_time')
                then 'sla_metric_not_mapped'
            when not coalesce({{ zendesk_is_true('landed_sla_metrics.business_hours') }}, false)
                then 'calendar_hours_target'
        end as not_mapped_reason
    from landed_sla_metrics
    left join chosen_sla_policy
        on landed_sla_metrics.sla_policy_id = chosen_sla_policy.sla_policy_id
),

sla_applied_outcomes as (
    select
        'ticket_sla_policy' as landed_table,
        'sla_policies (the policy of most tickets)' as contract_table,
        cast(null as string) as not_mapped_reason
    from landed_sla_applied
),

outcomes as (
    select * from ticket_outcomes
    union all
    select * from comment_outcomes
    union all
    select * from history_outcomes
    union all
    select * from user_outcomes
    union all
    select * from group_outcomes
    union all
    select * from schedule_outcomes
    union all
    select * from holiday_outcomes
    union all
    select * from ticket_schedule_outcomes
    union all
    select * from rating_outcomes
    union all
    select * from sla_metric_outcomes
    union all
    select * from sla_applied_outcomes
),

counted as (
    select
        landed_table,
        case when not_mapped_reason is null then 'mapped' else 'not_mapped' end as outcome,
        contract_table,
        not_mapped_reason,
        count(*) as count_rows
    from outcomes
    group by 1, 2, 3, 4
)

select * from counted
