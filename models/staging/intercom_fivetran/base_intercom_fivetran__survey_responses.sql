-- The contract's survey_responses from the Intercom conversation ratings
-- (README, "Intercom"): one csat invitation per conversation with a rating;
-- score = conversation_rating_value (Intercom's 1-5 scale), comment = the
-- remark, responded at conversation_rating_created_at, sent at the last
-- resolution of the conversation at or before it (Intercom asks for the
-- rating when the conversation is closed), else at the rating's time. A
-- rating requested but not given (a time without a value) is an
-- unanswered invitation.
with

conversations as (
    select * from {{ ref('base_intercom_fivetran__conversations_latest') }}
),

parts as (
    select * from {{ ref('base_intercom_fivetran__parts_classified') }}
),

rated as (
    select
        id,
        customer_contact_id,
        conversation_rating_value,
        conversation_rating_remark,
        conversation_rating_created_at,
        {{ parse_utc_timestamp('conversation_rating_created_at') }} as rated_at
    from conversations
    where conversation_rating_value is not null or conversation_rating_created_at is not null
),

resolutions as (
    select
        conversation_id,
        created_at,
        {{ parse_utc_timestamp('created_at') }} as resolved_at
    from parts
    where status_to = 'solved'
),

last_resolutions as (
    select
        rated.id as conversation_id,
        resolutions.created_at,
        row_number() over (
            partition by rated.id
            order by resolutions.resolved_at desc
        ) as recency_number
    from rated
    inner join resolutions
        on rated.id = resolutions.conversation_id and rated.rated_at >= resolutions.resolved_at
),

mapped as (
    select
        rated.id || ':rating' as response_id,
        'csat' as survey_type,
        rated.customer_contact_id as customer_id,
        rated.id as ticket_id,
        cast(null as string) as call_id,
        case
            when rated.conversation_rating_value is not null
                then coalesce(last_resolutions.created_at, rated.conversation_rating_created_at)
            else rated.conversation_rating_created_at
        end as sent_at,
        case
            when rated.conversation_rating_value is not null then rated.conversation_rating_created_at
        end as responded_at,
        rated.conversation_rating_value as score,
        rated.conversation_rating_remark as comment  -- noqa: RF04
    from rated
    left join last_resolutions
        on rated.id = last_resolutions.conversation_id and last_resolutions.recency_number = 1
)

select * from mapped
