-- Each ticket's conversation (spec/kpis.md): its customer messages and public
-- agent messages in sent_at order, agent messages first on equal times (then
-- by message_id), with the previous message of the conversation. Bot and
-- system messages and internal notes are left out.
with

messages as (
    select * from {{ ref('stg_support__ticket_messages') }}
),

conversation as (
    select
        message_id,
        ticket_id,
        author_type,
        author_id,
        sent_at
    from messages
    where is_public and author_type in ('customer', 'agent')
),

sequenced as (
    select
        *,
        row_number() over (
            partition by ticket_id
            order by sent_at, case when author_type = 'agent' then 0 else 1 end, message_id
        ) as conversation_position
    from conversation
),

with_previous as (
    select
        *,
        lag(author_type) over (partition by ticket_id order by conversation_position) as previous_author_type,
        lag(author_id) over (partition by ticket_id order by conversation_position) as previous_author_id,
        lag(sent_at) over (partition by ticket_id order by conversation_position) as previous_sent_at
    from sequenced
)

select * from with_previous
