-- Per ticket: the first reply, the count of public agent messages, and
-- whether a collision happened (two public agent messages by different
-- agents adjacent in the conversation, at most var('collision_minutes') apart).
with

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

conversation as (
    select * from {{ ref('int_ticket_messages_sequenced') }}
),

flagged as (
    select
        conversation.*,
        coalesce(
            conversation.author_type = 'agent'
            and conversation.previous_author_type = 'agent'
            and conversation.author_id <> conversation.previous_author_id
            and {{ seconds_between('conversation.previous_sent_at', 'conversation.sent_at') }}
            <= {{ var('collision_minutes') }} * 60,
            false
        ) as is_collision
    from conversation
),

summarized as (
    select
        tickets.ticket_id,
        min(
            case
                when flagged.author_type = 'agent' and flagged.sent_at >= tickets.created_at
                    then flagged.sent_at
            end
        ) as first_reply_at,
        count(case when flagged.author_type = 'agent' then 1 end) as count_public_agent_messages,
        coalesce(max(case when flagged.is_collision then 1 else 0 end) = 1, false) as has_collision
    from tickets
    left join flagged
        on tickets.ticket_id = flagged.ticket_id
    group by tickets.ticket_id
)

select * from summarized
