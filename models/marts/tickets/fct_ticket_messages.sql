-- One row per customer message (a public message by the customer), with
-- whether a public agent message on the same ticket followed it (strictly
-- later sent_at): the parts of messages_received and reply_rate.
{{ config_incremental_by_partition('ticket_id', 'int_ticket_fingerprints') }}
with

fingerprints as (
    select * from {{ ref('int_ticket_fingerprints') }}
),

conversation as (
    select * from {{ ref('int_ticket_messages_sequenced') }}
),

tickets as (
    select * from {{ ref('int_tickets_scheduled') }}
),

last_agent_messages as (
    select
        ticket_id,
        max(sent_at) as last_agent_message_at
    from conversation
    where author_type = 'agent'
    group by ticket_id
),

customer_messages as (
    select
        conversation.message_id,
        conversation.ticket_id,
        conversation.author_id as customer_id,
        conversation.sent_at,
        cast(conversation.sent_at as date) as sent_date,
        coalesce(last_agent_messages.last_agent_message_at > conversation.sent_at, false) as is_replied,
        tickets.assignee_agent_id,
        tickets.team,
        tickets.channel,
        tickets.priority,
        tickets.category,
        tickets.direction,
        fingerprints.partition_fingerprint
    from conversation
    inner join tickets
        on conversation.ticket_id = tickets.ticket_id
    inner join fingerprints
        on conversation.ticket_id = fingerprints.ticket_id
    left join last_agent_messages
        on conversation.ticket_id = last_agent_messages.ticket_id
    where
        conversation.author_type = 'customer'
        and {{ partition_needs_build('fingerprints.ticket_id') }}
)

select * from customer_messages
