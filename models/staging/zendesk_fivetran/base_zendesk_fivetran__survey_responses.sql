-- The contract's survey_responses from the landed legacy satisfaction
-- ratings (D19): a CSAT invitation per offered rating; good and bad are the
-- scores var zendesk_csat_good_score (5) and zendesk_csat_bad_score (1) on
-- the contract's 1-5 scale, answered at the rating's last update; offered
-- is an unanswered invitation; unoffered is no invitation (not delivered). A
-- numeric score (Zendesk's 1-5 CSAT) passes through.
with

landed_ratings as (
    {{ zendesk_landed('satisfaction_rating') }}
),

deleted_tickets as (
    select * from {{ ref('base_zendesk_fivetran__deleted_ticket_ids') }}
),

offered as (
    select landed_ratings.*
    from landed_ratings
    left join deleted_tickets
        on landed_ratings.ticket_id = deleted_tickets.ticket_id
    where deleted_tickets.ticket_id is null and coalesce(lower(landed_ratings.score), '') <> 'unoffered'
),

mapped as (
    select
        id as response_id,
        'csat' as survey_type,
        requester_id as customer_id,
        ticket_id,
        cast(null as string) as call_id,
        created_at as sent_at,
        case when lower(score) <> 'offered' then updated_at end as responded_at,
        case
            when lower(score) = 'good' then '{{ var("zendesk_csat_good_score") }}'
            when lower(score) = 'bad' then '{{ var("zendesk_csat_bad_score") }}'
            when lower(score) = 'offered' then null
            else score
        end as score,
        comment
    from offered
)

select * from mapped
