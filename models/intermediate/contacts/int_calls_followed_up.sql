-- Per valid call: whether another inbound call from the same (known)
-- customer was offered in the var('follow_up_days') days after it,
-- (offered_at, offered_at + days] (call first-contact resolution).
with

calls as (
    select * from {{ ref('stg_support__calls') }}
),

inbound_calls as (
    select
        call_id,
        customer_id,
        offered_at
    from calls
    where direction = 'inbound' and customer_id is not null
),

repeats as (
    select
        calls.call_id,
        count(inbound_calls.call_id) as count_repeat_calls
    from calls
    inner join inbound_calls
        on
            calls.customer_id = inbound_calls.customer_id
            and {{ is_within_follow_up('calls.offered_at', 'inbound_calls.offered_at') }}
    group by calls.call_id
),

followed_up as (
    select
        calls.call_id,
        coalesce(repeats.count_repeat_calls, 0) > 0 as has_repeat_call
    from calls
    left join repeats
        on calls.call_id = repeats.call_id
)

select * from followed_up
