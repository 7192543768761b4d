-- One row per landed Zendesk schedule (not deleted): its contract schedule
-- id and IANA time zone (D19). An account's default schedule (the earliest
-- created, as in Zendesk) becomes var default_schedule_id ('standard', after
-- the account's prefix), the schedule of its tickets without one of their
-- own; the others are 'zendesk_<id>'. A time-zone name missing from the seed
-- zendesk_time_zones stops the build with an error naming it: business
-- minutes in an unknown zone are never computed (never zero, never UTC).
with

landed_schedules as (
    {{ zendesk_landed('schedule') }}
),

time_zones as (
    select * from {{ ref('zendesk_time_zones') }}
),

schedules as (
    select
        id,
        zendesk_account,
        min(name) as schedule_name,
        min(time_zone) as zendesk_time_zone,
        min(created_at) as created_at
    from landed_schedules
    where not coalesce({{ zendesk_is_true('_fivetran_deleted') }}, false)
    group by id, zendesk_account
),

ranked as (
    select
        schedules.*,
        row_number() over (
            partition by schedules.zendesk_account
            order by schedules.created_at, schedules.id
        ) as creation_rank
    from schedules
),

mapped as (
    select
        ranked.id as zendesk_schedule_id,
        ranked.zendesk_account,
        ranked.creation_rank = 1 as is_account_default,
        case
            when ranked.creation_rank = 1 then ranked.zendesk_account || '{{ var("default_schedule_id") }}'
            else 'zendesk_' || ranked.id
        end as schedule_id,
        ranked.schedule_name,
        case
            when time_zones.iana_time_zone is not null then time_zones.iana_time_zone
            when ranked.zendesk_time_zone like '%/%' then ranked.zendesk_time_zone
            else {{ raise_error(
                "'Zendesk schedule ' || ranked.id || ' has the time zone ''' || "
                ~ "coalesce(ranked.zendesk_time_zone, '') || ''', which is not in seeds/zendesk_time_zones.csv: "
                ~ "add its IANA name there'"
            ) }}
        end as time_zone
    from ranked
    left join time_zones
        on ranked.zendesk_time_zone = time_zones.zendesk_time_zone
)

select * from mapped
