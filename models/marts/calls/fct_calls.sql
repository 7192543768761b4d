-- One row per valid call leg with the parts of every call KPI
-- (spec/kpis.md, "Calls" and "Contact-centre operations"; the KPIs count
-- inbound calls only).
{{ config_incremental_by_partition('call_partition_key', 'int_call_fingerprints') }}
with

fingerprints as (
    select * from {{ ref('int_call_fingerprints') }}
),

calls as (
    select * from {{ ref('stg_support__calls') }}
),

follow_ups as (
    select * from {{ ref('int_calls_followed_up') }}
),

measured as (
    select
        calls.call_id,
        calls.customer_id,
        calls.agent_id,
        calls.ticket_id,
        calls.queue,
        calls.direction,
        calls.direction = 'inbound' as is_inbound,
        calls.offered_at,
        cast(calls.offered_at as date) as offered_date,
        {{ day_of_week('cast(calls.offered_at as date)') }} as offered_weekday,
        cast(extract(hour from calls.offered_at) as integer) as offered_hour,
        calls.answered_at,
        calls.ended_at,
        calls.answered_at is not null as is_answered,
        calls.direction = 'inbound' and calls.answered_at is null as is_abandoned,
        coalesce(
            calls.direction = 'inbound'
            and calls.answered_at is null
            and {{ seconds_between('calls.offered_at', 'calls.ended_at') }}
            <= {{ var('short_abandon_seconds') }},
            false
        ) as is_short_abandon,
        {{ seconds_between('calls.offered_at', 'calls.answered_at') }} as speed_of_answer_seconds,
        {{ seconds_between('calls.offered_at', 'coalesce(calls.answered_at, calls.ended_at)') }}
            as queue_wait_seconds,
        case
            when calls.answered_at is not null
                then calls.talk_seconds + calls.hold_seconds + calls.after_call_work_seconds
        end as handle_seconds,
        calls.talk_seconds,
        calls.hold_seconds,
        calls.after_call_work_seconds,
        calls.answered_at is not null and calls.hold_seconds > 0 as has_hold,
        coalesce(
            {{ seconds_between('calls.offered_at', 'calls.answered_at') }}
            <= {{ var('service_level_seconds') }},
            false
        ) as is_within_service_level,
        calls.answered_at is not null and coalesce(calls.is_resolved, false) as is_resolved_call,
        calls.is_transferred,
        calls.customer_id is not null as has_known_customer,
        follow_ups.has_repeat_call,
        coalesce(
            calls.answered_at is not null
            and calls.customer_id is not null
            and calls.is_resolved
            and not follow_ups.has_repeat_call,
            false
        ) as is_first_contact_resolved,
        fingerprints.call_partition_key,
        fingerprints.partition_fingerprint
    from calls
    inner join follow_ups
        on calls.call_id = follow_ups.call_id
    inner join fingerprints
        on {{ call_partition_key('calls') }} = fingerprints.call_partition_key
    where {{ partition_needs_build("fingerprints.call_partition_key") }}
)

select * from measured
